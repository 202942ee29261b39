package io.tokiowakes.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SkipTest {

    @Test
    void aSkippedTestSaysWhyOnTheConsole() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Skip.unless(true, "never printed");
            TestAbortedException e = assertThrows(TestAbortedException.class,
                    () -> Skip.unless(false, "/usr/bin/chromium is missing: the browser check is skipped"));
            assertEquals("/usr/bin/chromium is missing: the browser check is skipped", e.getMessage());
        } finally {
            System.setOut(old);
        }
        assertEquals("[skipped] /usr/bin/chromium is missing: the browser check is skipped\n",
                out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }
}
