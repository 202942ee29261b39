package io.tokiowakes.kafka;

import io.tokiowakes.engine.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.WakeTopology;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The job on a Kafka cluster: the topology in a KafkaStreams instance, exactly-once. */
public final class WakeJob implements AutoCloseable {

    public static final String DEFAULT_APPLICATION_ID = "tokio-wakes";
    private static final Logger LOG = LoggerFactory.getLogger(WakeJob.class);

    private final KafkaStreams streams;
    private final JobMetrics metrics = new JobMetrics();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** How often the input partitions' log ends are compared with what the job has committed. */
    private static final long PROGRESS_EVERY_MS = 200;
    /**
     * The stream threads' producer batch (bytes) while commits are paced: room for what a busy
     * partition gets between two commits of a backlog, compressed (a repartition partition: about
     * 100-200 KB in 500 ms at 150,000 input records/s).
     */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    private final LogEndProgress progress;
    private final InstanceIdentity identity;
    private final String guarantee;
    private volatile KafkaStreams streamsOrNull;

    /**
     * A job, not started yet.
     *
     * @param client   Kafka client and Streams settings ({@code bootstrap.servers}, {@code application.id},
     *                 {@code state.dir}, ...), over the job's defaults
     * @param settings the job's own settings
     * @throws IllegalStateException when another instance of the application runs on the same state folder
     */
    public WakeJob(Properties client, JobSettings settings) {
        JobSettings withPartitions = settings.withInputPartitions(TopicSetup.partitions(client, settings.topics().input()));
        Properties p = streamsConfig(client, withPartitions);
        withPartitions = paceCommits(p, withPartitions);
        identity = InstanceIdentity.apply(p);
        guarantee = p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        try {
            progress = new LogEndProgress(client, settings.topics().input(), () -> streamsOrNull, PROGRESS_EVERY_MS,
                    settings.reorderWindowMs(), settings.backlogCommitMs());
            streams = new KafkaStreams(WakeTopology.build(withPartitions, metrics, progress), p);
        } catch (RuntimeException e) {
            identity.close();
            throw e;
        }
        streamsOrNull = streams;
        // A stream thread that fails (say its transaction was aborted by the broker while the
        // machine stalled) is replaced: the new one restores its tasks from the changelogs and
        // resumes from the last commit, so exactly-once holds and the job goes on.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("a stream thread failed; it is replaced and resumes from the last commit", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
    }

