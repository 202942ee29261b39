package io.tokiowakes.resilience;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.broker.LocalKafka;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.kafka.WakeJob;
import io.tokiowakes.resilience.ResilienceSupport.BackgroundReplay;
import io.tokiowakes.resilience.ResilienceSupport.CommittedCounter;
import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.tokiowakes.resilience.ResilienceSupport.await;
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

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void jobRecoversOnItsOwnWhenTheBrokerComesBack(@TempDir Path dir) throws Exception {
        Path analyzed = dir.resolve("analyze");
        AnalysisResult expected = ResilienceSupport.analyze(FLEET, JobSettings.defaults(), analyzed);
        assertEquals(0, expected.rejected());

        Path data = dir.resolve("kafka");
        LocalKafka kafka = LocalKafka.start(data, 0, ResilienceSupport.FAST_TRANSACTION_EXPIRY);
        try {
            String bootstrap = kafka.bootstrapServers();
            int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            JobSettings settings = ResilienceSupport.pipeline("broker-restart");
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
                    kafka.close();
                    note("broker stopped; job " + job.streams().state());
                    kafka = LocalKafka.start(data, port, ResilienceSupport.FAST_TRANSACTION_EXPIRY);
                    note("broker back on " + kafka.bootstrapServers() + "; job " + job.streams().state());
                    assertEquals(bootstrap, kafka.bootstrapServers());
                    assertEquals(FLEET.size(), replay.await(Duration.ofSeconds(60)));
                    note("replay done");
                }
                Path out = ResilienceSupport.awaitOutputs(client, settings.topics(), analyzed, dir.resolve("out"),
                        Duration.ofSeconds(60));
                note("outputs dumped");
                assertEquals(KafkaStreams.State.RUNNING, job.streams().state(), "the job recovered by itself");
                ResilienceSupport.assertSameAsAnalyze(analyzed, out,
                        "late records: " + job.metrics().get("late-records") + ", job counters " + job.metrics().snapshot());
                assertEquals(List.of(), ResilienceSupport.readCommitted(client, settings.topics().deadLetter(),
                        Duration.ofSeconds(1)), "nothing failed processing");
            }
        } finally {
            kafka.close();
        }
    }
}
