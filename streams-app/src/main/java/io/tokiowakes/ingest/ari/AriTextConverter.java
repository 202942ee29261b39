package io.tokiowakes.ingest.ari;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Converts ari-subscriber text into trace record v1 JSON lines, in either layout (see
 * {@link AriLines}): the seed post's (a time and level line, then indented ⤷ lines: the span
 * context, outermost first, ending in a span lifecycle word or an event) and the released one
 * (one line a record: time, level, the span scope, then the lifecycle word or the event), with
 * or without terminal colours. Streams: memory does not grow with the input.
 *
 * <p>The text has no threads, so records carry no {@code thread.id}; an event's {@code parent_id}
 * is the innermost task span around it, which the job then takes as the running task.
 */
public final class AriTextConverter {

    /** Longer lines are cut and reported; no real ari line comes near this. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private final String source;

    /** @param source the {@code source} of every record; span IDs are unique only within it */
    public AriTextConverter(String source) {
        Objects.requireNonNull(source, "source");
        if (source.isEmpty()) {
            throw new IllegalArgumentException("source must not be empty");
        }
        this.source = source;
    }

    /**
     * Converts all of {@code in}, handing each record's JSON to {@code sink} in file order with
     * {@code seq} 0, 1, 2, …. Lines that do not parse are returned as errors, not thrown.
     *
     * @throws NotAriTextException when the first non-blank line does not start with a time and a level
     */
    public AriConversion convert(BufferedReader in, Consumer<String> sink) throws IOException, NotAriTextException {
        BoundedLineReader lines = new BoundedLineReader(in, MAX_LINE_CHARS);
        ErrorLog errors = new ErrorLog();
        RecordAssembler assembler = new RecordAssembler(source, sink, errors);
        boolean started = false;
        String raw;
        while ((raw = lines.next()) != null) {
            String line = AriLines.clean(raw);
            if (!started) {
                if (line.isBlank()) {
                    continue;
                }
                if (!AriLines.isHeader(line)) {
                    throw new NotAriTextException(lines.number());
                }
                started = true;
            }
            if (lines.truncated()) {
                // Its end is lost, so it cannot be parsed.
                assembler.reject(lines.number(), "line longer than " + MAX_LINE_CHARS + " characters", line);
                continue;
            }
            assembler.accept(lines.number(), line);
        }
        assembler.finish();
        return new AriConversion(assembler.records(), errors.all());
    }

    /** Content sniffing: whether a first non-blank line opens ari-subscriber text. */
    public static boolean looksLikeAri(String firstNonBlankLine) {
        return firstNonBlankLine != null && AriLines.isHeader(AriLines.clean(firstNonBlankLine));
    }
}
