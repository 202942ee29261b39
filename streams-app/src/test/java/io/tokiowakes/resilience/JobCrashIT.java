package io.tokiowakes.resilience;

import io.tokiowakes.analyze.AnalysisResult;
import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.broker.LocalKafka;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.resilience.ResilienceSupport.BackgroundReplay;
import io.tokiowakes.resilience.ResilienceSupport.CommittedCounter;
import io.tokiowakes.resilience.ResilienceSupport.JobProcess;
import io.tokiowakes.topology.JobSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.tokiowakes.resilience.ResilienceSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the job's JVM in the middle of a large replay, then a restart under the same
 * application id: exactly-once means the outputs are {@code analyze}'s, with no duplicate from
 * the transaction the crash cut short and nothing lost from the records it had not committed.
 */
class JobCrashIT {

    /** ~60k records: both fixtures under 50 services (100 sources). */
    private static final List<byte[]> FLEET = ResilienceSupport.fleet(50, 5);
    private static final long RATE = 4_000;

    private static LocalKafka kafka;
    private static Path analyzed;

    @BeforeAll
    static void startBrokerAndAnalyze(@TempDir Path dir) throws Exception {
        analyzed = dir.resolve("analyze");
        AnalysisResult result = ResilienceSupport.analyze(FLEET, JobSettings.defaults(), analyzed);
        assertEquals(0, result.rejected(), "the fleet is all valid records");
        kafka = LocalKafka.start(dir.resolve("kafka"), 0, ResilienceSupport.FAST_TRANSACTION_EXPIRY);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void restartOnTheSameStateDirectory(@TempDir Path dir) throws Exception {
        crashAndRestart(dir, false);
    }

    /** No local state after the crash: everything is restored from the changelog topics. */
    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void restartOnAFreshStateDirectory(@TempDir Path dir) throws Exception {
        crashAndRestart(dir, true);
    }

    private void crashAndRestart(Path dir, boolean freshState) throws Exception {
        JobSettings settings = ResilienceSupport.pipeline(freshState ? "crash-fresh" : "crash-same");
        Properties client = KafkaTestSupport.client(kafka.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        String applicationId = ResilienceSupport.prefixOf(settings) + "job";
        Path firstState = dir.resolve("state-1");
        Path secondState = freshState ? dir.resolve("state-2") : firstState;
        Path logs = ResilienceSupport.logDir("JobCrashIT-" + (freshState ? "fresh" : "same"));

        long edgesExpected = ResilienceSupport.lineCounts(analyzed).get(TraceFileAnalyzer.WAKE_EDGES_FILE);
        try (JobProcess first = JobProcess.run("job-1", logs, kafka.bootstrapServers(), settings, applicationId, firstState);
             BackgroundReplay replay = startWhenRunning(first, client, applicationId, settings);
             CommittedCounter edges = new CommittedCounter(client, settings.topics().wakeEdges())) {
            await("committed outputs while the replay is under way", Duration.ofSeconds(60),
                    () -> edges.getAsLong() > 0 && replay.sent() >= FLEET.size() * 2 / 5);
            long sentAtKill = replay.sent();
            long edgesAtKill = edges.getAsLong();
            ResilienceSupport.note("kill -9 " + first + ": " + sentAtKill + " records sent, " + edgesAtKill + " edges out");
            first.kill();
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            assertTrue(edgesAtKill < edgesExpected, "the job was killed before it was done");

            try (JobProcess second = JobProcess.run("job-2", logs, kafka.bootstrapServers(), settings, applicationId, secondState)) {
                ResilienceSupport.note("restarted: " + second);
                assertEquals(FLEET.size(), replay.await(Duration.ofSeconds(60)));
                ResilienceSupport.note("replay done");
                Path out = ResilienceSupport.awaitOutputs(client, settings.topics(), analyzed, dir.resolve("out"),
                        Duration.ofSeconds(75));
                ResilienceSupport.note("outputs dumped");
                assertTrue(second.isAlive(), "the restarted job is running:\n" + second.output());
                ResilienceSupport.assertSameAsAnalyze(analyzed, out, "killed after " + sentAtKill + " of "
                        + FLEET.size() + " records were sent; late-record warnings: before the kill "
                        + ResilienceSupport.lateRecordWarnings(first.output()) + ", after "
                        + ResilienceSupport.lateRecordWarnings(second.output()) + "; " + first + ", " + second);
                assertEquals(List.of(), ResilienceSupport.readCommitted(client, settings.topics().deadLetter(),
                        Duration.ofSeconds(1)), "nothing failed processing");
            }
        }
    }

    /** Starts the replay once the job owns its partitions, so it is mid-stream when it dies. */
    private static BackgroundReplay startWhenRunning(JobProcess job, Properties client, String applicationId,
                                                     JobSettings settings) throws Exception {
        job.awaitStarted(Duration.ofSeconds(60));
        await("the job to own its partitions", Duration.ofSeconds(60),
                () -> ResilienceSupport.groupStable(client, applicationId, 1));
        ResilienceSupport.note("replay starts: " + job);
        return new BackgroundReplay(client, settings.topics().input(), FLEET, RATE);
    }
}
