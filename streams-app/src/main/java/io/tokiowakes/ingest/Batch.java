package io.tokiowakes.ingest;

import java.util.List;

/**
 * What the filter stage sends the wake stage over the repartition topic: records of one source
 * from one input partition, packed together, or a heartbeat. Either tells how far that input
 * partition has been read and sent.
 *
 * @param source    the source of every record, or null for a heartbeat (sent to every wake-stage partition)
 * @param partition the input partition the records come from
 * @param readUpTo  a Kafka timestamp (ms): every record of that partition appended before it has been
 *                  sent, in this batch or an earlier one ({@link Long#MAX_VALUE}: read to its end;
 *                  {@link Long#MIN_VALUE}: nothing known yet)
 * @param records   the records with their Kafka timestamps, in the order they were read
 */
public record Batch(String source, int partition, long readUpTo, List<Held> records) {

    public static Batch heartbeat(int partition, long readUpTo) {
        return new Batch(null, partition, readUpTo, List.of());
    }

    public boolean isHeartbeat() {
        return source == null;
    }
}
