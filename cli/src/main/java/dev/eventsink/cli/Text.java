package dev.eventsink.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small text helpers for command output, such as {@code Text.count(1000000)}: {@code 1,000,000}. */
final class Text {

    private Text() {}

    /** {@code 1,000,000}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Events per second, without false precision: {@code 84,120}, {@code 12.5}. */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            return "-";
        }
        return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** A table with a header and left-aligned columns, two spaces apart; numbers align right. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;
        private final boolean[] rightAligned;

        Table(String... header) {
            this.columns = header.length;
            this.rightAligned = new boolean[columns];
            rows.add(header);
        }

        /** Right-aligns the given columns (0-based), for numbers. */
        Table alignRight(int... indexes) {
            for (int i : indexes) {
                rightAligned[i] = true;
            }
            return this;
        }

        Table row(Object... cells) {
            String[] row = new String[columns];
            for (int i = 0; i < columns; i++) {
                row[i] = i < cells.length && cells[i] != null ? String.valueOf(cells[i]) : "";
            }
            rows.add(row);
            return this;
        }

        List<String> lines(String indent) {
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            List<String> lines = new ArrayList<>();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(indent);
                for (int i = 0; i < columns; i++) {
                    String cell = row[i];
                    String pad = " ".repeat(widths[i] - cell.length());
                    if (rightAligned[i]) {
                        line.append(pad).append(cell);
                    } else {
                        line.append(cell);
                        if (i < columns - 1) {
                            line.append(pad);
                        }
                    }
                    if (i < columns - 1) {
                        line.append("  ");
                    }
                }
                lines.add(line.toString().stripTrailing());
            }
            return lines;
        }

        void print(java.io.PrintStream out, String indent) {
            lines(indent).forEach(out::println);
        }
    }
}
