package io.tokiowakes.resilience;

import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.KafkaTestSupport.CommittedCounter;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.resilience.ResilienceSupport.BackgroundReplay;
import io.tokiowakes.topology.JobSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.tokiowakes.kafka.KafkaTestSupport.await;
import static io.tokiowakes.resilience.ResilienceSupport.note;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker goes away mid-stream (stopped, then started again on the same data and port) while
 * the job runs: the job recovers by itself and its outputs are {@code analyze}'s.
 */
class BrokerRestartIT {

    /** ~24k records: both fixtures under 20 services. */
    private static final List<byte[]> FLEET = ResilienceSupport.fleet(20, 4);
    private static final long RATE = 3_000;

    /** Stopped and started again by the test, on the same port and data folder. */
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension(ResilienceSupport.FAST_TRANSACTION_EXPIRY);

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void jobRecoversOnItsOwnWhenTheBrokerComesBack(@TempDir Path dir) throws Exception {
        Path analyzed = ResilienceSupport.analyzeValid(FLEET, dir);

        String bootstrap = KAFKA.bootstrapServers();
        JobSettings settings = KafkaTestSupport.pipeline("broker-restart");
        Properties client = KafkaTestSupport.client(bootstrap);
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        Properties streams = KafkaTestSupport.streamsConfig(bootstrap, settings, dir.resolve("state"));
        streams.put("session.timeout.ms", ResilienceSupport.SESSION_TIMEOUT_MS);

        try (WakeJob job = new WakeJob(streams, settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)), "job running");
            try (BackgroundReplay replay = new BackgroundReplay(client, settings.topics().input(), FLEET, RATE)) {
                try (CommittedCounter edges = new CommittedCounter(client, settings.topics().wakeEdges())) {
                    await("committed outputs while the replay is under way", Duration.ofSeconds(60),
                            () -> edges.getAsLong() > 0 && replay.sent() >= FLEET.size() * 2 / 5);
                }
                note("stopping the broker after " + replay.sent() + " records sent");
                KAFKA.stop();
                note("broker stopped; job " + job.streams().state());
                KAFKA.restart();
                note("broker back on " + KAFKA.bootstrapServers() + "; job " + job.streams().state());
                assertEquals(bootstrap, KAFKA.bootstrapServers());
                assertEquals(FLEET.size(), replay.await(Duration.ofSeconds(60)));
                note("replay done");
            }
            Path out = ResilienceSupport.awaitOutputs(client, settings.topics(), analyzed, dir.resolve("out"),
                    Duration.ofSeconds(60));
            note("outputs dumped");
            // Running, or rebalancing for a moment (a thread replaced, a late rebalance): not failed or closing.
            assertTrue(job.streams().state().isRunningOrRebalancing(), "the job recovered by itself: " + job.streams().state());
            ResilienceSupport.assertSameAsAnalyze(analyzed, out,
                    "late records: " + job.metrics().get("late-records") + ", job counters " + job.metrics().snapshot());
            assertEquals(List.of(), KafkaTestSupport.readCommitted(client, settings.topics().deadLetter(),
                    Duration.ofSeconds(1)), "nothing failed processing");
        }
    }
}
