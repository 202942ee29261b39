package io.tokiowakes.kafka;

import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Helpers for tests against the real broker (see {@link LocalKafkaExtension}): client settings,
 * a pipeline of topics per test, fixtures to send, reading what was committed, and waiting.
 */
public final class KafkaTestSupport {

    private KafkaTestSupport() {
    }

    /** Client settings with only {@code bootstrap.servers}; callers add what their client needs. */
    public static Properties client(String bootstrap) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    /**
     * How far apart in append time the tests' replays may put records of one source out of seq
     * order: they interleave keys at random over the whole replay (2.6 s for 2,377 records beside
     * another Maven build), far more than a collector does.
     */
    public static final Duration REPLAY_DISORDER = Duration.ofSeconds(6);

    /** A fresh pipeline on the shared broker: its own topic prefix, an ordering window for the replays' disorder. */
    public static JobSettings pipeline(String name) {
        return JobSettings.defaults().withTopics(Topics.withPrefix(name + "-" + UUID.randomUUID().toString().substring(0, 8) + "."))
                .withReorderWindow(REPLAY_DISORDER);
    }

    /**
     * The topic prefix of a pipeline's settings (as given to {@code --topic-prefix}): its input
     * topic's name without the default input topic's.
     */
    public static String prefixOf(JobSettings settings) {
        String input = settings.topics().input();
        return input.substring(0, input.length() - Topics.DEFAULT.input().length());
    }

    /**
     * Streams settings for a job of this pipeline: the broker, an application id made from the
     * pipeline's input topic, and the state folder.
     */
    public static Properties streamsConfig(String bootstrap, JobSettings settings, Path stateDir) {
        Properties p = client(bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.topics().input().replace('.', '-') + "-job");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    /** The records of {@code src/test/resources/fixtures/<name>.jsonl}, one per line, in file order. */
    public static List<byte[]> fixture(String name) {
        List<byte[]> out = new ArrayList<>();
        try (InputStream in = KafkaTestSupport.class.getResourceAsStream("/fixtures/" + name + ".jsonl")) {
            TraceLines.of(in).forEach((n, v) -> out.add(v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The records in an order Kafka could deliver them from many partitions: each key's records
     * keep their order, records of different keys are interleaved at random.
     */
    public static List<byte[]> interleaved(List<byte[]> records, long seed) {
        TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
        Map<String, List<byte[]>> byKey = new LinkedHashMap<>();
        for (byte[] r : records) {
            String key;
            try {
                key = decoder.decode(r).contractKey();
            } catch (InvalidRecordException e) {
                key = "";
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<List<byte[]>> queues = new ArrayList<>(byKey.values());
        int[] next = new int[queues.size()];
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(records.size());
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            open.add(i);
        }
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int q = open.get(pick);
            out.add(queues.get(q).get(next[q]++));
            if (next[q] == queues.get(q).size()) {
                open.remove(pick);
            }
        }
        return out;
    }

    /** Writes the records to {@code file}, one per line (a trace file as the CLI reads it); returns the file. */
    public static Path writeLines(Path file, List<byte[]> records) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            for (byte[] r : records) {
                out.write(r);
                out.write('\n');
            }
        }
        return file;
    }

    /** Polls a condition every 100 ms until it holds; fails the test, naming {@code what}, after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Whether the job's consumer group is stable, with this many job instances, each of them
     * owning partitions (false too if the group cannot be described). Every stream thread of an
     * instance is a member; their client IDs share the instance's prefix
     * ({@code <application id>-<instance uuid>-StreamThread-N-consumer}).
     *
     * @param client         admin client settings for the broker
     * @param applicationId  the job's application id, which is its group id
     * @param instances      how many instances must be members
     */
    public static boolean groupStable(Properties client, String applicationId, int instances) {
        try (Admin admin = Admin.create(client)) {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(applicationId))
                    .describedGroups().get(applicationId).get(10, TimeUnit.SECONDS);
            if (g.groupState() != GroupState.STABLE) {
                return false;
            }
            Map<String, Integer> owned = new HashMap<>();
            for (MemberDescription m : g.members()) {
                String instance = m.clientId().replaceFirst("-StreamThread-\\d+-consumer$", "");
                owned.merge(instance, m.assignment().topicPartitions().size(), Integer::sum);
            }
            return owned.size() == instances && owned.values().stream().allMatch(n -> n > 0);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Every record of a topic that a read_committed consumer sees from the beginning, until it
     * was idle for {@code idle}; in each partition's order, partitions one after another as polled.
     */
    public static List<ConsumerRecord<String, byte[]>> readCommitted(Properties client, String topic, Duration idle) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedConsumer(client)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long last = System.nanoTime();
            while (System.nanoTime() - last < idle.toNanos()) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(200));
                batch.forEach(out::add);
                if (!batch.isEmpty()) {
                    last = System.nanoTime();
                }
            }
        }
        return out;
    }

    /**
     * Counts the committed records of a topic from its beginning as they come, for "wait until
     * some outputs exist": each {@link #getAsLong()} polls once and returns the count so far.
     */
    public static final class CommittedCounter implements AutoCloseable, LongSupplier {
        private final KafkaConsumer<String, byte[]> consumer;
        private long count;

        /** A read_committed consumer of every partition of {@code topic}, without a group. */
        public CommittedCounter(Properties client, String topic) {
            consumer = committedConsumer(client);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        @Override
        public long getAsLong() {
            count += consumer.poll(Duration.ofMillis(200)).count();
            return count;
        }

        /** Reads until nothing new has come for {@code quiet}; returns the count: everything committed so far. */
        public long drain(Duration quiet) {
            long last = System.nanoTime();
            while (System.nanoTime() - last < quiet.toNanos()) {
                int n = consumer.poll(Duration.ofMillis(100)).count();
                if (n > 0) {
                    count += n;
                    last = System.nanoTime();
                }
            }
            return count;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Assigned by hand (no group, no commits), so reading never disturbs the job's group. */
    private static KafkaConsumer<String, byte[]> committedConsumer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
