package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;

/**
 * A record in the ordering buffer.
 *
 * @param producedMs its Kafka timestamp on the input topic
 */
public record Held(TraceRecord record, long producedMs) {
}
