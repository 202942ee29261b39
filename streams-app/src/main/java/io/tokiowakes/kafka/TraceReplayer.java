package io.tokiowakes.kafka;

import io.tokiowakes.avro.AvroTraceRecords;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.topology.WireFormat;
import io.tokiowakes.ingest.TraceDecoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes trace records with the keys of the contract: {@code <source>/<span_id>} for span
 * records, {@code <source>/<parent_id>} for events in a span, {@code <source>/thread/<id>} for
 * root events. A line that is not a valid record is still sent (unkeyed): the job's dead-letter
 * topic is where it is told why.
 */
public final class TraceReplayer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final TraceDecoder decoder = new TraceDecoder(Integer.MAX_VALUE);
    private final long nanosPerRecord;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;
    private long started = -1;

    private final WireFormat format;

    /** @param ratePerSecond records per second, 0 for as fast as the broker takes them */
    public TraceReplayer(Properties client, String topic, long ratePerSecond) {
        this(client, topic, ratePerSecond, WireFormat.JSON);
    }

    /** @param format the input topic's format: JSON lines are re-encoded for it */
    public TraceReplayer(Properties client, String topic, long ratePerSecond, WireFormat format) {
        this.format = format;
        Properties p = new Properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One request in flight: into a topic just created, the first batch can be refused
        // (NOT_LEADER_OR_FOLLOWER) while a later one is taken as the producer's first, after which
        // the retried first batch is out of sequence for good. Batches of every partition still
        // share each request, so one in flight costs a replay little.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putAll(client);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.nanosPerRecord = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
    }

    /** Sends a record (trace record v1 JSON) under its contract key, in the topic's format. */
    public void send(byte[] value) {
        send(keyOf(value), encode(value));
    }

    private byte[] encode(byte[] json) {
        if (format == WireFormat.AVRO) {
            try {
                return AvroTraceRecords.fromJson(json);
            } catch (InvalidRecordException e) {
                return json; // not a record: sent as it is, for the job to refuse with the reason
            }
        }
        return json;
    }

    /**
     * Sends a record under a key, as it is, once the pace allows.
     *
     * @return the record's place and append time in the log, once the broker has it
     * @throws IllegalStateException when an earlier record could not be sent
     */
    public Future<RecordMetadata> send(String key, byte[] value) {
        Exception f = failure.get();
        if (f != null) {
            throw new IllegalStateException("sending to " + topic + " failed: " + f.getMessage(), f);
        }
        pace();
        Future<RecordMetadata> appended = producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
        sent++;
        return appended;
    }

    private String keyOf(byte[] value) {
        try {
            return decoder.decode(value).contractKey();
        } catch (InvalidRecordException e) {
            return null;
        }
    }

    private void pace() {
        if (nanosPerRecord == 0) {
            return;
        }
        long now = System.nanoTime();
        if (started < 0) {
            started = now;
        }
        long due = started + sent * nanosPerRecord;
        if (due > now) {
            try {
                Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public long sent() {
        return sent;
    }

    /** Waits until every record sent so far is acknowledged. */
    public void flush() {
        producer.flush();
        Exception f = failure.get();
        if (f != null) {
            throw new IllegalStateException("sending to " + topic + " failed: " + f.getMessage(), f);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
