package io.tokiowakes.topology;

import io.tokiowakes.ingest.Batch;
import io.tokiowakes.ingest.BatchCodec;
import io.tokiowakes.ingest.Held;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.List;

/** A single held record in a store: a batch of one, in {@link BatchCodec}'s form. */
final class HeldSerde implements Serde<Held> {

    @Override
    public Serializer<Held> serializer() {
        return (topic, h) -> h == null ? null
                : BatchCodec.encode(new Batch(h.record().source(), 0, Long.MIN_VALUE, List.of(h)));
    }

    @Override
    public Deserializer<Held> deserializer() {
        return (topic, bytes) -> bytes == null ? null : BatchCodec.decode(bytes).records().get(0);
    }
}
