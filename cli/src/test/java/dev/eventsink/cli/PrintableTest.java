package dev.eventsink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PrintableTest {

    @Nested
    class Escaping {

        @Test
        void lineBreaksAndTabsAreWrittenAsBackslashSequences() {
            assertThat(Printable.escape("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
        }

        @Test
        void otherControlCharactersAreWrittenAsUnicodeEscapes() {
            assertThat(Printable.escape("a\u0000b\u001b[2Jc\u007fd\u0085e\u0007"))
                    .isEqualTo("a\\u0000b\\u001B[2Jc\\u007Fd\\u0085e\\u0007");
        }

        @Test
        void formatCharactersAndSeparatorsAreEscaped() {
            assertThat(Printable.escape("a\u202eb\u200bc\ufeffd\u2028e\u2029"))
                    .isEqualTo("a\\u202Eb\\u200Bc\\uFEFFd\\u2028e\\u2029");
        }

        @Test
        void surrogatePairsAreKeptAndUnpairedOnesEscaped() {
            assertThat(Printable.escape("smile \ud83d\ude00")).isEqualTo("smile \ud83d\ude00");
            assertThat(Printable.escape("\ud83dx")).isEqualTo("\\uD83Dx");
            assertThat(Printable.escape("x\ude00")).isEqualTo("x\\uDE00");
            assertThat(Printable.escape("tag \udb40\udc41")).isEqualTo("tag \\uDB40\\uDC41"); // U+E0041, a format character
        }

        @Test
        void printableTextAndBackslashesAreUnchanged() {
            String text = "C:\\events\\a b.ndjson é 中 \\n";
            assertThat(Printable.escape(text)).isSameAs(text);
        }
    }

    @Nested
    class Values {

        @Test
        void shortValueIsShownAsItIs() {
            assertThat(Printable.value("openobserve")).isEqualTo("openobserve");
            assertThat(Printable.quote("openobserve")).isEqualTo("'openobserve'");
        }

        @Test
        void longValueIsCutAt200CharactersWithItsLength() {
            assertThat(Printable.value("x".repeat(1000))).isEqualTo("x".repeat(200) + "… (1,000 characters)");
            assertThat(Printable.value("x".repeat(200))).isEqualTo("x".repeat(200));
        }

        @Test
        void quotedLongValueHasItsLengthAfterTheQuote() {
            assertThat(Printable.quote("x".repeat(1000))).isEqualTo("'" + "x".repeat(200) + "…' (1,000 characters)");
        }

        @Test
        void urlCredentialsAreMasked() {
            assertThat(Printable.value("http://admin:pa/ss@localhost:5080")).isEqualTo("http://****@localhost:5080");
            assertThat(Printable.quote("http://admin:pa/ss@localhost:5080")).isEqualTo("'http://****@localhost:5080'");
        }

        @Test
        void credentialsAreMaskedBeforeTheValueIsCut() {
            assertThat(Printable.value("http://admin:" + "p".repeat(300) + "@localhost:5080/" + "a".repeat(300)))
                    .isEqualTo("http://****@localhost:5080/" + "a".repeat(173) + "… (327 characters)");
        }

        @Test
        void cutCountsTheCharactersOfTheValueBeforeEscaping() {
            assertThat(Printable.value("\n".repeat(300))).isEqualTo("\\n".repeat(200) + "… (300 characters)");
        }

        @Test
        void cutDoesNotSplitASurrogatePair() {
            assertThat(Printable.value("x".repeat(199) + "\ud83d\ude00" + "y".repeat(10)))
                    .isEqualTo("x".repeat(199) + "… (211 characters)");
        }
    }

    @Nested
    class Messages {

        @Test
        void messageIsCutAt500CharactersWithItsLength() {
            String message = "Unknown eventType '" + "y".repeat(3_000_000) + "'";

            assertThat(Printable.message(message))
                    .isEqualTo("Unknown eventType '" + "y".repeat(481) + "… (3,000,020 characters)");
        }

        @Test
        void messageIsOneLineWithItsCredentialsMasked() {
            assertThat(Printable.message("UX_EVENT_SINK_URL='http://a:b/c@h' is bad;\n  - forged"))
                    .isEqualTo("UX_EVENT_SINK_URL='http://****@h' is bad;\\n  - forged");
        }
    }

    @Nested
    class Fitting {

        @Test
        void textWithinTheWidthIsOnlyEscaped() {
            assertThat(Printable.fit("a\nb", 10)).isEqualTo("a\\nb");
        }

        @Test
        void longerTextIsCutToTheWidthWithAnEllipsis() {
            assertThat(Printable.fit("abcdefghij", 5)).isEqualTo("abcd…");
        }

        @Test
        void anEscapeIsNeverCutInTwo() {
            assertThat(Printable.fit("ab\u001bcdef", 6)).isEqualTo("ab…");
            assertThat(Printable.fit("ab\ncdef", 6)).isEqualTo("ab\\nc…");
        }

        @Test
        void aSurrogatePairIsNeverCutInTwo() {
            assertThat(Printable.fit("abc\ud83d\ude00def", 5)).isEqualTo("abc…");
        }
    }
}
