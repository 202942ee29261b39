package io.tokiowakes.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;

/** Binary form of {@link Held} in the ordering buffer's store. */
final class HeldSerde implements Serde<Held> {

    @Override
    public Serializer<Held> serializer() {
        return (topic, h) -> {
            if (h == null) {
                return null;
            }
            byte[] record = TraceRecordSerde.write(h.record());
            return ByteBuffer.allocate(8 + record.length).putLong(h.producedMs()).put(record).array();
        };
    }

    @Override
    public Deserializer<Held> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            long produced = b.getLong();
            byte[] record = new byte[b.remaining()];
            b.get(record);
            return new Held(TraceRecordSerde.read(record), produced);
        };
    }
}
