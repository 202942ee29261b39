package io.tokiowakes.topology;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A key-value store that runs its processor's action at each commit of its task, just before the
 * store's cache (if it has one) is written to the changelog. A processor that keeps what changes
 * on every record in memory writes it to the store once a commit instead of once a record, and
 * the changelog still holds it at every commit: a crash loses nothing whose input offset was
 * committed.
 * <p>
 * The hook is the one Kafka Streams gives its own caching stores: at every commit a task flushes
 * the cache of each of its stores that is a {@code CachedStateStore}
 * ({@code ProcessorStateManager.flushCache}, called from {@code StreamTask.prepareCommit}), before
 * the changelog records and the input offsets are committed in one transaction. That interface is
 * internal to Kafka Streams; {@code OutboxCommitTest} fails if the hook is no longer called.
 * <p>
 * The action may write to this store only: the other stores of the task may have been flushed
 * already in the same commit.
 */
final class BeforeCommitStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {

    /**
     * Where a processor finds its task's instance of a store: Kafka Streams hands a processor its
     * stores behind a decorator, so the store announces itself here at init, by task and name.
     */
    static final class Registry {
        private record Key(TaskId task, String store) {
        }

        private final Map<Key, BeforeCommitStore<?, ?>> stores = new ConcurrentHashMap<>();

        /**
         * Runs {@code action} before every later commit of the task, until the store is closed.
         *
         * @throws IllegalStateException when the task has no such store open
         */
        void beforeCommit(TaskId task, String store, Runnable action) {
            BeforeCommitStore<?, ?> s = stores.get(new Key(task, store));
            if (s == null) {
                throw new IllegalStateException("task " + task + " has no open store " + store);
            }
            s.action = action;
        }
    }

    /** Builds the store like {@code builder}, then wraps it. */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> builder, Registry registry) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
                builder.withCachingEnabled();
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
                builder.withCachingDisabled();
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
                builder.withLoggingEnabled(config);
                return this;
            }

            @Override
            public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
                builder.withLoggingDisabled();
                return this;
            }

            @Override
            public KeyValueStore<K, V> build() {
                return new BeforeCommitStore<>(builder.build(), registry);
            }

            @Override
            public Map<String, String> logConfig() {
                return builder.logConfig();
            }

            @Override
            public boolean loggingEnabled() {
                return builder.loggingEnabled();
            }

            @Override
            public String name() {
                return builder.name();
            }
        };
    }

    private final KeyValueStore<K, V> inner;
    private final Registry registry;
    private Registry.Key key;
    private volatile Runnable action = () -> { };

    private BeforeCommitStore(KeyValueStore<K, V> inner, Registry registry) {
        this.inner = inner;
        this.registry = registry;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
        key = new Registry.Key(context.taskId(), name());
        registry.stores.put(key, this);
    }

    /** Called by Kafka Streams at every commit of the task: the action, then the cache's own flush. */
    @Override
    public void flushCache() {
        action.run();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return inner instanceof CachedStateStore<?, ?> cached
                && ((CachedStateStore<K, V>) cached).setFlushListener(listener, sendOldValues);
    }

    @Override
    public void close() {
        if (key != null) {
            registry.stores.remove(key, this);
        }
        inner.close();
    }

    // Everything else is the wrapped store's.

    @Override
    public void put(K k, V v) {
        inner.put(k, v);
    }

    @Override
    public V putIfAbsent(K k, V v) {
        return inner.putIfAbsent(k, v);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        inner.putAll(entries);
    }

    @Override
    public V delete(K k) {
        return inner.delete(k);
    }

    @Override
    public V get(K k) {
        return inner.get(k);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return inner.reverseAll();
    }

    @Override
    public <S extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, S prefixKeySerializer) {
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public ReadOnlyKeyValueStore<K, V> readOnly(IsolationLevel isolationLevel) {
        return inner.readOnly(isolationLevel);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}
