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

import static io.tokiowakes.topology.BinaryFields.readLong;
import static io.tokiowakes.topology.BinaryFields.writeLong;
import static io.tokiowakes.topology.BinaryFields.writeString;

/**
 * The compact binary form of a decoded record, for what the job writes for itself: the
 * repartition topic and the ordering buffer. Every record that passes the filter is written and
 * read here at least twice, so it is kept small and cheap. The first byte is a format version.
 */
public final class TraceRecordSerde implements Serde<TraceRecord> {

    /** 2: strings length-prefixed UTF-8; 1: modified UTF-8 ({@code writeUTF}), still read. */
    private static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;
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
            writeString(out, r.source());
            writeLong(out, r.seq());
            out.writeLong(r.tsNanos());
            writeString(out, r.threadId());
            writeString(out, r.threadName());
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
                writeString(out, t.name());
                writeString(out, t.kind());
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
            if (version != VERSION && version != VERSION_1) {
                throw new SerializationException("unknown record format version " + version);
            }
            Strings strings = version == VERSION
                    ? (input, optional) -> BinaryFields.readString(input) : TraceRecordSerde::readVersion1String;
            RecordType type = TYPES[in.readByte()];
            String source = strings.read(in, false);
            Long seq = readLong(in);
            long ts = in.readLong();
            String threadId = strings.read(in, true);
            String threadName = strings.read(in, false);
            Long spanId = readLong(in);
            Long parentId = readLong(in);
            String name = strings.read(in, true);
            String target = strings.read(in, true);
            byte op = in.readByte();
            Long wakee = readLong(in);
            TaskInfo task = null;
            if (in.readBoolean()) {
                task = new TaskInfo(readLong(in), strings.read(in, false), strings.read(in, false),
                        strings.read(in, true), strings.read(in, true), readLong(in), readLong(in));
            }
            return new TraceRecord(type, source, seq, ts, threadId, threadName, spanId, parentId, name, target,
                    task, op < 0 ? null : OPS[op], wakee);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("cannot read record", e);
        }
    }

    @FunctionalInterface
    private interface Strings {
        String read(DataInputStream in, boolean optional) throws IOException;
    }

    /** Version 1: {@code writeUTF}, optional strings behind a presence flag. */
    private static String readVersion1String(DataInputStream in, boolean optional) throws IOException {
        if (optional && !in.readBoolean()) {
            return null;
        }
        return in.readUTF();
    }
}
