package io.tokiowakes.observe;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokiowakes.topology.JobMetrics;
import org.apache.kafka.streams.KafkaStreams;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** {@code /metrics}: Kafka Streams' metrics, the job's counters and its per-source gauges, in Prometheus format. */
public final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobMeterBinder job;
    private final SourceGauges sources;
    private final KafkaStreamsMetrics kafka;

    /** @param streams the job's Kafka Streams instance, null when there is none (in-process runs) */
    public MetricsEndpoint(JobMetrics metrics, KafkaStreams streams, Supplier<StoreAccess> stores, LongSupplier clock) {
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
