package io.tokiowakes.ingest.ari;

import io.tokiowakes.model.RecordType;

/** The word ari prints after a span for the span callbacks. */
enum Lifecycle {
    NEW(RecordType.SPAN_NEW),
    ENTER(RecordType.SPAN_ENTER),
    EXIT(RecordType.SPAN_EXIT),
    CLOSE(RecordType.SPAN_CLOSE);

    final RecordType type;

    Lifecycle(RecordType type) {
        this.type = type;
    }
}
