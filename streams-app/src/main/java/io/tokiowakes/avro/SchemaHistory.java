package io.tokiowakes.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

import java.util.List;

/**
 * Every released version of the wire schemas ({@code schemas/history/}): what a reader must be
 * able to resolve, since producers that still write an old version are out there. Versions older
 * than the current ones are kept here as text because the jar carries no schema files; a test
 * holds this list and {@code schemas/history/} equal.
 */
public final class SchemaHistory {

    /** trace record v1.0: before {@code seq} and {@code thread_name}. */
    static final String TRACE_RECORD_V1_0 = """
            {"type":"record","name":"TraceRecordV1","namespace":"io.tokiowakes.avro","fields":[
              {"name":"type","type":"string"},
              {"name":"source","type":"string"},
              {"name":"ts_nanos","type":"long"},
              {"name":"thread_id","type":["null","string"],"default":null},
              {"name":"span_id","type":["null","long"],"default":null},
              {"name":"parent_id","type":["null","long"],"default":null},
              {"name":"name","type":["null","string"],"default":null},
              {"name":"target","type":["null","string"],"default":null},
              {"name":"level","type":["null","string"],"default":null},
              {"name":"fields","type":["null",{"type":"map","values":
                ["null","boolean","long","double","string",{"type":"fixed","name":"U64","size":8}]}],"default":null}
            ]}""";

    private static final List<Schema> RELEASED = List.of(
            new Schema.Parser().parse(TRACE_RECORD_V1_0),
            TraceRecordV1.getClassSchema(),
            WakeEdge.getClassSchema(),
            Anomaly.getClassSchema(),
            TaskSummary.getClassSchema());

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
