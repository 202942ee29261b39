package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ari-subscriber text names no threads, so a wake outside any task is EXTERNAL: the runtime's
 * timer or I/O driver cannot be told from a foreign thread. A task whose waker sits only in a
 * timer resource was woken by the timer driver: RUNTIME. Its twins, woken the same way while
 * waiting on a oneshot, or on a timer and a oneshot at once, stay EXTERNAL.
 */
class TimerWakeWithoutThreadsTest {

    private static final String TASK = "runtime.spawn[1]{kind=task, task.name=ticker, task.id=7, loc.file=\"src/demo.rs\", "
            + "loc.line=9, loc.col=5}";
    private static final String SLEEP = "runtime.resource[5]{concrete_type=\"Sleep\", kind=\"timer\", "
            + "loc.file=\"src/demo.rs\", loc.line=12, loc.col=9}";
    private static final String ONESHOT = "runtime.resource[8]{concrete_type=\"Sender|Receiver\", kind=\"Sync\", "
            + "loc.file=\"src/demo.rs\", loc.line=14, loc.col=9}";

    /** The lines of one poll that registers with the given resources (their op and poll spans are new too). */
    private static String log(boolean sleep, boolean oneshot) {
        StringBuilder b = new StringBuilder();
        line(b, 1, TASK + " new");
        line(b, 2, TASK + " enter");
        if (sleep) {
            String op = SLEEP + " runtime.resource.async_op[6]{source=\"Sleep::new_timeout\"}";
            line(b, 3, SLEEP + " new");
            line(b, 4, op + " new");
            line(b, 5, op + " runtime.resource.async_op.poll[7]{} new");
            line(b, 6, op + " runtime.resource.async_op.poll[7]{} tokio::task::waker: op=\"waker.clone\", task.id=1");
        }
        if (oneshot) {
            String op = ONESHOT + " runtime.resource.async_op[9]{source=\"Receiver::await\"}";
            line(b, 7, ONESHOT + " new");
            line(b, 8, op + " new");
            line(b, 9, op + " runtime.resource.async_op.poll[10]{} new");
            line(b, 10, op + " runtime.resource.async_op.poll[10]{} tokio::task::waker: op=\"waker.clone\", task.id=1");
        }
        line(b, 11, TASK + " exit");
        line(b, 500, "tokio::task::waker: op=\"waker.wake\", task.id=1");
        line(b, 600, TASK + " enter");
        line(b, 601, TASK + " exit");
        line(b, 602, TASK + " close");
        return b.toString();
    }

    private static void line(StringBuilder b, int micros, String body) {
        b.append(String.format("2025-01-10T08:00:00.%06dZ TRACE %s%n", micros, body));
    }

    @ParameterizedTest(name = "sleep {0}, oneshot {1}: {2}")
    @CsvSource({"true, false, RUNTIME", "false, true, EXTERNAL", "true, true, EXTERNAL", "false, false, EXTERNAL"})
    void aRootWakeIsATimerWakeOnlyWhenTheTaskWaitsOnTimersAlone(boolean sleep, boolean oneshot, String kind,
                                                                @TempDir Path dir) throws Exception {
        Path input = dir.resolve("ticker.log");
        Files.writeString(input, log(sleep, oneshot));
        Path out = dir.resolve("out");
        assertEquals(0, Main.execute("analyze", "--input", input.toString(), "--out", out.toString(),
                "--format", "ari", "--source", "demo"));
        assertEquals(List.of(), ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.REJECTED_FILE)));
        List<JsonNode> edges = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE));
        assertEquals(1, edges.size());
        JsonNode edge = edges.get(0);
        assertEquals(kind, edge.path("kind").asText(), edge.toString());
        assertEquals((sleep ? 1 : 0) + (oneshot ? 1 : 0), edge.path("waits_on").size(), edge.toString());
        List<JsonNode> anomalies = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE));
        assertEquals(kind.equals("EXTERNAL") ? List.of("EXTERNAL_ONLY_WAKES") : List.of(),
                anomalies.stream().map(a -> a.path("type").asText()).toList());
    }
}
