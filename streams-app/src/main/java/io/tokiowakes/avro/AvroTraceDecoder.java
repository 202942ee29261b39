package io.tokiowakes.avro;

import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.ingest.RecordDecoder;
import io.tokiowakes.ingest.TraceDecoder;
import io.tokiowakes.model.TraceRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

import java.io.IOException;

/**
 * Reads trace record v1 in Avro single-object encoding: marker {@code C3 01}, the writer schema's
 * CRC-64-AVRO fingerprint, the binary body. Any released schema version is resolved to the
 * current one, so no schema registry is needed; the record then passes the same validation as
 * JSON and gives the same {@link TraceRecord}.
 */
public final class AvroTraceDecoder implements RecordDecoder {

    private final int maxRecordBytes;
    private final TraceDecoder validation;
    private final BinaryMessageDecoder<TraceRecordV1> avro =
            TraceRecordV1.createDecoder(SchemaHistory.storeOf(TraceRecordV1.getClassSchema().getFullName()));

    public AvroTraceDecoder(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.validation = new TraceDecoder(maxRecordBytes);
    }

    @Override
    public TraceRecord decode(byte[] value) throws InvalidRecordException {
        return validation.decode(AvroTraceRecords.toJson(read(value)));
    }

    /** The Avro record as written, resolved to the current schema, not yet validated. */
    public TraceRecordV1 read(byte[] value) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException("empty value");
        }
        if (value.length > maxRecordBytes) {
            throw new InvalidRecordException("record of " + value.length + " bytes exceeds the limit of " + maxRecordBytes);
        }
        SingleObject.checkHeader(value);
        try {
            return avro.decode(value);
        } catch (MissingSchemaException e) {
            throw new InvalidRecordException("unknown Avro schema fingerprint " + SingleObject.fingerprintHex(value)
                    + ": not a released trace record v1 schema");
        } catch (BadHeaderException e) {
            throw new InvalidRecordException("not Avro single-object encoding: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Avro reports a corrupt body as EOF, a bad union index or a length over its limits.
            throw new InvalidRecordException("invalid Avro trace record: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
