package io.tokiowakes.avro;

import io.tokiowakes.kafka.KafkaTestSupport;

import java.util.ArrayList;
import java.util.List;

/** The fixture traces, one value per line. */
final class Fixtures {

    static final List<String> NAMES = List.of("seed-program", "mixed-w2");

    private Fixtures() {
    }

    static List<byte[]> avroLines(String name) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] json : KafkaTestSupport.fixture(name)) {
            try {
                out.add(AvroTraceRecords.fromJson(json));
            } catch (io.tokiowakes.ingest.InvalidRecordException e) {
                throw new AssertionError("fixture line not convertible: " + e.getMessage());
            }
        }
        return out;
    }
}
