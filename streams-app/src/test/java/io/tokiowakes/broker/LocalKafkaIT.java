package io.tokiowakes.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

    private static final String RECORDS = "it-records";
    private static final String TX = "it-tx";

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void brokerRoundTripsRecordsAndTransactionsThenStops(@TempDir Path tmp) throws Exception {
        LocalKafka kafka = LocalKafka.start(tmp.resolve("kafka"), 0, Map.of());
        Process process = kafka.process();
        int port = port(kafka.bootstrapServers());
        try {
            assertTrue(Files.isRegularFile(kafka.dataDir().resolve("server.properties")));
            // The benchmark sets the broker's CPU beside the job's: it is counted, and only grows.
            long cpuAtStart = kafka.cpuNanos().orElseThrow();
            assertTrue(cpuAtStart > 0, "broker CPU " + cpuAtStart);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(RECORDS, 4, (short) 1), new NewTopic(TX, 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }

            Set<Integer> partitionsWritten = new HashSet<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka, null))) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    sent.add(producer.send(new ProducerRecord<>(RECORDS, "key-" + i, "value-" + i)));
                }
                for (Future<RecordMetadata> f : sent) {
                    partitionsWritten.add(f.get(30, TimeUnit.SECONDS).partition());
                }
            }
            assertEquals(Set.of(0, 1, 2, 3), partitionsWritten);
            // Creating topics and taking 100 records costs the broker far more than Linux's 10 ms tick.
            assertTrue(kafka.cpuNanos().orElseThrow() > cpuAtStart);

            // Commit one transaction and abort another: needs the transaction state log (RF 1, min ISR 1).
            try (KafkaProducer<String, String> tx = new KafkaProducer<>(producerProps(kafka, "it-tx-" + UUID.randomUUID()))) {
                tx.initTransactions();
                tx.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    tx.send(new ProducerRecord<>(TX, "committed-" + i, "c"));
                }
                tx.commitTransaction();
                tx.beginTransaction();
                for (int i = 0; i < 5; i++) {
                    tx.send(new ProducerRecord<>(TX, "aborted-" + i, "a"));
                }
                tx.flush();
                tx.abortTransaction();
            }

            List<ConsumerRecord<String, String>> records = consume(kafka, RECORDS, 100);
            assertEquals(100, records.size());
            assertEquals(100, records.stream().map(ConsumerRecord::key).distinct().count());
            assertEquals(Set.of(0, 1, 2, 3), partitionsOf(records));

            List<ConsumerRecord<String, String>> committed = consume(kafka, TX, 10);
            assertEquals(10, committed.size());
            assertTrue(committed.stream().allMatch(r -> r.key().startsWith("committed-")));
        } finally {
            kafka.close();
        }

        assertFalse(process.isAlive(), "broker process still running after close()");
        assertFalse(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoBrokersInOneJvm(@TempDir Path tmp) throws Exception {
        try (LocalKafka a = LocalKafka.start(tmp.resolve("a"), 0, Map.of());
             LocalKafka b = LocalKafka.start(tmp.resolve("b"), 0, Map.of())) {
            assertNotEquals(a.bootstrapServers(), b.bootstrapServers());
            assertNotEquals(clusterId(a), clusterId(b));
        }
    }

    private static String clusterId(LocalKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static Properties producerProps(LocalKafka kafka, String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    /** Reads through a consumer group (so the offsets topic must work too) until {@code expected} arrive. */
    private static List<ConsumerRecord<String, String>> consume(LocalKafka kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // One more short poll: anything beyond `expected` (e.g. aborted records) must not show up.
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            consumer.commitSync();
        }
        return out;
    }

    private static Set<Integer> partitionsOf(List<ConsumerRecord<String, String>> records) {
        Set<Integer> partitions = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            partitions.add(r.partition());
        }
        return partitions;
    }

    private static int port(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }
}
