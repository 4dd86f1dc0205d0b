package dev.eventsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventTypeTest {

    @Test
    void wireNamesAreTheSchemaNames() {
        assertThat(EventType.UX_ACTION.wireName()).isEqualTo("ux_action");
        assertThat(EventType.SIMULATION_EVENT.wireName()).isEqualTo("simulation_event");
        assertThat(EventType.UX_ACTION).hasToString("ux_action");
    }

    @Test
    void fromWireNameParsesEachWireName() {
        assertThat(EventType.fromWireName("ux_action")).isEqualTo(EventType.UX_ACTION);
        assertThat(EventType.fromWireName("simulation_event")).isEqualTo(EventType.SIMULATION_EVENT);
    }

    @Test
    void fromWireNameTrimsAndIgnoresCase() {
        assertThat(EventType.fromWireName("  UX_Action\t")).isEqualTo(EventType.UX_ACTION);
        assertThat(EventType.fromWireName("SIMULATION_EVENT ")).isEqualTo(EventType.SIMULATION_EVENT);
    }

    @Test
    void unknownWireNameListsTheValidOnes() {
        assertThatThrownBy(() -> EventType.fromWireName("click"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown eventType 'click'; valid values: ux_action, simulation_event");
    }

    @Test
    void nearMissWireNameIsUnknown() {
        assertThatThrownBy(() -> EventType.fromWireName("simulation-event"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown eventType 'simulation-event'; valid values: ux_action, simulation_event");
    }

    @Test
    void nullWireNameListsTheValidOnes() {
        assertThatThrownBy(() -> EventType.fromWireName(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("eventType must not be null; valid values: ux_action, simulation_event");
    }

    @Test
    void eachTypeHasItsOwnChannelAndBack() {
        assertThat(EventType.UX_ACTION.channel()).isEqualTo(Channel.UX);
        assertThat(EventType.SIMULATION_EVENT.channel()).isEqualTo(Channel.SIM);
        assertThat(Channel.UX.eventType()).isEqualTo(EventType.UX_ACTION);
        assertThat(Channel.SIM.eventType()).isEqualTo(EventType.SIMULATION_EVENT);
    }

    @Test
    void channelKeysCarryTheChannelPrefix() {
        assertThat(Channel.UX.prefix()).isEqualTo("UX_EVENT_SINK_");
        assertThat(Channel.SIM.prefix()).isEqualTo("SIM_EVENT_SINK_");
        assertThat(Channel.UX.key("TYPE")).isEqualTo("UX_EVENT_SINK_TYPE");
        assertThat(Channel.SIM.key("API_KEY")).isEqualTo("SIM_EVENT_SINK_API_KEY");
    }
}
