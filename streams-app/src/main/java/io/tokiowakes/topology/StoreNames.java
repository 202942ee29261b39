package io.tokiowakes.topology;

/** State stores of the wake stage; each has a changelog, so a restarted job resumes exactly. */
final class StoreNames {
    /** The KTable of live task spans: span_new inserts, span_close deletes. */
    static final String LIVE_TASKS = "live-tasks";
    static final String THREADS = "threads";
    static final String SOURCES = "sources";
    static final String UNKNOWN_WAKES = "unknown-wakes";
    /** Records held for ordering, keyed so that a source's records sort in seq order. */
    static final String ORDERING_BUFFER = "ordering-buffer";

    private StoreNames() {
    }
}
