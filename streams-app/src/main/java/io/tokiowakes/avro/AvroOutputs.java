package io.tokiowakes.avro;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tokiowakes.model.WakeKind;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.model.DelayHistogram;
import io.tokiowakes.emit.Output;
import io.tokiowakes.model.ResourceRef;
import io.tokiowakes.model.TaskRef;
import io.tokiowakes.emit.ThreadRef;
import io.tokiowakes.ingest.InvalidRecordException;
import io.tokiowakes.json.Json;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output values (wake edges, wake delays, anomalies, task summaries) in Avro single-object
 * encoding, each by its own schema ({@link WakeEdge}, {@link WakeDelay}, {@link Anomaly},
 * {@link TaskSummary}). The schema
 * fingerprint in each value says which one it is, so {@link #decode(byte[])} and
 * {@link #toJson(byte[])} need no topic name.
 */
public final class AvroOutputs {

    private static final Map<String, BinaryMessageEncoder<? extends SpecificRecord>> ENCODERS = Map.of(
            WakeEdge.getClassSchema().getFullName(), WakeEdge.getEncoder(),
            WakeDelay.getClassSchema().getFullName(), WakeDelay.getEncoder(),
            Anomaly.getClassSchema().getFullName(), Anomaly.getEncoder(),
            TaskSummary.getClassSchema().getFullName(), TaskSummary.getEncoder());
    private static final Map<Long, BinaryMessageDecoder<? extends SpecificRecord>> DECODERS = decoders();

    private AvroOutputs() {
    }

    /** Serializes outputs as Avro, reads them back into the job's output records. */
    public static Serde<Output> serde() {
        Serializer<Output> ser = (topic, value) -> value == null ? null : encode(value);
        Deserializer<Output> de = (topic, bytes) -> bytes == null ? null : decode(bytes);
        return Serdes.serdeFrom(ser, de);
    }

    public static byte[] encode(Output value) {
        SpecificRecord avro = toAvro(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder(avro.getSchema()).encode(avro, out);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + value.getClass().getSimpleName() + " as Avro", e);
        }
        return out.toByteArray();
    }

    /** @throws SerializationException when the bytes are not an output value of a known schema */
    public static Output decode(byte[] value) {
        try {
            SingleObject.checkHeader(value);
        } catch (InvalidRecordException e) {
            throw new SerializationException(e.getMessage());
        }
        BinaryMessageDecoder<? extends SpecificRecord> decoder = DECODERS.get(SingleObject.fingerprint(value));
        if (decoder == null) {
            throw new SerializationException("unknown Avro schema fingerprint " + SingleObject.fingerprintHex(value)
                    + ": not a released output schema");
        }
        SpecificRecord avro;
        try {
            avro = decoder.decode(value);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("invalid Avro output value: " + e.getMessage(), e);
        }
        return fromAvro(avro);
    }

    /** An Avro output value as the JSON the JSON output format writes for it. */
    public static byte[] toJson(byte[] value) {
        try {
            return Json.MAPPER.writeValueAsBytes(decode(value));
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write JSON", e);
        }
    }

    public static SpecificRecord toAvro(Output value) {
        if (value instanceof io.tokiowakes.emit.WakeEdge e) {
            io.tokiowakes.avro.ThreadRef thread = e.thread() == null ? null
                    : new io.tokiowakes.avro.ThreadRef(e.thread().id(), e.thread().name());
            return new WakeEdge(e.source(), e.seq(), e.tsNanos(), e.op(),
                    io.tokiowakes.avro.WakeKind.valueOf(e.kind().name()), task(e.waker()), task(e.wakee()), thread,
                    e.waitsOn().isEmpty() ? null : e.waitsOn().stream().map(AvroOutputs::resource).toList());
        }
        if (value instanceof io.tokiowakes.emit.WakeDelay d) {
            return new WakeDelay(d.source(), d.seq(), d.wakeTsNanos(), d.tsNanos(), d.delayNanos(),
                    io.tokiowakes.avro.WakeKind.valueOf(d.kind().name()), task(d.waker()), task(d.wakee()));
        }
        if (value instanceof io.tokiowakes.emit.Anomaly a) {
            return new Anomaly(io.tokiowakes.avro.AnomalyType.valueOf(a.type().name()), a.source(), a.tsNanos(),
                    task(a.task()), a.detail(), a.wakes());
        }
        if (value instanceof io.tokiowakes.emit.TaskSummary s) {
            Map<String, Long> byKind = new LinkedHashMap<>();
            s.wakesByKind().forEach((k, n) -> byKind.put(k.name(), n));
            List<io.tokiowakes.avro.AnomalyType> anomalies = new ArrayList<>();
            s.anomalies().forEach(t -> anomalies.add(io.tokiowakes.avro.AnomalyType.valueOf(t.name())));
            Map<String, DelayStats> delays = new LinkedHashMap<>();
            s.schedulingDelaysByKind().forEach((k, d) -> delays.put(k.name(), delayStats(d)));
            List<ResourceWakes> byResource = s.wakesByResource().stream()
                    .map(w -> new ResourceWakes(resource(w.resource()), w.wakes())).toList();
            return new TaskSummary(s.source(), s.tsNanos(), task(s.task()), s.createdNanos(), s.lifetimeNanos(),
                    s.polls(), s.busyNanos(), s.scheduledNanos(), s.idleNanos(), s.maxPollNanos(), s.wakes(),
                    byKind, s.wakerClones(), s.wakerDrops(), s.wakesByValue(), s.wakesByRef(), anomalies,
                    delays, byResource);
        }
        throw new IllegalArgumentException("not an output: " + value);
    }

    public static Output fromAvro(SpecificRecord value) {
        if (value instanceof WakeEdge e) {
            ThreadRef thread = e.getThread() == null ? null : new ThreadRef(e.getThread().getId(), e.getThread().getName());
            return new io.tokiowakes.emit.WakeEdge(e.getSource(), e.getSeq(), e.getTsNanos(), e.getOp(),
                    WakeKind.valueOf(e.getKind().name()), task(e.getWaker()), task(e.getWakee()), thread,
                    e.getWaitsOn() == null ? List.of() : e.getWaitsOn().stream().map(AvroOutputs::resource).toList());
        }
        if (value instanceof WakeDelay d) {
            return new io.tokiowakes.emit.WakeDelay(d.getSource(), d.getSeq(), d.getWakeTsNanos(), d.getTsNanos(),
                    d.getDelayNanos(), WakeKind.valueOf(d.getKind().name()), task(d.getWaker()), task(d.getWakee()));
        }
        if (value instanceof Anomaly a) {
            return new io.tokiowakes.emit.Anomaly(AnomalyType.valueOf(a.getType().name()), a.getSource(),
                    a.getTsNanos(), task(a.getTask()), a.getDetail(), a.getWakes());
        }
        if (value instanceof TaskSummary s) {
            // Enum order, as the job writes it.
            Map<WakeKind, Long> byKind = new EnumMap<>(WakeKind.class);
            s.getWakesByKind().forEach((k, n) -> byKind.put(WakeKind.valueOf(k), n));
            List<AnomalyType> anomalies = new ArrayList<>();
            s.getAnomalies().forEach(t -> anomalies.add(AnomalyType.valueOf(t.name())));
            Map<WakeKind, io.tokiowakes.emit.DelayStats> delays = new EnumMap<>(WakeKind.class);
            if (s.getSchedulingDelaysByKind() != null) {
                s.getSchedulingDelaysByKind().forEach((k, d) -> delays.put(WakeKind.valueOf(k), delayStats(d)));
            }
            List<io.tokiowakes.model.ResourceWakes> byResource = s.getWakesByResource() == null ? List.of()
                    : s.getWakesByResource().stream()
                    .map(w -> new io.tokiowakes.model.ResourceWakes(resource(w.getResource()), w.getWakes())).toList();
            return new io.tokiowakes.emit.TaskSummary(s.getSource(), s.getTsNanos(), task(s.getTask()),
                    s.getCreatedNanos(), s.getLifetimeNanos(), s.getPolls(), s.getBusyNanos(), s.getScheduledNanos(),
                    s.getIdleNanos(), s.getMaxPollNanos(), s.getWakes(), byKind, s.getWakerClones(),
                    s.getWakerDrops(), s.getWakesByValue(), s.getWakesByRef(), List.copyOf(anomalies), delays,
                    byResource);
        }
        throw new IllegalArgumentException("not an output record: " + value.getSchema().getFullName());
    }

    private static DelayStats delayStats(io.tokiowakes.emit.DelayStats d) {
        return new DelayStats(d.count(), d.p50Nanos(), d.p99Nanos(), d.maxNanos(), d.buckets().stream()
                .map(b -> new DelayBucket(b.fromNanos(), b.toNanos(), b.count())).toList());
    }

    private static io.tokiowakes.emit.DelayStats delayStats(DelayStats d) {
        return new io.tokiowakes.emit.DelayStats(d.getCount(), d.getP50Nanos(), d.getP99Nanos(), d.getMaxNanos(),
                d.getBuckets().stream().map(b -> new DelayHistogram.Bucket(b.getFromNanos(), b.getToNanos(),
                        b.getCount())).toList());
    }

    private static io.tokiowakes.avro.ResourceRef resource(ResourceRef r) {
        return new io.tokiowakes.avro.ResourceRef(r.spanId(), r.kind(), r.concreteType(), r.loc());
    }

    private static ResourceRef resource(io.tokiowakes.avro.ResourceRef r) {
        return new ResourceRef(r.getSpanId(), r.getKind(), r.getConcreteType(), r.getLoc());
    }

    private static io.tokiowakes.avro.TaskRef task(TaskRef t) {
        return t == null ? null : new io.tokiowakes.avro.TaskRef(t.spanId(), t.taskId(), t.name(), t.kind(), t.loc());
    }

    private static TaskRef task(io.tokiowakes.avro.TaskRef t) {
        return t == null ? null : new TaskRef(t.getSpanId(), t.getTaskId(), t.getName(), t.getKind(), t.getLoc());
    }

    @SuppressWarnings("unchecked")
    private static BinaryMessageEncoder<SpecificRecord> encoder(Schema schema) {
        return (BinaryMessageEncoder<SpecificRecord>) (BinaryMessageEncoder<?>) ENCODERS.get(schema.getFullName());
    }

    /** A decoder per released fingerprint; each resolves its record's older versions to the current one. */
    private static Map<Long, BinaryMessageDecoder<? extends SpecificRecord>> decoders() {
        Map<Long, BinaryMessageDecoder<? extends SpecificRecord>> out = new HashMap<>();
        for (Schema current : List.of(WakeEdge.getClassSchema(), WakeDelay.getClassSchema(), Anomaly.getClassSchema(),
                TaskSummary.getClassSchema())) {
            SchemaStore.Cache store = SchemaHistory.storeOf(current.getFullName());
            BinaryMessageDecoder<? extends SpecificRecord> decoder =
                    new BinaryMessageDecoder<SpecificRecord>(SpecificData.getForSchema(current), current, store);
            out.put(SchemaHistory.fingerprint(current), decoder);
            for (Schema s : SchemaHistory.released()) {
                if (s.getFullName().equals(current.getFullName())) {
                    out.put(SchemaHistory.fingerprint(s), decoder);
                }
            }
        }
        return Map.copyOf(out);
    }
}
