package io.tokiowakes.cli;

import io.tokiowakes.json.Json;
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

    /** The one line on stderr: no stack trace, no log line. */
    private String oneErrLine() {
        String e = errLines();
        assertEquals(1, e.lines().count(), e);
        assertEquals(0, out.size(), "nothing on stdout: " + out.toString(StandardCharsets.UTF_8));
        return e;
    }

    private static Path binaryFile(Path dir) throws IOException {
        byte[] bytes = new byte[4096];
        new java.util.Random(14).nextBytes(bytes);
        bytes[100] = '\n';
        return Files.write(dir.resolve("core.bin"), bytes);
    }

    @Test
    void binaryFileReadAsAriTextIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path bin = binaryFile(dir);
        assertEquals(2, Main.execute("analyze", "--format", "ari", "--input", bin.toString(), "--out", dir.resolve("o").toString()));
        assertEquals("analyze: " + bin + ": input is not ari-subscriber text: line 1 does not start with an RFC 3339 time and a level",
                oneErrLine());
    }

    @Test
    void outNamingAFileIsOneLineAndExitTwo(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("t.jsonl"), "{}\n");
        Path file = Files.writeString(dir.resolve("results"), "keep me");
        assertEquals(2, Main.execute("analyze", "--input", trace.toString(), "--out", file.toString()));
        assertEquals("analyze: --out " + file + " is a file; give a folder (the output files go into it)", oneErrLine());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void aFileWithoutAValidRecordIsExitTwoWithTheFirstReason(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "Dear diary,\ntoday the tasks woke each other.\n");
        assertEquals(2, Main.execute("analyze", "--input", text.toString(), "--out", dir.resolve("o1").toString()));
        String line = oneErrLine();
        assertTrue(line.startsWith("analyze: " + text + ": no valid trace record in 2 line(s); line 1: not JSON: "), line);

        err.reset();
        Path bin = binaryFile(dir);
        assertEquals(2, Main.execute("analyze", "--input", bin.toString(), "--out", dir.resolve("o2").toString()));
        line = oneErrLine();
        assertTrue(line.startsWith("analyze: " + bin + ": no valid trace record in "), line);
        assertTrue(line.contains("; line 1: "), line);

        err.reset();
        Path json = Files.writeString(dir.resolve("other.jsonl"), "{\"type\":\"span_new\",\"source\":\"s\"}\n");
        assertEquals(2, Main.execute("analyze", "--input", json.toString(), "--out", dir.resolve("o3").toString()));
        assertTrue(oneErrLine().startsWith("analyze: " + json + ": no valid trace record in 1 line(s); line 1: "), errLines());
    }

    @Test
    void anUnknownJobSettingIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("t.jsonl"), "");
        Path config = Files.writeString(dir.resolve("job.properties"),
                "lint.lost-waker.grace-msx=50\nsecurity.protocol=SASL_SSL\n");
        assertEquals(2, Main.execute("analyze", "--input", trace.toString(), "--out", dir.resolve("o").toString(),
                "--config", config.toString()));
        assertEquals("analyze: " + config + ": unknown setting lint.lost-waker.grace-msx (known lint.* settings: "
                + "lint.external-only.min-wakes, lint.large-future.bytes, lint.long-poll.ms, lint.lost-waker.grace-ms, "
                + "lint.scheduling-delay.ms, lint.self-wake.min-wakes, lint.self-wake.percent)", oneErrLine());

        err.reset();
        Files.writeString(config, "lint.lost-waker.grace-ms=5ms\n");
        assertEquals(2, Main.execute("analyze", "--input", trace.toString(), "--out", dir.resolve("o").toString(),
                "--config", config.toString()));
        assertEquals("analyze: " + config + ": lint.lost-waker.grace-ms must be a whole number (up to 2147483647), not \"5ms\"",
                oneErrLine());
    }

    @Test
    void kafkaClientSettingsInTheConfigPassThrough(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("t.jsonl"), String.join("\n", SEED_LIKE) + "\n");
        Path config = Files.writeString(dir.resolve("job.properties"),
                "lint.lost-waker.grace-ms=50\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
        assertEquals(0, Main.execute("analyze", "--input", trace.toString(), "--out", dir.resolve("o").toString(),
                "--config", config.toString()), errLines());
    }

    /** Names each anomalous task (name, Tokio task ID, span ID) and the busiest wake pairs. */
    @Test
    void theSummaryNamesAnomalousTasksAndBusiestPairs(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("mixed.jsonl");
        try (var in = AnalyzeCommandTest.class.getResourceAsStream("/fixtures/mixed-w2.jsonl")) {
            Files.copy(in, trace);
        }
        assertEquals(0, Main.execute("analyze", "--input", trace.toString(), "--out", dir.resolve("o").toString()), errLines());
        java.util.List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        int tasks = lines.indexOf("anomalous tasks (2):");
        assertTrue(tasks > 0, String.join("\n", lines));
        assertEquals(java.util.Set.of("  lost-waker (task 13, span 20): LOST_WAKER",
                "  ext-only-consumer (task 4, span 8): EXTERNAL_ONLY_WAKES"), java.util.Set.copyOf(lines.subList(tasks + 1, tasks + 3)));
        int pairs = lines.indexOf("busiest wake pairs (waker -> woken, by task name; what the woken task waited on; "
                + "wake to poll p50 / p99 / max):");
        assertTrue(pairs > tasks, String.join("\n", lines));
        java.util.List<String> top = lines.subList(pairs + 1, pairs + 6).stream().map(String::strip).toList();
        assertTrue(top.get(0).startsWith("12  (runtime) -> dispatcher (RUNTIME)  "), top.get(0));
        assertTrue(top.stream().anyMatch(l -> l.startsWith("5  (external) -> ext-only-consumer (EXTERNAL)  ")), top.toString());
        // The ticker waits in its interval's Sleep; its slowest wake is the largest delay written for it.
        long tickerMax = Files.readAllLines(dir.resolve("o").resolve("wake-delays.jsonl")).stream()
                .map(AnalyzeCommandTest::parse).filter(d -> d.path("wakee").path("name").asText().equals("ticker"))
                .mapToLong(d -> d.path("delay_nanos").asLong()).max().orElseThrow();
        String ticker = top.stream().filter(l -> l.contains("-> ticker")).findFirst().orElseThrow();
        assertTrue(ticker.startsWith("5  (runtime) -> ticker (RUNTIME) [timer Sleep tokio-1.24.2/src/time/interval.rs:135:52]  "),
                ticker);
        assertTrue(ticker.endsWith(" / " + AnalyzeCommand.human(tickerMax)), ticker + " ends with the max " + tickerMax);
        assertTrue(lines.contains("wake delays: 45 (a wake's wait for its task's next poll)"), String.join("\n", lines));
        // Counted from the edges written: the pairs add up to what wake-edges.jsonl says.
        long dispatcherRuntime = Files.readAllLines(dir.resolve("o").resolve("wake-edges.jsonl")).stream()
                .filter(l -> l.contains("\"kind\":\"RUNTIME\"") && l.contains("\"wakee\":{\"span_id\":19,")).count();
        assertEquals(12, dispatcherRuntime);
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void durationsReadAsPeopleReadThem() {
        assertEquals("850 ns", AnalyzeCommand.human(850));
        assertEquals("4.1 µs", AnalyzeCommand.human(4_093));
        assertEquals("12.4 ms", AnalyzeCommand.human(12_400_000));
        assertEquals("1.25 s", AnalyzeCommand.human(1_250_000_000));
    }

    private static final String[] SEED_LIKE = {
            "{\"type\":\"span_new\",\"source\":\"s\",\"seq\":0,\"ts_nanos\":1,\"thread.id\":\"ThreadId(1)\",\"thread.name\":\"main\","
                    + "\"span_id\":8,\"parent_id\":null,\"name\":\"runtime.spawn\",\"target\":\"tokio::task\","
                    + "\"fields\":{\"kind\":\"task\",\"task.name\":\"r\",\"task.id\":3}}"};
}
