package io.tokiowakes.resilience;

import io.tokiowakes.analyze.TraceFileAnalyzer;
import io.tokiowakes.kafka.KafkaTestSupport;
import io.tokiowakes.kafka.KafkaTestSupport.CommittedCounter;
import io.tokiowakes.kafka.LocalKafkaExtension;
import io.tokiowakes.kafka.TopicSetup;
import io.tokiowakes.resilience.ResilienceSupport.BackgroundReplay;
import io.tokiowakes.resilience.ResilienceSupport.JobProcess;
import io.tokiowakes.topology.JobSettings;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the job's JVM in the middle of a large replay, then a restart under the same
 * application id: exactly-once means the outputs are {@code analyze}'s, with no duplicate from
 * the transaction the crash cut short and nothing lost from the records it had not committed.
 * Output resumes within {@link #RESUME_BOUND} of the restart: measured here, from starting the
 * new JVM to the first wake edge it commits, with the job's and the broker's default group and
 * transaction settings (a restart that had to wait for the dead instance's session to expire,
 * 45 s, or for the broker to time its transaction out, 10 to 20 s, fails).
 */
class JobCrashIT {

    /**
     * Output must resume this soon after the restart: 5-7 s on a CI machine, 10.5 s with two busy
     * loops on its two cores; a wait for the dead instance's session (45 s) always fails it, one for
     * its transaction to time out (10 to 20 s after the kill) mostly.
     */
    static final Duration RESUME_BOUND = Duration.ofSeconds(12);

    /** ~60k records: both fixtures under 50 services (100 sources). */
    private static final List<byte[]> FLEET = ResilienceSupport.fleet(50, 5);
    private static final long RATE = 4_000;

    /** The broker's defaults: how fast the dead transaction goes must not rest on test settings. */
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    private static Path analyzed;

    @BeforeAll
    static void analyzeTheFleet(@TempDir Path dir) throws Exception {
        analyzed = ResilienceSupport.analyzeValid(FLEET, dir);
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void restartOnTheSameStateDirectory(@TempDir Path dir) throws Exception {
        crashAndRestart(dir, false);
    }

    /**
     * No local state after the crash, as on a new host that takes the dead instance's id:
     * everything is restored from the changelog topics.
     */
    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void restartOnAFreshStateDirectory(@TempDir Path dir) throws Exception {
        crashAndRestart(dir, true);
    }

    private void crashAndRestart(Path dir, boolean freshState) throws Exception {
        JobSettings settings = KafkaTestSupport.pipeline(freshState ? "crash-fresh" : "crash-same");
        Properties client = KafkaTestSupport.client(KAFKA.bootstrapServers());
        TopicSetup.ensure(client, settings.topics(), 4, 4);
        String applicationId = KafkaTestSupport.prefixOf(settings) + "job";
        Path firstState = dir.resolve("state-1");
        Path secondState = freshState ? dir.resolve("state-2") : firstState;
        Path logs = ResilienceSupport.logDir("JobCrashIT-" + (freshState ? "fresh" : "same"));

        long edgesExpected = ResilienceSupport.lineCounts(analyzed).get(TraceFileAnalyzer.WAKE_EDGES_FILE);
        // Same host: the default instance id (host and state folder). New host: the one it was given.
        String[] identity = freshState ? new String[]{"-X", "group.instance.id=crash-host-a"} : new String[0];
        try (JobProcess first = job("job-1", logs, settings, applicationId, firstState, identity);
             BackgroundReplay replay = startWhenRunning(first, client, applicationId, settings);
             CommittedCounter edges = new CommittedCounter(client, settings.topics().wakeEdges())) {
            // Killed mid-stream once it keeps up (a third of the edges out), as a job that ran fine
            // and then died: what is measured is the restart, not the warm-up the first one still owed.
            await("committed outputs while the replay is under way", Duration.ofSeconds(60),
                    () -> edges.getAsLong() >= edgesExpected / 3 && replay.sent() >= FLEET.size() * 2 / 5);
            long sentAtKill = replay.sent();
            long edgesAtKill = edges.getAsLong();
            ResilienceSupport.note("kill -9 " + first + ": " + sentAtKill + " records sent, " + edgesAtKill + " edges out");
            first.kill();
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            // What the dead job had committed (its open transaction holds the rest back).
            long committedByFirst = edges.drain(Duration.ofMillis(500));
            assertTrue(committedByFirst < edgesExpected, "the job was killed before it was done");

            long restart = System.nanoTime();
            try (JobProcess second = job("job-2", logs, settings, applicationId, secondState, identity)) {
                ResilienceSupport.note("restarted: " + second);
                await("output after the restart", Duration.ofSeconds(60), () -> edges.getAsLong() > committedByFirst);
                Duration resumed = Duration.ofNanos(System.nanoTime() - restart);
                ResilienceSupport.note("output resumed " + resumed.toMillis() + " ms after the restart ("
                        + (freshState ? "fresh" : "same") + " state folder)");
                assertTrue(resumed.compareTo(RESUME_BOUND) < 0, "output resumed " + resumed.toMillis()
                        + " ms after the restart, bound " + RESUME_BOUND.toMillis() + " ms; " + second);
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
                assertEquals(List.of(), KafkaTestSupport.readCommitted(client, settings.topics().deadLetter(),
                        Duration.ofSeconds(1)), "nothing failed processing");
            }
        }
    }

    /**
     * {@code run} as an operator starts it: the job's own defaults for the consumer group and
     * transactions (no shortened session timeout), its instance id as given.
     */
    private static JobProcess job(String name, Path logs, JobSettings settings, String applicationId, Path stateDir,
                                  String... extra) throws java.io.IOException {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--bootstrap-server", KAFKA.bootstrapServers(),
                "--topic-prefix", KafkaTestSupport.prefixOf(settings), "--application-id", applicationId,
                "--partitions", "4", "--http-port", "0", "-X", "state.dir=" + stateDir));
        args.addAll(List.of(extra));
        return JobProcess.start(name, logs, List.of(), args);
    }

    /** Starts the replay once the job owns its partitions, so it is mid-stream when it dies. */
    private static BackgroundReplay startWhenRunning(JobProcess job, Properties client, String applicationId,
                                                     JobSettings settings) throws Exception {
        job.awaitStarted(Duration.ofSeconds(60));
        await("the job to own its partitions", Duration.ofSeconds(60),
                () -> KafkaTestSupport.groupStable(client, applicationId, 1));
        ResilienceSupport.note("replay starts: " + job);
        return new BackgroundReplay(client, settings.topics().input(), FLEET, RATE);
    }
}
