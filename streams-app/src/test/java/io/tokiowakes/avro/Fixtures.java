package io.tokiowakes.avro;

import io.tokiowakes.analyze.TraceLines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The fixture traces, one value per line. */
final class Fixtures {

    static final List<String> NAMES = List.of("seed-program", "mixed-w2");

    private Fixtures() {
    }

    static List<byte[]> lines(String name) {
        List<byte[]> out = new ArrayList<>();
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".jsonl")) {
            TraceLines.of(in).forEach((n, v) -> out.add(v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<byte[]> avroLines(String name) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] json : lines(name)) {
            try {
                out.add(AvroTraceRecords.fromJson(json));
            } catch (io.tokiowakes.ingest.InvalidRecordException e) {
                throw new AssertionError("fixture line not convertible: " + e.getMessage());
            }
        }
        return out;
    }
}
