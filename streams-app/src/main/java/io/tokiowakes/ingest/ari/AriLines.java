package io.tokiowakes.ingest.ari;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises the three kinds of line in ari-subscriber text. */
final class AriLines {

    private static final Pattern HEADER = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:[Zz]|[+-]\\d{2}:\\d{2}))"
                    + " +(TRACE|DEBUG|INFO|WARN|ERROR)\\s*");
    private static final Pattern ARROW = Pattern.compile("\\s*⤷ ?(.*)");
    private static final Pattern SPAN = Pattern.compile(
            "([^\\s\\[\\]{}]+)\\[(\\d+)\\]\\{(.*)\\}(?:\\s+(new|enter|exit|close))?\\s*");
    private static final Pattern EVENT = Pattern.compile("(\\S+?):(?: (.*))?");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private AriLines() {
    }

    /** The time and level line that opens every record. */
    record Header(long tsNanos, String level) {
    }

    /** Removes what is not text: a byte-order mark and terminal colours (ari colours its output). */
    static String clean(String line) {
        String s = line.startsWith("\uFEFF") ? line.substring(1) : line;
        return s.indexOf('\u001B') < 0 ? s : ANSI.matcher(s).replaceAll("");
    }

    static boolean isHeader(String line) {
        return HEADER.matcher(line).matches();
    }

    /** @return the header, or null when the line is not one */
    static Header header(String line) throws AriParseException {
        Matcher m = HEADER.matcher(line);
        if (!m.matches()) {
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(m.group(1).toUpperCase(Locale.ROOT)).toInstant();
            long nanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
            if (nanos < 0) {
                throw new AriParseException("time before 1970 cannot be ts_nanos: " + m.group(1));
            }
            return new Header(nanos, m.group(2));
        } catch (DateTimeException | ArithmeticException e) {
            throw new AriParseException("invalid time " + m.group(1));
        }
    }

    /** @return what follows the ⤷ of a context line, or null when the line is not one */
    static String arrowBody(String line) {
        Matcher m = ARROW.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    /** Parses what follows a ⤷: a span, with its lifecycle word if it ends the record, or an event. */
    static ContextLine context(String body) throws AriParseException {
        Matcher span = SPAN.matcher(body);
        if (span.matches()) {
            long id;
            try {
                id = Long.parseUnsignedLong(span.group(2));
            } catch (NumberFormatException e) {
                throw new AriParseException("span ID " + span.group(2) + " is not a u64");
            }
            if (id == 0) {
                throw new AriParseException("span ID 0 is not a tracing span ID");
            }
            Lifecycle word = span.group(4) == null ? null : Lifecycle.valueOf(span.group(4).toUpperCase(Locale.ROOT));
            return new ContextLine.Span(span.group(1), id, span.group(3), word);
        }
        Matcher event = EVENT.matcher(body);
        if (event.matches()) {
            String rest = event.group(2);
            return new ContextLine.Event(event.group(1), rest == null ? "" : rest);
        }
        throw new AriParseException("neither a span (name[id]{fields}) nor an event (target: fields)");
    }
}
