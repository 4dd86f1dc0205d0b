package dev.eventsink.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A path to a nested payload value: keys separated by dots, list indexes in brackets, such as
 * {@code cart.items[0].sku} or {@code matrix[1][0]}. Keys may contain any character but {@code .},
 * {@code [} and {@code ]}.
 */
final class PayloadPath {

    /** One step: a key, or an index when {@code key} is null. */
    private record Step(String key, int index) {}

    /** What a path leads to: the value when {@code found}, otherwise why it leads nowhere. */
    record Resolution(boolean found, Object value, String problem) {}

    private final String text;
    private final List<Step> steps;

    private PayloadPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException naming the path when it is malformed
     */
    static PayloadPath parse(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("payload path must not be empty; write keys separated by dots and "
                    + "indexes in brackets, such as cart.items[0].sku");
        }
        List<Step> steps = new ArrayList<>();
        int i = 0;
        boolean expectKey = true;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (expectKey) {
                int end = i;
                while (end < path.length() && ".[]".indexOf(path.charAt(end)) < 0) {
                    end++;
                }
                if (end == i) {
                    throw malformed(path, "a key is missing at position " + i);
                }
                steps.add(new Step(path.substring(i, end), -1));
                i = end;
                expectKey = false;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw malformed(path, "'[' at position " + i + " is not closed");
                }
                String digits = path.substring(i + 1, close);
                if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
                    throw malformed(path, "'" + digits + "' is not a list index");
                }
                steps.add(new Step(null, Integer.parseInt(digits)));
                i = close + 1;
            } else if (c == '.') {
                i++;
                expectKey = true;
                if (i == path.length()) {
                    throw malformed(path, "it ends with '.'");
                }
            } else {
                throw malformed(path, "unexpected '" + c + "' at position " + i);
            }
        }
        return new PayloadPath(path, List.copyOf(steps));
    }

    private static IllegalArgumentException malformed(String path, String why) {
        return new IllegalArgumentException("payload path '" + path + "' is malformed: " + why
                + "; write keys separated by dots and indexes in brackets, such as cart.items[0].sku");
    }

    /** Follows the path from the payload. */
    Resolution resolve(Map<String, Object> payload) {
        Object current = payload;
        StringBuilder walked = new StringBuilder();
        for (Step step : steps) {
            String where = walked.length() == 0 ? "the payload" : walked.toString();
            if (step.key() != null) {
                if (!(current instanceof Map)) {
                    return new Resolution(false, null, where + " is " + Values.kind(current) + ", not an object");
                }
                Map<?, ?> map = (Map<?, ?>) current;
                if (!map.containsKey(step.key())) {
                    return new Resolution(false, null, where + " has no key \"" + step.key() + "\" (keys: "
                            + map.keySet() + ")");
                }
                current = map.get(step.key());
                if (walked.length() > 0) {
                    walked.append('.');
                }
                walked.append(step.key());
            } else {
                if (!(current instanceof List)) {
                    return new Resolution(false, null, where + " is " + Values.kind(current) + ", not a list");
                }
                List<?> list = (List<?>) current;
                if (step.index() >= list.size()) {
                    return new Resolution(false, null, where + " has no index " + step.index() + " (it has "
                            + Values.count(list.size(), "element") + ")");
                }
                current = list.get(step.index());
                walked.append('[').append(step.index()).append(']');
            }
        }
        return new Resolution(true, current, null);
    }

    @Override
    public String toString() {
        return text;
    }
}
