package io.tokiowakes.ingest;

import io.tokiowakes.model.TraceRecord;

/**
 * A record in the ordering buffer.
 *
 * @param producedMs its Kafka timestamp on the input topic
 */
public record Held(TraceRecord record, long producedMs) {
}
