package io.tokiowakes.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * One set of label names for Kafka Streams' state store metrics. Kafka tags a store metric with
 * its store type in the tag's name ({@code rocksdb-state-id}, {@code in-memory-state-id}, ...),
 * so the job's RocksDB and in-memory stores give the same metric name with different labels,
 * which Prometheus refuses: only the first kind would be exported. This renames such a tag to
 * {@code store} (the store's name; its type follows from the job's settings). The number of tags
 * stays the same: Micrometer's Kafka binder compares tag counts to tell a metric's variants apart.
 */
public final class StoreTagFilter implements MeterFilter {

    /** Micrometer's Kafka binder turns Kafka's '-' in tag names into '.'. */
    private static final String SUFFIX = ".state.id";

    /**
     * @param id a meter about to be registered
     * @return the same id, with a store-type-specific tag renamed {@code store}
     */
    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("kafka.stream.state.")) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag t : id.getTagsAsIterable()) {
            String key = t.getKey();
            if (key.endsWith(SUFFIX) && key.length() > SUFFIX.length()) {
                tags.add(Tag.of("store", t.getValue()));
                changed = true;
            } else {
                tags.add(t);
            }
        }
        return changed ? id.replaceTags(tags) : id;
    }
}
