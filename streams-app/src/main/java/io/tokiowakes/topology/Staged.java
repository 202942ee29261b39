package io.tokiowakes.topology;

import io.tokiowakes.ingest.TraceRecord;

/**
 * What the filter stage sends the wake stage: a record, or a heartbeat, each telling how far
 * the input partition it comes from has been read.
 *
 * @param record    the record, or null for a heartbeat (sent to every wake-stage partition)
 * @param partition the input partition this comes from
 * @param readUpTo  every record of that partition with a Kafka timestamp below this has been
 *                  read ({@link Long#MAX_VALUE}: the partition is read to its end)
 */
public record Staged(TraceRecord record, int partition, long readUpTo) {

    public boolean isHeartbeat() {
        return record == null;
    }
}
