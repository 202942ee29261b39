package io.tokiowakes.analyze;

import io.tokiowakes.topology.JobSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real traces of real Tokio 1.24 and 1.53 runtimes, with the edges and anomalies they must give. */
class FixtureAnalysisTest {

    @ParameterizedTest
    @MethodSource("io.tokiowakes.analyze.ExpectedWakes#fixtureNames")
    void analyzeFindsExactlyTheExpectedEdgesAndAnomalies(String fixture, @TempDir Path out) throws IOException {
        AnalysisResult result;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + fixture + ".jsonl")) {
            result = new TraceFileAnalyzer(JobSettings.defaults()).analyze(TraceLines.of(in), out);
        }
        ExpectedWakes expected = ExpectedWakes.fixtures(fixture);
        assertEquals(List.of(), expected.differences(ExpectedWakes.fromOutputs(out)));
        assertTrue(expected.edgeCount() > 0);
        assertEquals(0, result.rejected());
        assertEquals(0, result.count("late-records"));
    }
}
