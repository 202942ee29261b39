package io.tokiowakes.topology;

import io.tokiowakes.classify.WakeKind;
import io.tokiowakes.detect.AnomalyType;
import io.tokiowakes.detect.TaskState;
import io.tokiowakes.engine.SourceState;
import io.tokiowakes.ingest.TaskInfo;
import io.tokiowakes.json.JsonSerde;
import io.tokiowakes.resolve.ThreadState;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static io.tokiowakes.topology.BinaryFields.readLong;
import static io.tokiowakes.topology.BinaryFields.readString;
import static io.tokiowakes.topology.BinaryFields.writeLong;
import static io.tokiowakes.topology.BinaryFields.writeString;

/**
 * Binary serdes of the wake stage's state values. Live tasks and threads change on nearly every
 * record and each change is serialized when it is written to its store, so this is on the hot
 * path: fields are written in a fixed order behind a format byte. Values stored as JSON by
 * earlier versions of the job (they start with '{') are still read.
 */
final class StateSerdes {

    /**
     * Format 2 appends fields to format 1 (tasks: parent span, live children, whether a blocking
     * span runs tasks, external wakes without thread; sources: the polls in progress watched for
     * the long-poll lint, the closure types of worker spans, the arrival number of the last record
     * released, the highest seq arrived); values of format 1 are still read, the appended fields
     * taking their defaults.
     */
    private static final byte FORMAT = 2;
    private static final byte FORMAT_1 = 1;

    private StateSerdes() {
    }

    static Serde<TaskState> tasks() {
        return serde(TaskState.class, StateSerdes::writeTask, StateSerdes::readTask);
    }

    static Serde<ThreadState> threads() {
        return serde(ThreadState.class, StateSerdes::writeThread, StateSerdes::readThread);
    }

    static Serde<SourceState> sources() {
        return serde(SourceState.class, StateSerdes::writeSource, StateSerdes::readSource);
    }

