package io.tokiowakes.observe;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokiowakes.engine.JobMetrics;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** {@code /metrics}: Kafka Streams' metrics, the job's counters and its per-source gauges, in Prometheus format. */
public final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobMeterBinder job;
    private final SourceGauges sources;
    private final KafkaStreamsMetrics kafka;
    private final List<String> failedRegistrations = new CopyOnWriteArrayList<>();

    /** @param streams the job's Kafka Streams instance, null when there is none (in-process runs) */
    public MetricsEndpoint(JobMetrics metrics, KafkaStreams streams, Supplier<StoreAccess> stores, LongSupplier clock) {
        registry.config().meterFilter(new StoreTagFilter());
        // Micrometer logs the first failure itself; the rest are kept for the tests (and debugging).
        registry.config().onMeterRegistrationFailed((id, reason) -> failedRegistrations.add(id.getName() + ": " + reason));
        job = new JobMeterBinder(metrics);
        job.bindTo(registry);
        sources = new SourceGauges(stores, clock, 2_000);
        sources.bindTo(registry);
        if (streams != null) {
            kafka = new KafkaStreamsMetrics(streams);
            kafka.bindTo(registry);
        } else {
            kafka = null;
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public String scrape() {
        job.refresh();
        sources.refresh();
        return registry.scrape();
    }

    /** Meters Prometheus refused (e.g. one name with two sets of labels); empty when all is well. */
    public List<String> failedRegistrations() {
        return List.copyOf(failedRegistrations);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
        registry.close();
    }
}
