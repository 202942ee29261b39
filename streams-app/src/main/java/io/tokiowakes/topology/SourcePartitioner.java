package io.tokiowakes.topology;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Batches go to the partition of their source (the key); heartbeats (empty key) go to every partition. */
final class SourcePartitioner implements StreamPartitioner<byte[], byte[]> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
        if (key.length == 0) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        // The same partition Kafka's default partitioner picks for this key.
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(key)) % numPartitions));
    }
}
