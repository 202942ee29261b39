package io.tokiowakes.topology;

import io.tokiowakes.ingest.BinaryFields;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.DelayHistogram;
import io.tokiowakes.model.PendingWake;
import io.tokiowakes.model.TaskState;
import io.tokiowakes.emit.DelayStats;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.ResourceWakes;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.model.SourceState;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.TaskInfo;
import io.tokiowakes.graph.GraphCell;
import io.tokiowakes.graph.TaskView;
import io.tokiowakes.model.ResourceSpan;
import io.tokiowakes.model.ThreadState;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;


/**
 * Binary serdes of the wake stage's state values. Live tasks and threads change on nearly every
 * record and each change is serialized when it is written to its store, so this is on the hot
 * path: fields are written in a fixed order behind a format byte, {@value #FORMAT}. A value of
 * any other format byte (JSON among them) is refused with a {@link SerializationException} that
 * says what was found: the application's state is then reset to start afresh.
 */
final class StateSerdes {

    /** The format byte of every value written and the only one read. */
    private static final byte FORMAT = 3;

    private StateSerdes() {
    }

    static Serde<TaskState> tasks() {
        return serde("task state", StateSerdes::writeTask, StateSerdes::readTask);
    }

    static Serde<ResourceSpan> resources() {
        return serde("resource span state", StateSerdes::writeResource, StateSerdes::readResource);
    }

    static Serde<ThreadState> threads() {
        return serde("thread state", StateSerdes::writeThread, StateSerdes::readThread);
    }

    static Serde<SourceState> sources() {
        return serde("source state", StateSerdes::writeSource, StateSerdes::readSource);
    }

    /**
     * Task views of the wake graph: rewritten on every wake of their task, so JSON (about 6 µs to
     * write a view with its recent wakes) would cost more per record than decoding it.
     */
    static Serde<TaskView> taskViews() {
        return serde("task view", StateSerdes::writeView, StateSerdes::readView);
    }

    /** Cells of the wake graph's windows: rewritten on every wake and every delay, so in the binary format too. */
    static Serde<GraphCell> graphCells() {
        return serde("graph cell", StateSerdes::writeCell, StateSerdes::readCell);
    }

    private static void writeCell(GraphCell c, BinaryFields.Out out) {
        out.writeLong(c.wakes);
        writeHistogram(c.delays, out);
        out.writeInt(c.waitsOn.size());
        c.waitsOn.forEach((label, n) -> {
            out.writeString(label);
            out.writeLong(n);
        });
    }

