package dev.eventsink.cli;

import dev.eventsink.Channel;

/** The topics the kafka sink writes each channel's events to by default, and the relay reads. */
final class KafkaTopics {

    private KafkaTopics() {}

    /** {@code ux_events} or {@code simulation_events}. */
    static String of(Channel channel) {
        return channel == Channel.UX ? "ux_events" : "simulation_events";
    }
}
