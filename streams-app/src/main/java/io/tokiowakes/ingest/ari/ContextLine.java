package io.tokiowakes.ingest.ari;

/** One ⤷ line of a record. */
sealed interface ContextLine {

    /**
     * A span of the context, outermost first.
     *
     * @param fields    the raw text between the braces; parsed only for span_new
     * @param lifecycle set on the last line of a span callback record, else null
     */
    record Span(String name, long id, String fields, Lifecycle lifecycle) implements ContextLine {
    }

    /** The event a record ends with; {@code text} is everything after {@code target: }. */
    record Event(String target, String text) implements ContextLine {
    }
}
