package io.tokiowakes.ingest;

import io.tokiowakes.model.RecordType;
import io.tokiowakes.model.ResourceInfo;
import io.tokiowakes.model.TaskInfo;
import io.tokiowakes.model.TraceRecord;
import io.tokiowakes.model.WakerOp;
import org.apache.kafka.common.errors.SerializationException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link Batch}: what crosses the repartition topic and what the stages keep
 * in their stores. A batch holds one source's records, so the source is written once; numbers are
 * varints, times are deltas from the record before, and each distinct string (thread IDs and
 * names, task names, locations) is written once per batch and then referred to by number. A
 * typical task or waker record takes 15-25 bytes.
 *
 * <pre>
 * batch  = version:u8 partition:varint readUpTo:i64 (0 | 1 source:utf8) count:varint record*
 * record = type:u8 presence:u16 producedMs:zigzag-delta ts:zigzag-delta [seq] [thread.id] [thread.name]
 *          [span_id] [parent_id] [name] [target] [op:u8 task.id] [task] [resource]
 * resource = role:u8 kind:str concrete_type:str loc:str      (is_internal is a presence bit)
 * str    = varint 0 (null) | 1..n (the n-th string of this batch) | n+1 length:varint utf8 (a new one)
 * </pre>
 * The version is {@value #VERSION}; a batch of another version is refused.
 */
public final class BatchCodec {

    static final byte VERSION = 2;
    private static final RecordType[] TYPES = RecordType.values();
    private static final WakerOp[] OPS = WakerOp.values();
    private static final ResourceInfo.Role[] ROLES = ResourceInfo.Role.values();

    private static final int SEQ = 1;
    private static final int THREAD_ID = 1 << 1;
    private static final int SPAN_ID = 1 << 2;
    private static final int PARENT_ID = 1 << 3;
    private static final int WAKER = 1 << 4;
    private static final int TASK = 1 << 5;
    private static final int TASK_ID = 1 << 6;
    private static final int SIZE = 1 << 7;
    private static final int ORIGINAL_SIZE = 1 << 8;
    private static final int RESOURCE = 1 << 9;
    private static final int INTERNAL = 1 << 10;

    private BatchCodec() {
    }

    /** @return the batch as it goes on the repartition topic */
    public static byte[] encode(Batch batch) {
        Writer w = new Writer();
        batch.records().forEach(w::append);
        return w.toBatch(batch.source(), batch.partition(), batch.readUpTo());
    }

    /** @throws SerializationException when the bytes are not a batch of this format */
    public static Batch decode(byte[] bytes) {
        try {
            Reader in = new Reader(bytes);
            byte version = in.bytes[in.pos++];
            if (version != VERSION) {
                throw new SerializationException("unknown batch format version " + version);
            }
            int partition = (int) in.varint();
            long readUpTo = in.fixedLong();
            String source = in.varint() == 0 ? null : in.rawString();
            int count = (int) in.varint();
            List<Held> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(in.record(source));
            }
            return new Batch(source, partition, readUpTo, records);
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            throw new SerializationException("cannot read batch", e);
        }
    }

    /**
     * Builds one batch record by record, so that a batch being filled can be written out (to a
     * store, then to the topic) at any moment without encoding its earlier records again.
     */
    public static final class Writer {
        private byte[] buf = new byte[256];
        private int pos;
        private int count;
        private final Map<String, Integer> strings = new HashMap<>();
        private long lastProducedMs;
        private long lastTsNanos;
        private long firstProducedMs = Long.MAX_VALUE;
        /** The source last written and its UTF-8 bytes. */
        private String nameOf;
        private byte[] name;

        public void append(Held h) {
            TraceRecord r = h.record();
            TaskInfo t = r.task();
            int presence = (r.seq() != null ? SEQ : 0) | (r.threadId() != null ? THREAD_ID : 0)
                    | (r.spanId() != null ? SPAN_ID : 0) | (r.parentId() != null ? PARENT_ID : 0)
                    | (r.wakerOp() != null ? WAKER : 0) | (t != null ? TASK : 0);
            if (t != null) {
                presence |= (t.taskId() != null ? TASK_ID : 0) | (t.sizeBytes() != null ? SIZE : 0)
                        | (t.originalSizeBytes() != null ? ORIGINAL_SIZE : 0);
            }
            ResourceInfo res = r.resource();
            if (res != null) {
                presence |= RESOURCE | (res.internal() ? INTERNAL : 0);
            }
            ensure(64);
            buf[pos++] = (byte) r.type().ordinal();
            buf[pos++] = (byte) presence;
            buf[pos++] = (byte) (presence >>> 8);
            zigzag(h.producedMs() - lastProducedMs);
            zigzag(r.tsNanos() - lastTsNanos);
            lastProducedMs = h.producedMs();
            lastTsNanos = r.tsNanos();
            firstProducedMs = Math.min(firstProducedMs, h.producedMs());
            if (r.seq() != null) {
                varint(r.seq());
            }
            if (r.threadId() != null) {
                string(r.threadId());
            }
            string(r.threadName());
            if (r.spanId() != null) {
                varint(r.spanId());
            }
            if (r.parentId() != null) {
                varint(r.parentId());
            }
            string(r.name());
            string(r.target());
            if (r.wakerOp() != null) {
                ensure(1);
                buf[pos++] = (byte) r.wakerOp().ordinal();
                varint(r.wakeeSpanId());
            }
            if (t != null) {
                if (t.taskId() != null) {
                    varint(t.taskId());
                }
                string(t.name());
                string(t.kind());
                string(t.loc());
                string(t.fn());
                if (t.sizeBytes() != null) {
                    varint(t.sizeBytes());
                }
                if (t.originalSizeBytes() != null) {
                    varint(t.originalSizeBytes());
                }
            }
            if (res != null) {
                ensure(1);
                buf[pos++] = (byte) res.role().ordinal();
                string(res.kind());
                string(res.concreteType());
                string(res.loc());
            }
            count++;
        }

        public int count() {
            return count;
        }

        public int bytes() {
            return pos;
        }

        /** Kafka timestamp of the earliest record in the batch, {@link Long#MAX_VALUE} when empty. */
        public long firstProducedMs() {
            return firstProducedMs;
        }

        /**
         * The whole batch as it goes on the topic, in one array of its exact size: an open batch is
         * written out after every record it takes (see {@link Outbox}).
         */
        public byte[] toBatch(String source, int partition, long readUpTo) {
            if (source != null && !source.equals(nameOf)) {
                nameOf = source;
                name = source.getBytes(StandardCharsets.UTF_8);
            }
            int size = 1 + varintSize(partition) + 8 + 1 + (source == null ? 0 : varintSize(name.length) + name.length)
                    + varintSize(count) + pos;
            byte[] out = new byte[size];
            int at = 0;
            out[at++] = VERSION;
            at = putVarint(out, at, partition);
            for (int i = 56; i >= 0; i -= 8) {
                out[at++] = (byte) (readUpTo >>> i);
            }
            out[at++] = (byte) (source == null ? 0 : 1);
            if (source != null) {
                at = putVarint(out, at, name.length);
                System.arraycopy(name, 0, out, at, name.length);
                at += name.length;
            }
            at = putVarint(out, at, count);
            System.arraycopy(buf, 0, out, at, pos);
            return out;
        }

        private static int varintSize(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0) {
                n++;
                v >>>= 7;
            }
            return n;
        }

        private static int putVarint(byte[] out, int at, long v) {
            while ((v & ~0x7FL) != 0) {
                out[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out[at++] = (byte) v;
            return at;
        }

        private void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            Integer ref = strings.get(s);
            if (ref != null) {
                varint(ref);
                return;
            }
            strings.put(s, strings.size() + 1);
            varint(strings.size());
            rawString(s);
        }

        private void rawString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        private void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        /** Unsigned LEB128: span IDs above 2^63 stay exact. */
        private void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int pos;
        private final List<String> strings = new ArrayList<>();
        private long lastProducedMs;
        private long lastTsNanos;

        public Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        public Held record(String source) {
            RecordType type = TYPES[bytes[pos++]];
            int presence = (bytes[pos++] & 0xFF) | (bytes[pos++] & 0xFF) << 8;
            lastProducedMs += unzigzag(varint());
            lastTsNanos += unzigzag(varint());
            Long seq = (presence & SEQ) != 0 ? varint() : null;
            String threadId = (presence & THREAD_ID) != 0 ? string() : null;
            String threadName = string();
            Long spanId = (presence & SPAN_ID) != 0 ? varint() : null;
            Long parentId = (presence & PARENT_ID) != 0 ? varint() : null;
            String name = string();
            String target = string();
            WakerOp op = null;
            Long wakee = null;
            if ((presence & WAKER) != 0) {
                op = OPS[bytes[pos++]];
                wakee = varint();
            }
            TaskInfo task = null;
            if ((presence & TASK) != 0) {
                Long taskId = (presence & TASK_ID) != 0 ? varint() : null;
                String taskName = string();
                String kind = string();
                String loc = string();
                String fn = string();
                Long size = (presence & SIZE) != 0 ? varint() : null;
                Long original = (presence & ORIGINAL_SIZE) != 0 ? varint() : null;
                task = new TaskInfo(taskId, taskName, kind, loc, fn, size, original);
            }
            ResourceInfo resource = null;
            if ((presence & RESOURCE) != 0) {
                ResourceInfo.Role role = ROLES[bytes[pos++]];
                resource = new ResourceInfo(role, string(), string(), string(), (presence & INTERNAL) != 0);
            }
            TraceRecord r = new TraceRecord(type, source, seq, lastTsNanos, threadId, threadName, spanId, parentId,
                    name, target, task, op, wakee, resource);
            return new Held(r, lastProducedMs);
        }

        public String string() {
            long ref = varint();
            if (ref == 0) {
                return null;
            }
            if (ref <= strings.size()) {
                return strings.get((int) ref - 1);
            }
            if (ref != strings.size() + 1) {
                throw new IllegalArgumentException("string reference " + ref + " out of order");
            }
            String s = rawString();
            strings.add(s);
            return s;
        }

        public String rawString() {
            int len = (int) varint();
            String s = new String(bytes, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        public long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 64 bits");
        }

        public long fixedLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (bytes[pos++] & 0xFF);
            }
            return v;
        }

        private static long unzigzag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }
    }
}
