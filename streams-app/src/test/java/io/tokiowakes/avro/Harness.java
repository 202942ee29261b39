package io.tokiowakes.avro;

import io.tokiowakes.topology.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import io.tokiowakes.topology.WakeTopology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/** The job's topology in-process, fed raw values and read as raw values, whatever the format. */
final class Harness implements AutoCloseable {

    private final JobSettings settings;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> input;

    Harness(JobSettings settings) {
        this.settings = settings;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avro-harness");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:0");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("avro-harness").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(WakeTopology.build(settings, new JobMetrics()), props, Instant.EPOCH);
        input = driver.createInputTopic(settings.topics().input(), new StringSerializer(), new ByteArraySerializer());
    }

    Harness pipe(List<KeyValue<String, byte[]>> records) {
        records.forEach(r -> input.pipeInput(r.key, r.value));
        return this;
    }

    /** Lets the ordering buffer release what it holds. */
    Harness flush() {
        driver.advanceWallClockTime(io.tokiowakes.topology.TopologyHarness.FLUSH);
        return this;
    }

    List<TestRecord<String, byte[]>> read(String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
    }

    Topics topics() {
        return settings.topics();
    }

    @Override
    public void close() {
        driver.close();
    }
}
