package dev.eventsink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotingTest {

    @Test
    void shortPrintableTextIsUnchanged() {
        assertThat(Quoting.quote("ux_events zoë 漢字")).isEqualTo("ux_events zoë 漢字");
    }

    @Test
    void controlCharactersAreEscapedSoNoLineCanBeForged() {
        assertThat(Quoting.quote("a\r\nINFO forged\tb\u0000c\u001bd\u2028e"))
                .isEqualTo("a\\r\\nINFO forged\\tb\\u0000c\\u001Bd\\u2028e");
        assertThat(Quoting.quote("abc\u202Efed\u2066x")).as("bidirectional overrides")
                .isEqualTo("abc\\u202Efed\\u2066x");
    }

    @Test
    void longTextIsCutWithItsLengthNoted() {
        assertThat(Quoting.quote("x".repeat(5_000))).isEqualTo("x".repeat(200) + "…(5000 characters)");
        assertThat(Quoting.quote("y".repeat(30), 10)).isEqualTo("y".repeat(10) + "…(30 characters)");
    }

    @Test
    void aSurrogatePairIsNeverCutInTwo() {
        String text = "x".repeat(199) + "😀" + "tail";

        assertThat(Quoting.quote(text)).isEqualTo("x".repeat(199) + "…(205 characters)");
    }

    /** Found by EventJsonFuzzTest through an unknown field named "": quoting it threw StringIndexOutOfBounds. */
    @Test
    void theEmptyStringIsQuotedAsItIs() {
        assertThat(Quoting.quote("")).isEqualTo("");
        assertThat(Quoting.quote("", 0)).isEqualTo("");
    }

    @Test
    void nullIsShownAsNull() {
        assertThat(Quoting.quote(null)).isEqualTo("null");
    }
}
