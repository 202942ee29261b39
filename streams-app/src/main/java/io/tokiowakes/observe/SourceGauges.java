package io.tokiowakes.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Gauges per source read from the state stores (live tasks, records waiting in the ordering
 * buffer and for how long), sampled before a scrape and at most every {@code minIntervalMs}:
 * reading the stores walks every live task.
 */
public final class SourceGauges implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(SourceGauges.class);

    static final String LIVE_TASKS = "tokio.wakes.live.tasks";
    static final String BUFFERED = "tokio.wakes.ordering.buffer.records";
    static final String WAITING = "tokio.wakes.ordering.buffer.wait";

    private final Supplier<StoreAccess> stores;
    private final LongSupplier clock;
    private final long minIntervalMs;
    private MultiGauge live;
    private MultiGauge buffered;
    private MultiGauge waiting;
    private long sampledAtMs;
    private boolean sampled;

    public SourceGauges(Supplier<StoreAccess> stores, LongSupplier clock, long minIntervalMs) {
        this.stores = stores;
        this.clock = clock;
        this.minIntervalMs = minIntervalMs;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        live = MultiGauge.builder(LIVE_TASKS).description("live tasks, by source").register(registry);
        buffered = MultiGauge.builder(BUFFERED)
                .description("records held in the ordering buffer (waiting for earlier records), by source")
                .register(registry);
        waiting = MultiGauge.builder(WAITING).baseUnit("seconds")
                .description("how long records have been held since the source last sent, by source")
                .register(registry);
    }

    public synchronized void refresh() {
        long now = clock.getAsLong();
        if (live == null || (sampled && now - sampledAtMs < minIntervalMs)) {
            return;
        }
        sampled = true;
        sampledAtMs = now;
        List<SourceSample> samples;
        try {
            samples = SourceSample.read(stores.get(), now);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            LOG.debug("stores not queryable, gauges keep their values: {}", e.getMessage());
            return;
        }
        live.register(rows(samples, SourceSample::liveTasks, s -> s), true);
        buffered.register(rows(samples, SourceSample::buffered, s -> s), true);
        waiting.register(rows(samples, SourceSample::waitingMs, ms -> ms / 1000.0), true);
    }

    private static List<MultiGauge.Row<?>> rows(List<SourceSample> samples, ToLongFunction<SourceSample> value,
                                                Function<Long, Number> scale) {
        return samples.stream()
                .<MultiGauge.Row<?>>map(s -> MultiGauge.Row.of(Tags.of("source", s.source()),
                        scale.apply(value.applyAsLong(s))))
                .toList();
    }
}
