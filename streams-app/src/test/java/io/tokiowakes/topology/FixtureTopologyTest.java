package io.tokiowakes.topology;

import io.tokiowakes.analyze.ExpectedWakes;
import io.tokiowakes.kafka.KafkaTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fixtures of Tokio 1.24 and 1.53 through the job's topology (TopologyTestDriver): exact. */
class FixtureTopologyTest {

    @ParameterizedTest
    @MethodSource("io.tokiowakes.analyze.ExpectedWakes#fixtureNames")
    void topologyGivesExactlyTheExpectedEdgesAndAnomalies(String fixture) {
        List<String> lines = KafkaTestSupport.fixture(fixture).stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        try (TopologyHarness h = new TopologyHarness().run(lines)) {
            ExpectedWakes expected = ExpectedWakes.fixtures(fixture);
            assertEquals(List.of(), expected.differences(ExpectedWakes.of(h.edges, h.anomalies)));
            assertEquals(0, h.metrics.get("late-records"));
            assertEquals(0, h.deadLetters.size());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
