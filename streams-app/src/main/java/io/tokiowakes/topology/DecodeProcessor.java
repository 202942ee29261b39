package io.tokiowakes.topology;

import io.tokiowakes.ingest.RecordDecoder;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/**
 * Ingest: decodes trace record v1. A record that cannot be used keeps its original bytes and
 * gets the reason and its origin as headers, named as Kafka Streams' own dead-letter records.
 */
class DecodeProcessor extends ContextualProcessor<byte[], byte[], byte[], Decoded> {

    static final String HEADER_REASON = "__streams.errors.message";
    static final String HEADER_TOPIC = "__streams.errors.topic";
    static final String HEADER_PARTITION = "__streams.errors.partition";
    static final String HEADER_OFFSET = "__streams.errors.offset";

    private final RecordDecoder decoder;

    DecodeProcessor(RecordDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void process(Record<byte[], byte[]> in) {
        Decoded out = Decoded.of(decoder, in.value());
        if (!out.isOk()) {
            Headers h = in.headers();
            h.add(HEADER_REASON, bytes(out.error()));
            context().recordMetadata().ifPresent(m -> origin(h, m));
        }
        context().forward(in.withValue(out));
    }

    private static void origin(Headers h, RecordMetadata m) {
        h.add(HEADER_TOPIC, bytes(m.topic()));
        h.add(HEADER_PARTITION, bytes(String.valueOf(m.partition())));
        h.add(HEADER_OFFSET, bytes(String.valueOf(m.offset())));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
