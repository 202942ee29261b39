package io.tokiowakes.observe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void showsRecordsRateAndPercentOnATerminal() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = new Progress("replay", 1024 * 100, new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get)) {
            for (int i = 0; i < 1024; i++) {
                now.addAndGet(1_000_000); // 1 ms a record
                p.record(50);
            }
            assertEquals("replay: 1,024 records, 1,000/s, 50%", p.line(now.get()));
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rreplay: 256 records"), out);
        assertTrue(out.endsWith("50%\u001b[K\n"), out);
    }

    @Test
    void quietWhenPiped() {
        // No console in a test run: nothing to draw on.
        try (Progress p = Progress.onTerminal("analyze", 10)) {
            p.record(5);
            assertEquals(1, p.records());
        }
    }

    @Test
    void noPercentWhenTheInputIsNotWhatIsCounted() {
        Progress p = new Progress("analyze", 10, null, () -> 1_000_000_000L);
        p.record(20);
        assertEquals("analyze: 1 records, 1/s", p.line(2_000_000_000L));
    }
}
