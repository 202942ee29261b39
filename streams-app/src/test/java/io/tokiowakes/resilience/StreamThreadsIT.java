package io.tokiowakes.resilience;

import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.resilience.ResilienceSupport.BackgroundReplay;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.tokiowakes.resilience.ResilienceSupport.note;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream threads join and leave one running job while a fleet's trace streams in: every join and
 * leave moves ingest and wake-stage tasks between threads (a cooperative rebalance, each moved
 * task committed and restored from its changelogs). The outputs are {@code analyze}'s, and no
 * record reaches the wake stage after a later one of its source was applied.
 */
class StreamThreadsIT {

    /** ~24k records: both fixtures under 20 services. */
    private static final List<byte[]> FLEET = ResilienceSupport.fleet(20, 4);
    private static final long RATE = 4_000;

    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tasksMovingBetweenStreamThreadsChangeNoResult(@TempDir Path dir) throws Exception {
        Path analyzed = ResilienceSupport.analyzeValid(FLEET, dir);

        JobSettings settings = KafkaTestSupport.pipeline("threads");
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        Properties config = KafkaTestSupport.streamsConfig(KAFKA.bootstrapServers(), settings, dir.resolve("state"));
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");

        try (WakeJob job = new WakeJob(config, settings).start()) {
            assertTrue(job.awaitRunning(Duration.ofSeconds(60)), "job running");
            try (BackgroundReplay replay = new BackgroundReplay(client, settings.topics().input(), FLEET, RATE)) {
                // Three threads join one by one, then two leave: tasks move at each step.
                for (int step = 0; step < 5; step++) {
                    long before = replay.sent();
                    KafkaTestSupport.await("records sent since the last step", Duration.ofSeconds(30),
                            () -> replay.sent() >= before + FLEET.size() / 8 || replay.isDone());
                    boolean changed = step < 3 ? job.streams().addStreamThread().isPresent()
                            : job.streams().removeStreamThread(Duration.ofSeconds(30)).isPresent();
                    assertTrue(changed, "stream thread " + (step < 3 ? "added" : "removed") + " at step " + step);
                    note("step " + step + " after " + replay.sent() + " records sent");
                }
                assertEquals(FLEET.size(), replay.await(Duration.ofSeconds(60)));
            }
            Path out = ResilienceSupport.awaitOutputs(client, settings.topics(), analyzed, dir.resolve("out"),
                    Duration.ofSeconds(60));
            assertEquals(0, job.metrics().get("late-records"), "no record arrived after a later one was applied");
            ResilienceSupport.assertSameAsAnalyze(analyzed, out, "stream threads added and removed mid-stream");
        }
    }
}