    /**
     * The job's Kafka Streams settings: its defaults (exactly-once v2, two stream threads per core,
     * the dead-letter handler, snappy batches, larger input fetches, no task idling, sparse indexes on
     * its internal topics) under whatever {@code client} sets.
     *
     * @return new properties; {@code client} is not changed
     */
    public static Properties streamsConfig(Properties client, JobSettings settings) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Two stream threads per core, no more than there are input partitions (see defaultThreads).
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(defaultThreads(settings.inputPartitions())));
        // A record whose processing throws goes to the dead-letter topic; the job goes on.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, settings.topics().deadLetter());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Each stream thread's partition assignor reads the Streams settings back from its consumer's
        // settings, which do not carry this one, and warns that it is off; the consumer ignores it.
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
        // Snappy, not lz4: Kafka's lz4 writer allocates two 64 KB buffers for every new producer
        // batch, and a stream thread starts a batch for every changelog, output and repartition
        // partition it writes between commits. With lz4 that was 7 % of the stream threads' time
        // (JFR, backlog, 2 threads), with snappy, whose writer reuses its buffers, 0.3 %.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "snappy");
        // Most input records stop at the filter, so a stream thread gets through a fetch quickly and
        // then waits a round trip to the broker for the next: with Kafka's 1 MB per partition and
        // Streams' 1,000 records per poll its threads spent 35-57 % of a backlog blocked on Kafka,
        // with 8 MB and 5,000 records 24-31 % (benchmark, 2 threads, 20 sources). A fetch is still
        // capped at fetch.max.bytes (50 MB).
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), String.valueOf(8 << 20));
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "5000");
        // Every task reads one partition (no joins): there is nothing to wait for across partitions,
        // and the check for it costs a few percent of each record. The job orders records itself.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // Changelogs and the repartition topic: an index entry a MiB, not one per commit marker (TopicSetup).
        p.put(StreamsConfig.topicPrefix(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG), String.valueOf(TopicSetup.INDEX_INTERVAL_BYTES));
        p.putAll(client);
        return p;
    }

    /**
     * Paces commits by backlog (see {@code CommitPace}): {@code commit.interval.ms} as given (or
     * Kafka Streams' default for the guarantee) becomes how often a task that is not behind asks
     * for a commit, and Kafka Streams' own interval becomes {@code backlog.commit.interval.ms},
     * when that is the longer.
     *
     * @param p        Kafka Streams settings, changed in place
     * @param settings the job's settings
     * @return the settings with the commit interval as given
     */
    static JobSettings paceCommits(Properties p, JobSettings settings) {
        JobSettings paced = settings.withCommitInterval(commitIntervalMs(p));
        if (paced.commitsPaced()) {
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(paced.backlogCommitMs()));
            if (StreamsConfig.EXACTLY_ONCE_V2.equals(p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
                holdBatchesUntilCommit(p, paced.backlogCommitMs());
            }
        }
        return paced;
    }

    /**
     * Under exactly-once, lets the stream threads' producers hold their batches until the commit:
     * {@code linger.ms} = {@code lingerMs}, {@code batch.size} = {@link #PRODUCER_BATCH_BYTES},
     * each unless set. What a stream thread sends in a transaction is read by no read_committed
     * consumer (all of the job's own) before the transaction commits, and every commit flushes the
     * producer first: a batch that waits for the commit is readable no later. Each partition a
     * thread writes then gets one produce batch per commit, not one per 100 ms (Kafka Streams'
     * {@code linger.ms}) or 16 KB (Kafka's {@code batch.size}): in a backlog the producers sent
     * half as many requests, and the broker, which shares the machine, used about a tenth less
     * CPU per input record (README, Speed). Not under at-least-once, where readers see records as
     * they are sent.
     *
     * @param p        Kafka Streams settings, changed in place
     * @param lingerMs the longest interval between two commits (ms)
     */
    private static void holdBatchesUntilCommit(Properties p, long lingerMs) {
        putUnlessSet(p, ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        putUnlessSet(p, ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(PRODUCER_BATCH_BYTES));
    }

    /** Sets a producer setting for the stream threads' producers, unless set for them or for every client. */
    private static void putUnlessSet(Properties p, String producerKey, String value) {
        if (!p.containsKey(producerKey) && !p.containsKey(StreamsConfig.producerPrefix(producerKey))) {
            p.put(StreamsConfig.producerPrefix(producerKey), value);
        }
    }

    /**
     * @param p Kafka Streams settings
     * @return their {@code commit.interval.ms} (ms): as set, or Kafka Streams' default for their
     *         processing guarantee (100 under exactly-once)
     */
    static long commitIntervalMs(Properties p) {
        // StreamsConfig knows the default per guarantee. Its public constructor logs every setting
        // (Kafka Streams logs them again when it starts); the quiet one is protected, hence the subclass.
        return new StreamsConfig(p, false) {
        }.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    /**
     * Stream threads when none are configured: one per input partition, up to twice the cores.
     * A stream thread spends a third to a half of a backlog blocked on Kafka (each commit waits
     * for the producer's flush and the transaction's round trips), so twice as many threads as
     * cores keep the cores busy meanwhile; and the wake task of one busy source shares its thread
     * with fewer input partitions' ingest. Measured in README, Speed.
     *
     * @param inputPartitions partitions of the input topic
     * @return at least 1
     */
    public static int defaultThreads(int inputPartitions) {
        return Math.max(1, Math.min(2 * Runtime.getRuntime().availableProcessors(), inputPartitions));
    }

    /** Starts the job's stream threads; returns at once (see {@link #awaitRunning}). */
    public WakeJob start() {
        if (identity.previousRunCrashed()
                && StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
            // The state on disk of a job that died has no checkpoint: under exactly-once Kafka
            // Streams discards it and restores from the changelogs, but only after opening every
            // store once at start. Removing it first spares those seconds of a restart.
            LOG.info("the last run on this state folder did not stop cleanly: its local state is restored from the changelogs");
            streams.cleanUp();
        }
        streams.start();
        return this;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public JobMetrics metrics() {
        return metrics;
    }

    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /** Blocks until the job has stopped (closed, or failed). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (stopped.await(50, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return false;
    }

    /**
     * Stops the job, committing what it has done, and leaves the consumer group, so that the
     * other instances take its partitions over at once (a restarted one rejoins as quickly).
     */
    @Override
    public void close() {
        progress.close();
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        identity.close();
        stopped.countDown();
    }
}
