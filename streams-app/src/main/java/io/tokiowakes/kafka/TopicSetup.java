package io.tokiowakes.kafka;

import io.tokiowakes.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Creates the job's topics where they are missing; existing topics are left as they are. */
public final class TopicSetup {

    /**
     * {@code index.interval.bytes} of the topics the job writes (outputs, dead letters, and through
     * {@code topic.index.interval.bytes} its changelogs and repartition topic), 1 MiB rather than
     * Kafka's 4 KB. A partition adds an entry to its offset and time indexes at the first append
     * after this many bytes of log since its last entry ({@code LogSegment.append}). The job writes
     * each partition in transactions: a batch of up to {@code WakeJob.PRODUCER_BATCH_BYTES} (256 KB)
     * a commit, then the commit's marker, so with 4 KB nearly every marker wrote two index entries,
     * into the memory-mapped index files. On the local broker those writes were 43 % of its request
     * handlers' samples (from {@code handleWriteTxnMarkersRequest}, JFR), and with 1 MiB its kernel
     * time over a benchmark fell to 28-54 % of what it was (README, Speed). Reads lose little: a
     * fetch finds its offset by reading at most 1 MiB of batch headers past an entry, and the job
     * and its readers fetch in order.
     */
    public static final int INDEX_INTERVAL_BYTES = 1 << 20;

    private static final Duration LEADER_WAIT = Duration.ofSeconds(10);

    private TopicSetup() {
    }

    /** @return the topics it created */
    public static List<String> ensure(Properties client, Topics topics, int inputPartitions, int outputPartitions)
            throws InterruptedException {
        try (Admin admin = Admin.create(client)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> wanted = new ArrayList<>();
            // Append times: one clock, rising in each partition, for the job to tell how far each is read.
            add(wanted, existing, topics.input(), inputPartitions, Map.of("message.timestamp.type", "LogAppendTime"));
            Map<String, String> written = Map.of(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, String.valueOf(INDEX_INTERVAL_BYTES));
            for (String out : topics.outputs()) {
                add(wanted, existing, out, outputPartitions, written);
            }
            add(wanted, existing, topics.deadLetter(), 1, written);
            if (wanted.isEmpty()) {
                return List.of();
            }
            List<String> created = new ArrayList<>();
            for (var e : admin.createTopics(wanted).values().entrySet()) {
                try {
                    e.getValue().get();
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
            awaitLeaders(admin, created);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Waits (up to {@link #LEADER_WAIT}) until every partition of the topics has a leader: a
     * producer that writes to a topic at once is otherwise refused (NOT_LEADER_OR_FOLLOWER) and
     * logs a warning for each retry.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (!topics.isEmpty() && System.nanoTime() < deadline) {
            try {
                boolean led = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                // Just created: the broker the request went to may not know the topic yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }

    /** Partitions of an existing topic. */
    public static int partitions(Properties client, String topic) {
        try (Admin admin = Admin.create(client)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        }
    }

    private static void add(List<NewTopic> wanted, Set<String> existing, String name, int partitions,
                            Map<String, String> configs) {
        if (!existing.contains(name)) {
            // The broker's default replication factor: 1 on a local broker, the cluster's choice elsewhere.
            wanted.add(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs));
        }
    }
}
