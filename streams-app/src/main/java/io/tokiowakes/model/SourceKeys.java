package io.tokiowakes.model;

/**
 * Every key scoped by source, in one place: the Kafka keys of trace record v1 and of the outputs,
 * and the keys of the job's state tables.
 *
 * <p>A key is {@code "<source>/<last>"}, where the last part never holds a '/': a span ID as an
 * unsigned decimal (span IDs are u64; values above 2^63 are written exactly, never as negative
 * longs), or a thread ID with '%' and '/' percent-encoded. Source names may hold '/' (e.g.
 * {@code svc/host1/4242}), so a key of source {@code svc/host1/4242} also starts with
 * {@code svc/}; since the last part has no '/', a key belongs to exactly one source: the text
 * before its last '/'. Range scans of a source's keys must therefore check {@link #belongsTo}.
 */
public final class SourceKeys {

    private static final char SEP = '/';

    private SourceKeys() {
    }

    /** @return {@code "<source>/<span id as u64>"}: the key of a span, its task and its outputs */
    public static String span(String source, long spanId) {
        return source + SEP + Long.toUnsignedString(spanId);
    }

    /**
     * @return the state key of one OS thread of a source; {@code ThreadId(3)} stays as it is,
     *         a '/' or '%' in a thread ID is percent-encoded so that the key stays the source's
     */
    public static String thread(String source, String threadId) {
        return source + SEP + encode(threadId);
    }

    /**
     * @return the contract's Kafka key of an event outside any span,
     *         {@code "<source>/thread/<thread.id>"} (it only spreads records over partitions)
     */
    public static String rootEvent(String source, String threadId) {
        return source + "/thread/" + threadId;
    }

    /**
     * @return the contract's Kafka key of a wake-graph window on {@code tokio.wake-graph},
     *         {@code "<source>/window/<window start ms>"}
     */
    public static String graphWindow(String source, long windowStartMs) {
        return source + "/window/" + windowStartMs;
    }

    /** First key of a scan over the source's keys (inclusive). */
    public static String rangeFrom(String source) {
        return source + SEP;
    }

    /** End of a scan over the source's keys (exclusive): '0' is the character after '/'. */
    public static String rangeTo(String source) {
        return source + (char) (SEP + 1);
    }

    /** @return whether the key is one of the source's, not one of a source whose name extends it */
    public static boolean belongsTo(String key, String source) {
        return key.length() > source.length() && key.startsWith(source) && key.charAt(source.length()) == SEP
                && key.indexOf(SEP, source.length() + 1) < 0;
    }

    /** @return the source of a key made here, or null when the key has no '/' */
    public static String sourceOf(String key) {
        int last = key.lastIndexOf(SEP);
        return last < 0 ? null : key.substring(0, last);
    }

    /** @return the span ID of a span key of that source, or null when the key is not one */
    public static Long spanIdOf(String key, String source) {
        if (!belongsTo(key, source)) {
            return null;
        }
        return parseU64(key.substring(source.length() + 1));
    }

    /** @return the u64 written as unsigned decimal, or null when the text is not one */
    public static Long parseU64(String text) {
        if (text.isEmpty() || text.length() > 20) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            return null; // above 2^64 - 1
        }
    }

    private static String encode(String s) {
        if (s.indexOf(SEP) < 0 && s.indexOf('%') < 0) {
            return s;
        }
        return s.replace("%", "%25").replace("/", "%2F");
    }
}