    private static GraphCell readCell(BinaryFields.In in) throws IOException {
        GraphCell c = new GraphCell();
        c.wakes = in.readLong();
        c.delays = readHistogram(in);
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            c.waitsOn.put(in.readString(), in.readLong());
        }
        return c;
    }

    private interface Writer<T> {
        void write(T value, BinaryFields.Out out);
    }

    private interface Reader<T> {
        T read(BinaryFields.In in) throws IOException;
    }

    /** @param what what a value is, as the refusal of a value of another format names it */
    private static <T> Serde<T> serde(String what, Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            BinaryFields.Out out = new BinaryFields.Out();
            out.writeByte(FORMAT);
            writer.write(value, out);
            return out.toByteArray();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] != FORMAT) {
                throw new SerializationException(what + (bytes[0] == '{' ? " stored as JSON" : " of format " + bytes[0])
                        + ": this job reads format " + FORMAT + "; reset the application's state to start afresh");
            }
            try {
                BinaryFields.In in = new BinaryFields.In(bytes);
                in.readByte();
                return reader.read(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new SerializationException("cannot read " + what, e);
            }
        });
    }

    private static void writeTask(TaskState t, BinaryFields.Out out) {
        out.writeLong(t.spanId);
        out.writeBoolean(t.info != null);
        if (t.info != null) {
            TaskInfo i = t.info;
            out.writeOptionalLong(i.taskId());
            out.writeString(i.name());
            out.writeString(i.kind());
            out.writeString(i.loc());
            out.writeString(i.fn());
            out.writeOptionalLong(i.sizeBytes());
            out.writeOptionalLong(i.originalSizeBytes());
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
            out.writeString(k.name());
            out.writeLong(t.wakesByKind[k.ordinal()]);
        }
        out.writeString(t.lastWakeKind == null ? null : t.lastWakeKind.name());
        out.writeLong(t.lostWakerSinceNanos);
        out.writeByte(t.reported.size());
        for (AnomalyType a : t.reported) {
            out.writeString(a.name());
        }
        out.writeLong(t.parentSpanId);
        out.writeInt(t.liveChildren);
        out.writeBoolean(t.runsTasks);
        out.writeLong(t.externalWakesWithoutThread);
        writeLongs(t.waitsOn, out);
        out.writeInt(t.pendingWakes.size());
        for (PendingWake w : t.pendingWakes) {
            out.writeOptionalLong(w.seq());
            out.writeLong(w.tsNanos());
            out.writeString(w.kind().name());
            writeTaskRef(w.waker(), out);
        }
        // By kind name, as wakesByKind.
        for (WakeKind k : WakeKind.values()) {
            DelayHistogram h = t.delaysByKind[k.ordinal()];
            if (h != null) {
                out.writeString(k.name());
                writeHistogram(h, out);
            }
        }
        out.writeString(null);
        out.writeInt(t.wakesByResource.size());
        for (ResourceWakes w : t.wakesByResource) {
            writeResourceRef(w.resource(), out);
            out.writeLong(w.wakes());
        }
    }

    private static void writeTaskRef(TaskRef r, BinaryFields.Out out) {
        out.writeBoolean(r != null);
        if (r != null) {
            out.writeLong(r.spanId());
            out.writeOptionalLong(r.taskId());
            out.writeString(r.name());
            out.writeString(r.kind());
            out.writeString(r.loc());
        }
    }

    private static TaskRef readTaskRef(BinaryFields.In in) throws IOException {
        return in.readBoolean()
                ? new TaskRef(in.readLong(), in.readOptionalLong(), in.readString(), in.readString(), in.readString())
                : null;
    }

    private static void writeResourceRef(ResourceRef r, BinaryFields.Out out) {
        out.writeLong(r.spanId());
        out.writeString(r.kind());
        out.writeString(r.concreteType());
        out.writeString(r.loc());
    }

    private static ResourceRef readResourceRef(BinaryFields.In in) throws IOException {
        return new ResourceRef(in.readLong(), in.readString(), in.readString(), in.readString());
    }

    /** The buckets in use by their number in the histogram's fixed layout: 12 bytes each. */
    private static void writeHistogram(DelayHistogram h, BinaryFields.Out out) {
        out.writeLong(h.max());
        int n = h.bucketsInUse();
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeInt(h.bucketIndex(i));
            out.writeLong(h.bucketCount(i));
        }
    }

    private static DelayHistogram readHistogram(BinaryFields.In in) throws IOException {
        long max = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > in.available() / 12) {
            throw new IOException("bad bucket count " + n);
        }
        int[] indexes = new int[n];
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = in.readInt();
            counts[i] = in.readLong();
        }
        return DelayHistogram.ofBuckets(indexes, counts, max);
    }

    private static void writeLongs(long[] values, BinaryFields.Out out) {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(BinaryFields.In in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() / 8) {
            throw new IOException("bad length " + n);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeResource(ResourceSpan r, BinaryFields.Out out) {
        out.writeLong(r.spanId);
        out.writeLong(r.parentId);
        out.writeBoolean(r.info != null);
        if (r.info != null) {
            out.writeString(r.info.role().name());
            out.writeString(r.info.kind());
            out.writeString(r.info.concreteType());
            out.writeString(r.info.loc());
            out.writeBoolean(r.info.internal());
        }
    }

    private static ResourceSpan readResource(BinaryFields.In in) throws IOException {
        ResourceSpan r = new ResourceSpan();
        r.spanId = in.readLong();
        r.parentId = in.readLong();
        if (in.readBoolean()) {
            r.info = new ResourceInfo(ResourceInfo.Role.valueOf(in.readString()), in.readString(), in.readString(),
                    in.readString(), in.readBoolean());
        }
        return r;
    }

    private static TaskState readTask(BinaryFields.In in) throws IOException {
        TaskState t = new TaskState();
        t.spanId = in.readLong();
        if (in.readBoolean()) {
            t.info = new TaskInfo(in.readOptionalLong(), in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readOptionalLong(), in.readOptionalLong());
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
            WakeKind k = WakeKind.valueOf(in.readString());
            t.wakesByKind[k.ordinal()] = in.readLong();
        }
        String last = in.readString();
        t.lastWakeKind = last == null ? null : WakeKind.valueOf(last);
        t.lostWakerSinceNanos = in.readLong();
        int reported = in.readUnsignedByte();
        for (int i = 0; i < reported; i++) {
            t.reported.add(AnomalyType.valueOf(in.readString()));
        }
        t.parentSpanId = in.readLong();
        t.liveChildren = in.readInt();
        t.runsTasks = in.readBoolean();
        t.externalWakesWithoutThread = in.readLong();
        t.waitsOn = readLongs(in);
        int pending = in.readInt();
        for (int i = 0; i < pending; i++) {
            t.pendingWakes.add(new PendingWake(in.readOptionalLong(), in.readLong(), WakeKind.valueOf(in.readString()),
                    readTaskRef(in)));
        }
        for (String kind = in.readString(); kind != null; kind = in.readString()) {
            t.delaysByKind[WakeKind.valueOf(kind).ordinal()] = readHistogram(in);
        }
        int resources = in.readInt();
        for (int i = 0; i < resources; i++) {
            t.wakesByResource.add(new ResourceWakes(readResourceRef(in), in.readLong()));
        }
        return t;
    }

    private static void writeThread(ThreadState t, BinaryFields.Out out) {
        out.writeString(t.name);
        out.writeBoolean(t.runtime);
        out.writeInt(t.entered.size());
        for (long id : t.entered) {
            out.writeLong(id);
        }
    }

    private static ThreadState readThread(BinaryFields.In in) throws IOException {
        ThreadState t = new ThreadState();
        t.name = in.readString();
        t.runtime = in.readBoolean();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            t.entered.add(in.readLong());
        }
        return t;
    }

    private static void writeSource(SourceState s, BinaryFields.Out out) {
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
        out.writeInt(s.pollWatch.size());
        for (long id : s.pollWatch) {
            out.writeLong(id);
        }
        out.writeInt(s.workerClosures.size());
        for (String closure : s.workerClosures) {
            out.writeString(closure);
        }
        out.writeLong(s.lastReleasedArrival);
        out.writeLong(s.arrivedSeq);
        out.writeInt(s.scheduleWatch.size());
        for (long id : s.scheduleWatch) {
            out.writeLong(id);
        }
    }

    private static SourceState readSource(BinaryFields.In in) throws IOException {
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
        int watched = in.readInt();
        for (int i = 0; i < watched; i++) {
            s.pollWatch.add(in.readLong());
        }
        int closures = in.readInt();
        for (int i = 0; i < closures; i++) {
            s.workerClosures.add(in.readString());
        }
        s.lastReleasedArrival = in.readLong();
        s.arrivedSeq = in.readLong();
        int waiting = in.readInt();
        for (int i = 0; i < waiting; i++) {
            s.scheduleWatch.add(in.readLong());
        }
        return s;
    }

    private static void writeView(TaskView v, BinaryFields.Out out) {
        out.writeLong(v.spanId);
        out.writeOptionalLong(v.taskId);
        out.writeString(v.name);
        out.writeString(v.kind);
        writeWakes(v.wakesIn, out);
        writeWakes(v.wakesOut, out);
        out.writeInt(v.anomalies.size());
        for (TaskView.Flag f : v.anomalies) {
            out.writeString(f.type().name());
            out.writeLong(f.tsNanos());
            out.writeString(f.detail());
        }
        out.writeOptionalLong(v.closedNanos);
        out.writeOptionalLong(v.polls);
        out.writeOptionalLong(v.wakes);
        out.writeString(v.loc);
        out.writeInt(v.wakesByKind == null ? -1 : v.wakesByKind.size());
        if (v.wakesByKind != null) {
            for (Map.Entry<WakeKind, Long> e : v.wakesByKind.entrySet()) {
                out.writeString(e.getKey().name());
                out.writeLong(e.getValue());
            }
        }
        out.writeBoolean(v.worker);
        out.writeLong(v.updatedMs);
        writeWakeDetails(v.wakesIn, out);
        writeWakeDetails(v.wakesOut, out);
        out.writeInt(v.delaysByKind == null ? -1 : v.delaysByKind.size());
        if (v.delaysByKind != null) {
            for (Map.Entry<WakeKind, DelayStats> e : v.delaysByKind.entrySet()) {
                out.writeString(e.getKey().name());
                DelayStats d = e.getValue();
                out.writeLong(d.count());
                out.writeLong(d.p50Nanos());
                out.writeLong(d.p99Nanos());
                out.writeLong(d.maxNanos());
            }
        }
        out.writeInt(v.wakesByResource == null ? -1 : v.wakesByResource.size());
        if (v.wakesByResource != null) {
            for (ResourceWakes w : v.wakesByResource) {
                writeResourceRef(w.resource(), out);
                out.writeLong(w.wakes());
            }
        }
    }

    /** Of each recent wake, after all of them: the resources waited on and the delay. */
    private static void writeWakeDetails(List<TaskView.RecentWake> wakes, BinaryFields.Out out) {
        for (TaskView.RecentWake w : wakes) {
            out.writeInt(w.waitsOn().size());
            for (String label : w.waitsOn()) {
                out.writeString(label);
            }
            out.writeOptionalLong(w.delayNanos());
        }
    }

    private static void readWakeDetails(List<TaskView.RecentWake> wakes, BinaryFields.In in) throws IOException {
        for (int i = 0; i < wakes.size(); i++) {
            TaskView.RecentWake w = wakes.get(i);
            int n = in.readInt();
            List<String> labels = new ArrayList<>(Math.max(0, n));
            for (int j = 0; j < n; j++) {
                labels.add(in.readString());
            }
            wakes.set(i, new TaskView.RecentWake(w.tsNanos(), w.op(), w.kind(), w.peer(), w.peerTaskId(), labels,
                    in.readOptionalLong()));
        }
    }

    private static void writeWakes(List<TaskView.RecentWake> wakes, BinaryFields.Out out) {
        out.writeInt(wakes.size());
        for (TaskView.RecentWake w : wakes) {
            out.writeLong(w.tsNanos());
            out.writeString(w.op());
            // By position: wake kinds are only ever added at the end.
            out.writeByte(w.kind() == null ? -1 : w.kind().ordinal());
            out.writeString(w.peer());
            out.writeOptionalLong(w.peerTaskId());
        }
    }

    private static TaskView readView(BinaryFields.In in) throws IOException {
        TaskView v = new TaskView(in.readLong());
        v.taskId = in.readOptionalLong();
        v.name = in.readString();
        v.kind = in.readString();
        readWakes(v.wakesIn, in);
        readWakes(v.wakesOut, in);
        int flags = in.readInt();
        for (int i = 0; i < flags; i++) {
            v.anomalies.add(new TaskView.Flag(AnomalyType.valueOf(in.readString()), in.readLong(), in.readString()));
        }
        v.closedNanos = in.readOptionalLong();
        v.polls = in.readOptionalLong();
        v.wakes = in.readOptionalLong();
        v.loc = in.readString();
        int kinds = in.readInt();
        if (kinds >= 0) {
            v.wakesByKind = new EnumMap<>(WakeKind.class);
            for (int i = 0; i < kinds; i++) {
                v.wakesByKind.put(WakeKind.valueOf(in.readString()), in.readLong());
            }
        }
        v.worker = in.readBoolean();
        v.updatedMs = in.readLong();
        readWakeDetails(v.wakesIn, in);
        readWakeDetails(v.wakesOut, in);
        int delayKinds = in.readInt();
        if (delayKinds >= 0) {
            v.delaysByKind = new EnumMap<>(WakeKind.class);
            for (int i = 0; i < delayKinds; i++) {
                v.delaysByKind.put(WakeKind.valueOf(in.readString()),
                        new DelayStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), List.of()));
            }
        }
        int resources = in.readInt();
        if (resources >= 0) {
            v.wakesByResource = new ArrayList<>();
            for (int i = 0; i < resources; i++) {
                v.wakesByResource.add(new ResourceWakes(readResourceRef(in), in.readLong()));
            }
        }
        return v;
    }

    private static final WakeKind[] KINDS = WakeKind.values();

    private static void readWakes(List<TaskView.RecentWake> wakes, BinaryFields.In in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long ts = in.readLong();
            String op = in.readString();
            byte kind = in.readByte();
            wakes.add(new TaskView.RecentWake(ts, op, kind < 0 ? null : KINDS[kind], in.readString(), in.readOptionalLong()));
        }
    }
}
