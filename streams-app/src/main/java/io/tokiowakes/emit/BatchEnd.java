package io.tokiowakes.emit;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Not a result: it follows the outputs of each record the wake stage processes (a batch or a
 * heartbeat) and goes to no topic. Kafka Streams commits only between two records, so a
 * processor after the wake stage that keeps state derived from many outputs (the wake graph) can
 * hold its changes in memory until this arrives and write each changed value once, and its stores
 * still hold the state of every commit.
 */
public record BatchEnd() implements Output {

    /** The one instance: it carries nothing. */
    public static final BatchEnd INSTANCE = new BatchEnd();

    @Override
    public String source() {
        return "";
    }

    @Override
    public long tsNanos() {
        return 0;
    }

    @Override
    @JsonIgnore
    public String key() {
        return "";
    }
}
