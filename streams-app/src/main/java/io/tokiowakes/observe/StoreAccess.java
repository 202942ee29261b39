package io.tokiowakes.observe;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The local state stores the API reads: interactive queries on a job, or a test driver's stores. */
@FunctionalInterface
public interface StoreAccess {

    <V> ReadOnlyKeyValueStore<String, V> store(String name);

    /**
     * This instance's stores of a running job, all local partitions or just one.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while they are not queryable (rebalancing)
     */
    static StoreAccess of(KafkaStreams streams, Integer partition) {
        return new StoreAccess() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> q =
                        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
                return streams.store(partition == null ? q : q.withPartition(partition));
            }
        };
    }
}
