package io.tokiowakes.topology;

import io.tokiowakes.ingest.RecordType;
import io.tokiowakes.ingest.TaskInfo;
import io.tokiowakes.ingest.TraceRecord;
import io.tokiowakes.ingest.WakerOp;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The compact binary form of a decoded record, for what the job writes for itself: the
 * repartition topic and the ordering buffer. Every record that passes the filter is written and
 * read here at least twice, so it is kept small and cheap. The first byte is a format version.
 */
public final class TraceRecordSerde implements Serde<TraceRecord> {

    private static final byte VERSION = 1;
    private static final RecordType[] TYPES = RecordType.values();
    private static final WakerOp[] OPS = WakerOp.values();

    @Override
    public Serializer<TraceRecord> serializer() {
        return (topic, r) -> r == null ? null : write(r);
    }

    @Override
    public Deserializer<TraceRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(TraceRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(r.type().ordinal());
            out.writeUTF(r.source());
            writeLong(out, r.seq());
            out.writeLong(r.tsNanos());
            writeString(out, r.threadId());
            out.writeUTF(r.threadName());
            writeLong(out, r.spanId());
            writeLong(out, r.parentId());
            writeString(out, r.name());
            writeString(out, r.target());
            out.writeByte(r.wakerOp() == null ? -1 : r.wakerOp().ordinal());
            writeLong(out, r.wakeeSpanId());
            TaskInfo t = r.task();
            out.writeBoolean(t != null);
            if (t != null) {
                writeLong(out, t.taskId());
                out.writeUTF(t.name());
                out.writeUTF(t.kind());
                writeString(out, t.loc());
                writeString(out, t.fn());
                writeLong(out, t.sizeBytes());
                writeLong(out, t.originalSizeBytes());
            }
        } catch (IOException e) {
            throw new SerializationException("cannot write record", e);
        }
        return bytes.toByteArray();
    }

    static TraceRecord read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("unknown record format version " + version);
            }
            RecordType type = TYPES[in.readByte()];
            String source = in.readUTF();
            Long seq = readLong(in);
            long ts = in.readLong();
            String threadId = readString(in);
            String threadName = in.readUTF();
            Long spanId = readLong(in);
            Long parentId = readLong(in);
            String name = readString(in);
            String target = readString(in);
            byte op = in.readByte();
            Long wakee = readLong(in);
            TaskInfo task = null;
            if (in.readBoolean()) {
                task = new TaskInfo(readLong(in), in.readUTF(), in.readUTF(), readString(in), readString(in),
                        readLong(in), readLong(in));
            }
            return new TraceRecord(type, source, seq, ts, threadId, threadName, spanId, parentId, name, target,
                    task, op < 0 ? null : OPS[op], wakee);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("cannot read record", e);
        }
    }

    private static void writeLong(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
