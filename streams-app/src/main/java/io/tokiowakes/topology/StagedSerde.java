package io.tokiowakes.topology;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;

/** Binary form of {@link Staged} on the repartition topic: partition, progress, then the record. */
final class StagedSerde implements Serde<Staged> {

    @Override
    public Serializer<Staged> serializer() {
        return (topic, s) -> {
            if (s == null) {
                return null;
            }
            byte[] record = s.isHeartbeat() ? new byte[0] : TraceRecordSerde.write(s.record());
            return ByteBuffer.allocate(12 + record.length).putInt(s.partition()).putLong(s.readUpTo()).put(record).array();
        };
    }

    @Override
    public Deserializer<Staged> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < 12) {
                throw new SerializationException("staged record of " + bytes.length + " bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            int partition = b.getInt();
            long readUpTo = b.getLong();
            if (!b.hasRemaining()) {
                return new Staged(null, partition, readUpTo);
            }
            byte[] record = new byte[b.remaining()];
            b.get(record);
            return new Staged(TraceRecordSerde.read(record), partition, readUpTo);
        };
    }
}
