package io.tokiowakes.avro;

import io.tokiowakes.topology.JobMetrics;
import io.tokiowakes.topology.JobSettings;
import io.tokiowakes.topology.Topics;
import io.tokiowakes.topology.TopologyHarness;
import io.tokiowakes.topology.WakeTopology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.time.Instant;
import java.util.List;

/** The job's topology in-process, fed raw values and read as raw values, whatever the format. */
final class Harness implements AutoCloseable {

    private final JobSettings settings;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> input;

    Harness(JobSettings settings) {
        this.settings = settings;
        driver = new TopologyTestDriver(WakeTopology.build(settings, new JobMetrics()),
                TopologyHarness.driverConfig("avro-harness"), Instant.EPOCH);
        input = driver.createInputTopic(settings.topics().input(), new StringSerializer(), new ByteArraySerializer());
    }

    Harness pipe(List<KeyValue<String, byte[]>> records) {
        records.forEach(r -> input.pipeInput(r.key, r.value));
        return this;
    }

    /** Lets the ordering buffer release what it holds. */
    Harness flush() {
        driver.advanceWallClockTime(TopologyHarness.FLUSH);
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
