package io.tokiowakes.emit;

/** The OS thread a wake fired on; id is null for inputs without threads. */
public record ThreadRef(String id, String name) {
}
