package io.tokiowakes.kafka;

import io.tokiowakes.topology.JobSettings;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a cluster, commit.interval.ms as given is how often a caught-up task asks for a commit, and
 * Kafka Streams' own interval is the backlog one, when that is the longer.
 */
class CommitPacingTest {

    private static Properties streams(String... keyValues) {
        Properties client = new Properties();
        client.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            client.put(keyValues[i], keyValues[i + 1]);
        }
        return WakeJob.streamsConfig(client, JobSettings.defaults());
    }

    private static final JobSettings BACKLOG_500 = JobSettings.defaults().withBacklogCommitInterval(500);

    private static final String LINGER = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
    private static final String BATCH = StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG);

    /** What the stream threads' producers get, all settings and precedence applied by Kafka Streams. */
    private static Object producerSetting(Properties p, String key) {
        return new StreamsConfig(p).getProducerConfigs("stream-thread-producer").get(key);
    }

    @Test
    void exactlyOnceByDefaultAsksEvery100MsAndCommitsEveryHalfSecondBehind() {
        Properties p = streams();
        JobSettings s = WakeJob.paceCommits(p, JobSettings.defaults());
        assertTrue(s.commitsPaced());
        assertEquals(100, s.commitMs(), "Kafka Streams' default under exactly-once");
        assertEquals("500", p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    }

    @Test
    void zeroTurnsItOff() {
        Properties p = streams();
        JobSettings s = WakeJob.paceCommits(p, JobSettings.defaults().withBacklogCommitInterval(0));
        assertFalse(s.commitsPaced());
        assertEquals(100, s.commitMs());
        assertFalse(p.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG), "left to Kafka Streams");
        assertFalse(p.containsKey(LINGER), "left to Kafka Streams");
        assertFalse(p.containsKey(BATCH), "left to Kafka");
    }

    @Test
    void pacedProducersHoldTheirBatchesUntilTheBacklogCommit() {
        Properties p = streams();
        WakeJob.paceCommits(p, JobSettings.defaults().withBacklogCommitInterval(2000));
        assertEquals("2000", String.valueOf(producerSetting(p, ProducerConfig.LINGER_MS_CONFIG)),
                "a batch waits at most for the next commit, which flushes it");
        assertEquals(String.valueOf(WakeJob.PRODUCER_BATCH_BYTES), String.valueOf(producerSetting(p, ProducerConfig.BATCH_SIZE_CONFIG)));
    }

    @Test
    void producerSettingsGivenForEveryClientOrTheProducerWin() {
        Properties forAll = streams(ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, "1000");
        WakeJob.paceCommits(forAll, BACKLOG_500);
        assertEquals("5", String.valueOf(producerSetting(forAll, ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals("1000", String.valueOf(producerSetting(forAll, ProducerConfig.BATCH_SIZE_CONFIG)));

        Properties forProducer = streams(LINGER, "7");
        WakeJob.paceCommits(forProducer, BACKLOG_500);
        assertEquals("7", String.valueOf(producerSetting(forProducer, ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals(String.valueOf(WakeJob.PRODUCER_BATCH_BYTES),
                String.valueOf(producerSetting(forProducer, ProducerConfig.BATCH_SIZE_CONFIG)), "only the linger was given");
    }

    @Test
    void atLeastOnceIsPacedButSendsAsKafkaStreamsWould() {
        Properties p = streams(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        JobSettings s = WakeJob.paceCommits(p, BACKLOG_500);
        assertTrue(s.commitsPaced());
        assertFalse(p.containsKey(LINGER), "at-least-once readers see records as they are sent: a linger would delay them");
        assertFalse(p.containsKey(BATCH));
    }

    @Test
    void aGivenCommitIntervalIsTheCaughtUpOne() {
        Properties p = streams(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
        JobSettings s = WakeJob.paceCommits(p, BACKLOG_500);
        assertEquals(50, s.commitMs());
        assertEquals("500", p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
    }

    @Test
    void noPacingWhereTheBacklogIntervalIsNotLonger() {
        Properties p = streams(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        JobSettings s = WakeJob.paceCommits(p, BACKLOG_500);
        assertEquals(30_000, s.commitMs(), "Kafka Streams' default under at-least-once");
        assertFalse(s.commitsPaced());
        assertFalse(p.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG), "left to Kafka Streams");
        assertFalse(p.containsKey(LINGER), "at-least-once sends what is not committed: a linger would delay it");
    }
}
