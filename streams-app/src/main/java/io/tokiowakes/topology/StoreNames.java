package io.tokiowakes.topology;

/** State stores of the wake stage; each has a changelog, so a restarted job resumes exactly. */
final class StoreNames {
    /** The KTable of live task spans: span_new inserts, span_close deletes. */
    static final String LIVE_TASKS = "live-tasks";
    /** Live resource, async op and async op poll spans: span_new inserts, span_close deletes. */
    static final String LIVE_RESOURCES = "live-resources";
    static final String THREADS = "threads";
    static final String SOURCES = "sources";
    static final String UNKNOWN_WAKES = "unknown-wakes";
    /** The batches whose records are held for ordering, each stored as it came. */
    static final String ORDERING_BUFFER = "held-batches";

    private StoreNames() {
    }
}
