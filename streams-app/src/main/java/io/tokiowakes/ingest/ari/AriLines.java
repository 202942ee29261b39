package io.tokiowakes.ingest.ari;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the lines of ari-subscriber text, in both of its layouts:
 * <ul>
 * <li>multi-line (the seed post's): a time and level line, then one indented ⤷ line per span of
 * the context, the last one ending in a lifecycle word or being the event;</li>
 * <li>one line (ari-subscriber 0.0.1 as released, {@code src/fmt/mod.rs}): the time, the level,
 * the span scope {@code name[id]{fields} } from the root, then the lifecycle word
 * ({@code new}, {@code enter}, {@code exit}, {@code close}; the scope then ends with that span
 * itself) or the event's {@code target: fields}.</li>
 * </ul>
 */
final class AriLines {

    private static final Pattern HEADER = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:[Zz]|[+-]\\d{2}:\\d{2}))"
                    + " +(TRACE|DEBUG|INFO|WARN|ERROR)(?:\\s+(.*?))?\\s*");
    /** The start of one span of a one-line scope, up to its opening brace. */
    private static final Pattern SPAN_START = Pattern.compile("([^\\s\\[\\]{}]+)\\[(\\d+)\\]\\{");
    private static final Pattern ARROW = Pattern.compile("\\s*⤷ ?(.*)");
    private static final Pattern SPAN = Pattern.compile(
            "([^\\s\\[\\]{}]+)\\[(\\d+)\\]\\{(.*)\\}(?:\\s+(new|enter|exit|close))?\\s*");
    private static final Pattern EVENT = Pattern.compile("(\\S+?):(?: (.*))?");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private AriLines() {
    }

    /**
     * The time and level that open every record.
     *
     * @param body the rest of the line in the one-line layout, or null when the line holds only
     *             the time and level (the multi-line layout)
     */
    record Header(long tsNanos, String level, String body) {
    }

    /** Removes what is not text: a byte-order mark and terminal colours (ari colours its output). */
    static String clean(String line) {
        String s = line.startsWith("\uFEFF") ? line.substring(1) : line;
        return s.indexOf('\u001B') < 0 ? s : ANSI.matcher(s).replaceAll("");
    }

    /** A line that opens a record: a time and a level, alone or followed by the record (one-line layout). */
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
            String body = m.group(3) == null || m.group(3).isEmpty() ? null : m.group(3);
            return new Header(nanos, m.group(2), body);
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
            Lifecycle word = span.group(4) == null ? null : Lifecycle.valueOf(span.group(4).toUpperCase(Locale.ROOT));
            return new ContextLine.Span(span.group(1), spanId(span.group(2)), span.group(3), word);
        }
        ContextLine.Event event = event(body);
        if (event != null) {
            return event;
        }
        throw new AriParseException("neither a span (name[id]{fields}) nor an event (target: fields)");
    }

    /**
     * Parses the rest of a one-line record: the scope's spans from the root, each
     * {@code name[id]{fields}} and a space, then a lifecycle word (of the scope's last span: ari
     * prints a span's own scope, ending with the span) or the event.
     *
     * @return the record's context lines in the order of the multi-line layout
     */
    static List<ContextLine> oneLine(String body) throws AriParseException {
        List<ContextLine> spans = new ArrayList<>();
        Matcher start = SPAN_START.matcher(body);
        int pos = 0;
        while (start.region(pos, body.length()).lookingAt()) {
            int close = closingBrace(body, start.end() - 1);
            if (close < 0) {
                throw new AriParseException("the fields of span " + start.group(1) + "[" + start.group(2)
                        + "] have no closing brace");
            }
            if (spans.size() == PendingRecord.MAX_DEPTH) {
                throw new AriParseException("more than " + PendingRecord.MAX_DEPTH + " nested spans");
            }
            spans.add(new ContextLine.Span(start.group(1), spanId(start.group(2)),
                    body.substring(start.end(), close), null));
            pos = close + 1;
            if (pos == body.length() || body.charAt(pos) != ' ') {
                throw new AriParseException("span " + start.group(1) + "[" + start.group(2)
                        + "] is followed by neither a space and new, enter, exit or close, nor an event");
            }
            pos++;
        }
        String rest = body.substring(pos).strip();
        Lifecycle word = lifecycle(rest);
        if (word != null && !spans.isEmpty()) {
            ContextLine.Span self = (ContextLine.Span) spans.remove(spans.size() - 1);
            spans.add(new ContextLine.Span(self.name(), self.id(), self.fields(), word));
            return spans;
        }
        ContextLine.Event event = event(rest);
        if (event == null) {
            throw new AriParseException("after the spans (name[id]{fields}) comes neither new, enter, exit"
                    + " or close nor an event (target: fields)");
        }
        spans.add(event);
        return spans;
    }

    private static ContextLine.Event event(String text) {
        Matcher event = EVENT.matcher(text);
        if (!event.matches()) {
            return null;
        }
        String rest = event.group(2);
        return new ContextLine.Event(event.group(1), rest == null ? "" : rest);
    }

    private static Lifecycle lifecycle(String word) {
        return switch (word) {
            case "new" -> Lifecycle.NEW;
            case "enter" -> Lifecycle.ENTER;
            case "exit" -> Lifecycle.EXIT;
            case "close" -> Lifecycle.CLOSE;
            default -> null;
        };
    }

    private static long spanId(String digits) throws AriParseException {
        long id;
        try {
            id = Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw new AriParseException("span ID " + digits + " is not a u64");
        }
        if (id == 0) {
            throw new AriParseException("span ID 0 is not a tracing span ID");
        }
        return id;
    }

    /**
     * @return the index of the brace closing the one at {@code open}, or -1. Braces nest (Rust
     *         type names such as {@code Launch::launch::{{closure}}} are printed bare) and quoted
     *         Debug strings are skipped whole.
     */
    private static int closingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                for (i++; i < s.length() && s.charAt(i) != '"'; i++) {
                    if (s.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
