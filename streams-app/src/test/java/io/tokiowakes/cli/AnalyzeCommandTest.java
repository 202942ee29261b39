package io.tokiowakes.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String errLines() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void missingInputFileIsOneLineAndExitTwo(@TempDir Path dir) {
        int code = Main.execute("analyze", "--input", dir.resolve("nope.jsonl").toString(), "--out", dir.toString());
        assertEquals(2, code);
        assertEquals("analyze: no such file: " + dir.resolve("nope.jsonl"), errLines());
    }

    @Test
    void directoryAsInputIsRefused(@TempDir Path dir) {
        assertEquals(2, Main.execute("analyze", "--input", dir.toString(), "--out", dir.resolve("o").toString()));
        assertEquals(1, errLines().lines().count());
        assertTrue(errLines().contains("not a file"));
    }

    @Test
    void unknownFlagIsOneLineAndExitTwo() {
        assertEquals(2, Main.execute("analyze", "--frobnicate"));
        assertEquals(1, errLines().lines().count(), errLines());
        assertTrue(errLines().startsWith("analyze: "), errLines());
    }

    @Test
    void missingConfigFileIsOneLine(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("t.jsonl"), "");
        assertEquals(2, Main.execute("analyze", "--input", trace.toString(), "--out", dir.toString(),
                "--config", dir.resolve("missing.properties").toString()));
        assertTrue(errLines().contains("no such config file"), errLines());
    }

    @Test
    void writesTheOutputFilesAndASummary(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("t.jsonl");
        Files.writeString(trace, String.join("\n",
                "{\"type\":\"span_new\",\"source\":\"s\",\"seq\":0,\"ts_nanos\":1,\"thread.id\":\"ThreadId(1)\",\"thread.name\":\"main\","
                        + "\"span_id\":8,\"parent_id\":null,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                        + "\"fields\":{\"kind\":\"task\",\"task.name\":\"r\",\"task.id\":3}}",
                "garbage",
                "{\"type\":\"event\",\"source\":\"s\",\"seq\":1,\"ts_nanos\":2,\"thread.id\":\"ThreadId(5)\",\"thread.name\":\"\","
                        + "\"parent_id\":null,\"name\":\"e\",\"target\":\"tokio::task::waker\",\"fields\":{\"op\":\"waker.wake\",\"task.id\":8}}",
                ""));
        Path outDir = dir.resolve("out");
        assertEquals(0, Main.execute("analyze", "--input", trace.toString(), "--out", outDir.toString()));
        assertEquals(1, Files.readAllLines(outDir.resolve("wake-edges.jsonl")).size());
        assertTrue(Files.readString(outDir.resolve("wake-edges.jsonl")).contains("\"kind\":\"EXTERNAL\""));
        assertTrue(Files.exists(outDir.resolve("anomalies.jsonl")));
        assertTrue(Files.exists(outDir.resolve("task-summaries.jsonl")));
        String rejected = Files.readString(outDir.resolve("rejected.jsonl"));
        assertTrue(rejected.contains("\"line\":2") && rejected.contains("not JSON"), rejected);
        String summary = out.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("wake edges: 1 (EXTERNAL 1)"), summary);
        assertTrue(summary.contains("rejected:   1 line(s)"), summary);
    }
}