    private interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in, int format) throws IOException;
    }

    private static <T> Serde<T> serde(Class<T> type, Writer<T> writer, Reader<T> reader) {
        JsonSerde<T> json = JsonSerde.of(type);
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                writer.write(value, out);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + type.getSimpleName(), e);
            }
            return bytes.toByteArray();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return json.deserializer().deserialize(topic, bytes);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                byte format = in.readByte();
                if (format != FORMAT && format != FORMAT_1) {
                    throw new SerializationException("unknown format " + format + " of a stored " + type.getSimpleName());
                }
                return reader.read(in, format);
            } catch (IOException e) {
                throw new SerializationException("cannot read " + type.getSimpleName(), e);
            }
        });
    }

    private static void writeTask(TaskState t, DataOutputStream out) throws IOException {
        out.writeLong(t.spanId);
        out.writeBoolean(t.info != null);
        if (t.info != null) {
            TaskInfo i = t.info;
            writeLong(out, i.taskId());
            writeString(out, i.name());
            writeString(out, i.kind());
            writeString(out, i.loc());
            writeString(out, i.fn());
            writeLong(out, i.sizeBytes());
            writeLong(out, i.originalSizeBytes());
        }
        out.writeLong(t.createdNanos);
        out.writeInt(t.running);
        out.writeBoolean(t.scheduled);
        out.writeLong(t.scheduledSinceNanos);
        out.writeLong(t.pollStartNanos);
        out.writeBoolean(t.lastEnterScheduled);
        out.writeBoolean(t.dropped);
        out.writeLong(t.lastPollNanos);
        out.writeLong(t.maxPollNanos);
        out.writeLong(t.polls);
        out.writeLong(t.busyNanos);
        out.writeLong(t.scheduledNanos);
        out.writeLong(t.wakerClones);
        out.writeLong(t.wakerDrops);
        out.writeLong(t.wakesByValue);
        out.writeLong(t.wakesByRef);
        // Wake kinds by name: the enum may gain kinds without old state changing meaning.
        out.writeByte(t.wakesByKind.length);
        for (WakeKind k : WakeKind.values()) {
            writeString(out, k.name());
            out.writeLong(t.wakesByKind[k.ordinal()]);
        }
        writeString(out, t.lastWakeKind == null ? null : t.lastWakeKind.name());
        out.writeLong(t.lostWakerSinceNanos);
        out.writeByte(t.reported.size());
        for (AnomalyType a : t.reported) {
            writeString(out, a.name());
        }
        // format 2
        out.writeLong(t.parentSpanId);
        out.writeInt(t.liveChildren);
        out.writeBoolean(t.runsTasks);
        out.writeLong(t.externalWakesWithoutThread);
    }

    private static TaskState readTask(DataInputStream in, int format) throws IOException {
        TaskState t = new TaskState();
        t.spanId = in.readLong();
        if (in.readBoolean()) {
            t.info = new TaskInfo(readLong(in), readString(in), readString(in), readString(in), readString(in),
                    readLong(in), readLong(in));
        }
        t.createdNanos = in.readLong();
        t.running = in.readInt();
        t.scheduled = in.readBoolean();
        t.scheduledSinceNanos = in.readLong();
        t.pollStartNanos = in.readLong();
        t.lastEnterScheduled = in.readBoolean();
        t.dropped = in.readBoolean();
        t.lastPollNanos = in.readLong();
        t.maxPollNanos = in.readLong();
        t.polls = in.readLong();
        t.busyNanos = in.readLong();
        t.scheduledNanos = in.readLong();
        t.wakerClones = in.readLong();
        t.wakerDrops = in.readLong();
        t.wakesByValue = in.readLong();
        t.wakesByRef = in.readLong();
        int kinds = in.readUnsignedByte();
        for (int i = 0; i < kinds; i++) {
            WakeKind k = WakeKind.valueOf(readString(in));
            t.wakesByKind[k.ordinal()] = in.readLong();
        }
        String last = readString(in);
        t.lastWakeKind = last == null ? null : WakeKind.valueOf(last);
        t.lostWakerSinceNanos = in.readLong();
        int reported = in.readUnsignedByte();
        for (int i = 0; i < reported; i++) {
            t.reported.add(AnomalyType.valueOf(readString(in)));
        }
        if (format >= 2) {
            t.parentSpanId = in.readLong();
            t.liveChildren = in.readInt();
            t.runsTasks = in.readBoolean();
            t.externalWakesWithoutThread = in.readLong();
        }
        // (A worker span stored in format 1 is known again at the next task it polls.)
        return t;
    }

    private static void writeThread(ThreadState t, DataOutputStream out) throws IOException {
        writeString(out, t.name);
        out.writeBoolean(t.runtime);
        out.writeInt(t.entered.size());
        for (long id : t.entered) {
            out.writeLong(id);
        }
    }

    private static ThreadState readThread(DataInputStream in, int format) throws IOException {
        ThreadState t = new ThreadState();
        t.name = readString(in);
        t.runtime = in.readBoolean();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            t.entered.add(in.readLong());
        }
        return t;
    }

    private static void writeSource(SourceState s, DataOutputStream out) throws IOException {
        out.writeLong(s.clockNanos);
        out.writeInt(s.lostWakerWatch.size());
        for (long id : s.lostWakerWatch) {
            out.writeLong(id);
        }
        out.writeLong(s.arrivedNanos);
        out.writeLong(s.arrivals);
        out.writeLong(s.buffered);
        out.writeLong(s.lastReleasedKey);
        out.writeLong(s.late);
        out.writeLong(s.lastArrivalWallMs);
        // format 2
        out.writeInt(s.pollWatch.size());
        for (long id : s.pollWatch) {
            out.writeLong(id);
        }
        out.writeInt(s.workerClosures.size());
        for (String closure : s.workerClosures) {
            writeString(out, closure);
        }
        out.writeLong(s.lastReleasedArrival);
        out.writeLong(s.arrivedSeq);
    }

    private static SourceState readSource(DataInputStream in, int format) throws IOException {
        SourceState s = new SourceState();
        s.clockNanos = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            s.lostWakerWatch.add(in.readLong());
        }
        s.arrivedNanos = in.readLong();
        s.arrivals = in.readLong();
        s.buffered = in.readLong();
        s.lastReleasedKey = in.readLong();
        s.late = in.readLong();
        s.lastArrivalWallMs = in.readLong();
        if (format >= 2) {
            int watched = in.readInt();
            for (int i = 0; i < watched; i++) {
                s.pollWatch.add(in.readLong());
            }
            int closures = in.readInt();
            for (int i = 0; i < closures; i++) {
                s.workerClosures.add(readString(in));
            }
            s.lastReleasedArrival = in.readLong();
            s.arrivedSeq = in.readLong();
        } else {
            // Before records were held by batch, all records of the last sort key were released.
            s.lastReleasedArrival = Long.MAX_VALUE;
            s.arrivedSeq = s.lastReleasedKey;
        }
        return s;
    }
}
