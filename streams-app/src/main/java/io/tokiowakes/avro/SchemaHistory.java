package io.tokiowakes.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Every released version of the wire schemas ({@code schemas/history/}): what a reader must be
 * able to resolve, since producers that still write an old version are out there. The jar
 * carries the folder's files; a test holds {@link #FILES} and the folder equal, and requires the
 * current schemas to be among them.
 */
public final class SchemaHistory {

    /** The files of {@code schemas/history/}, each one released version of one record. */
    static final List<String> FILES = List.of(
            "trace-record-v1.0.avsc", "trace-record-v1.1.avsc",
            "wake-edge-v1.0.avsc", "wake-edge-v1.1.avsc",
            "wake-delay-v1.0.avsc",
            "anomaly-v1.0.avsc", "anomaly-v1.1.avsc",
            "task-summary-v1.0.avsc", "task-summary-v1.1.avsc", "task-summary-v1.2.avsc");

    private static final List<Schema> RELEASED = FILES.stream().map(SchemaHistory::load).toList();

    private static Schema load(String file) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream("/schemas/history/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schemas/history/" + file + " is missing from the class path");
            }
            // A parser per file: every version defines the same names.
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SchemaHistory() {
    }

    /** Every released schema, current ones included. */
    public static List<Schema> released() {
        return RELEASED;
    }

    /** The released versions of one record (by full name), to register with a decoder. */
    public static SchemaStore.Cache storeOf(String fullName) {
        SchemaStore.Cache store = new SchemaStore.Cache();
        for (Schema s : RELEASED) {
            if (s.getFullName().equals(fullName)) {
                store.addSchema(s);
            }
        }
        return store;
    }

    /** The 8-byte CRC-64-AVRO fingerprint single-object encoding puts after its marker. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
