package io.tokiowakes.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.topology.JobSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results do not depend on how the records of different threads interleave on arrival: every
 * real fixture, re-sent as collectors with per-thread buffers send it (many seeds, buffers of up to
 * 16, 64 and 256 records), gives exactly its expected edges and anomalies, and exactly the outputs
 * of the file in its written order.
 */
class ArrivalOrderTest {

    static Stream<Arguments> reorderings() {
        List<Arguments> out = new ArrayList<>();
        for (String fixture : ExpectedWakes.FIXTURES) {
            for (int max : new int[] {16, 64, 256}) {
                for (long seed = 1; seed <= 12; seed++) {
                    out.add(Arguments.of(fixture, seed, max));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, seed {1}, buffers up to {2}")
    @MethodSource("reorderings")
    void perThreadBuffersGiveTheSameResults(String fixture, long seed, int max, @TempDir Path dir) throws IOException {
        List<byte[]> written = KafkaTestSupport.fixture(fixture);
        List<byte[]> resent = PerThreadBuffers.resend(written, seed, max);

        Path inOrder = analyze(written, dir.resolve("written"));
        Path reordered = analyze(resent, dir.resolve("resent"));

        assertEquals(List.of(), ExpectedWakes.fixtures(fixture).differences(ExpectedWakes.fromOutputs(reordered)));
        for (String file : List.of(TraceFileAnalyzer.WAKE_EDGES_FILE, TraceFileAnalyzer.WAKE_DELAYS_FILE,
                TraceFileAnalyzer.ANOMALIES_FILE, TraceFileAnalyzer.TASK_SUMMARIES_FILE)) {
            assertEquals(sorted(inOrder.resolve(file)), sorted(reordered.resolve(file)), file);
        }
    }

    @Test
    void theReorderingsReallyMoveRecordsPastLaterOnes() {
        // Guards the test above: a re-sending that kept seq order would prove nothing.
        for (String fixture : ExpectedWakes.FIXTURES) {
            List<byte[]> written = KafkaTestSupport.fixture(fixture);
            assertEquals(0, PerThreadBuffers.outOfOrder(written), fixture + " is written in seq order");
            int moved = 0;
            for (long seed = 1; seed <= 12; seed++) {
                moved += PerThreadBuffers.outOfOrder(PerThreadBuffers.resend(written, seed, 256));
            }
            assertTrue(moved > 12, fixture + ": " + moved + " records out of seq order over 12 seeds");
        }
    }

    /** A task span's span_enter (thread 2) that arrives before its span_new (thread 1). */
    @Test
    void aTaskEnteredBeforeItsSpawnArrivesIsStillPolled(@TempDir Path dir) throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/cases/arrival-order-across-threads.jsonl")) {
            TraceLines.of(in).forEach((n, v) -> records.add(v));
        }
        Path out = analyze(records, dir);
        List<JsonNode> edges = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.WAKE_EDGES_FILE));
        assertEquals(1, edges.size());
        assertEquals("SELF", edges.get(0).path("kind").asText());
        assertEquals("waker.wake_by_ref", edges.get(0).path("op").asText());
        List<JsonNode> summaries = ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.TASK_SUMMARIES_FILE));
        assertEquals(1, summaries.size());
        assertEquals("pinned", summaries.get(0).path("task").path("name").asText());
        assertEquals(2, summaries.get(0).path("polls").asLong());
        assertEquals(List.of(), ExpectedWakes.readJsonl(out.resolve(TraceFileAnalyzer.ANOMALIES_FILE)));
    }

    private static Path analyze(List<byte[]> records, Path out) throws IOException {
        AnalysisResult result = new TraceFileAnalyzer(JobSettings.defaults()).analyze(sink -> {
            long n = 0;
            for (byte[] r : records) {
                sink.accept(++n, r);
            }
        }, out);
        assertEquals(0, result.count("late-records"));
        return out;
    }

    private static List<String> sorted(Path file) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            lines.removeIf(String::isBlank);
            lines.sort(null);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
