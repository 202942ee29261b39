package io.tokiowakes.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InternedTextTest {

    @Test
    void aRepeatedTextIsTheSameString() {
        InternedText texts = new InternedText();
        char[] chars = "xxtokio-rt-workeryy".toCharArray();
        String first = texts.of(chars, 2, 15);
        assertEquals("tokio-rt-worker", first);
        assertSame(first, texts.of("tokio-rt-worker".toCharArray(), 0, 15));
    }

    @Test
    void everyTextComesBackAsItsOwnContentWhateverLandsOnTheSameSlot() {
        InternedText texts = new InternedText();
        Random random = new Random(7);
        // Far more distinct texts than slots, with shared prefixes and equal lengths: slots collide.
        for (int i = 0; i < InternedText.SLOTS * 8; i++) {
            String expected = "ThreadId(" + random.nextInt(InternedText.SLOTS * 2) + ")";
            char[] padded = ("::" + expected + "::").toCharArray();
            assertEquals(expected, texts.of(padded, 2, expected.length()));
        }
    }

    @Test
    void aLongTextIsReadButNotKept() {
        InternedText texts = new InternedText();
        String longText = "a".repeat(InternedText.MAX_LENGTH + 1);
        String first = texts.of(longText.toCharArray(), 0, longText.length());
        assertEquals(longText, first);
        String second = texts.of(longText.toCharArray(), 0, longText.length());
        assertEquals(longText, second);
        assertNotSame(first, second);
    }
}
