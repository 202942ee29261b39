package io.tokiowakes.ingest.ari;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokiowakes.json.Json;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Parses the {@code k=v, k=v} lists ari-subscriber prints. Quoted values are Rust Debug strings;
 * bare integers become JSON numbers, every other bare value a string.
 */
final class AriFields {

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String text;
    private final boolean event;
    private final ObjectNode out = Json.MAPPER.createObjectNode();
    private int pos;

    private AriFields(String text, boolean event) {
        this.text = text;
        this.event = event;
    }

    /** The fields inside a span's braces; bare values may hold spaces there (Display values). */
    static ObjectNode span(String text) throws AriParseException {
        ObjectNode fields = new AriFields(text, false).parse();
        if (fields == null) {
            throw new AriParseException("span fields are not key=value pairs: {" + text + "}");
        }
        return fields;
    }

    /**
     * The text after {@code target: }. ari prints an event's message after its other fields,
     * separated by one space; text that is no k=v list at all is the message alone.
     */
    static ObjectNode event(String text) {
        ObjectNode fields = new AriFields(text, true).parse();
        if (fields == null) {
            fields = Json.MAPPER.createObjectNode();
            fields.put("message", text);
        }
        return fields;
    }

    private ObjectNode parse() {
        if (text.isBlank()) {
            return out;
        }
        while (true) {
            int keyEnd = keyEnd(pos);
            if (keyEnd < 0) {
                return null;
            }
            String key = text.substring(pos, keyEnd);
            pos = keyEnd + 1;
            if (pos < text.length() && text.charAt(pos) == '"') {
                int end = quotedEnd(pos);
                if (end < 0) {
                    return null;
                }
                out.put(key, unescape(text.substring(pos + 1, end - 1)));
                pos = end;
            } else {
                int end = bareEnd(pos);
                putBare(key, text.substring(pos, end));
                pos = end;
            }
            if (pos == text.length()) {
                return out;
            }
            if (text.startsWith(", ", pos) && keyEnd(pos + 2) > 0) {
                pos += 2;
                continue;
            }
            if (event && text.charAt(pos) == ' ' && pos + 1 < text.length()) {
                out.put("message", text.substring(pos + 1));
                return out;
            }
            return null;
        }
    }

    /** @return the index of the '=' ending a field name at {@code from}, or -1 */
    private int keyEnd(int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean ok = Character.isLetter(c) || c == '_'
                    || (i > from && (Character.isDigit(c) || c == '.' || c == '-' || c == '#'));
            if (!ok) {
                break;
            }
            i++;
        }
        return i > from && i < text.length() && text.charAt(i) == '=' ? i : -1;
    }

    /** @return the index just after the closing quote of the string opening at {@code from}, or -1 */
    private int quotedEnd(int from) {
        for (int i = from + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * A bare value ends at a top-level ", " (for spans only when a field follows) and, in events,
     * at a top-level space, where the message starts. Brackets keep Debug values such as
     * {@code Some(1, 2)} in one piece.
     */
    private int bareEnd(int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                int end = quotedEnd(i);
                if (end < 0) {
                    return text.length();
                }
                i = end - 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (depth == 0 && c == ',' && text.startsWith(", ", i)
                    && (event || keyEnd(i + 2) > 0)) {
                return i;
            } else if (depth == 0 && event && c == ' ') {
                return i;
            }
        }
        return text.length();
    }

    private void putBare(String key, String value) {
        if (!INTEGER.matcher(value).matches()) {
            out.put(key, value);
            return;
        }
        BigInteger n = new BigInteger(value);
        if (n.compareTo(LONG_MIN) >= 0 && n.compareTo(LONG_MAX) <= 0) {
            out.put(key, n.longValue());
        } else {
            // u64 span IDs above 2^63 stay exact.
            out.put(key, n);
        }
    }

    /** Undoes Rust's Debug escaping of a string. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '0' -> b.append('\0');
                case 'u' -> i = unicode(s, i, b);
                default -> b.append(e);
            }
        }
        return b.toString();
    }

    /** Rust's {@code u{1F600}} escape: appends the code point, returns the index of the closing brace. */
    private static int unicode(String s, int u, StringBuilder b) {
        int close = s.indexOf('}', u);
        if (u + 1 < s.length() && s.charAt(u + 1) == '{' && close > u + 2) {
            try {
                b.appendCodePoint(Integer.parseInt(s.substring(u + 2, close), 16));
                return close;
            } catch (IllegalArgumentException e) {
                // not a valid escape: kept as written below
            }
        }
        b.append("\\u");
        return u;
    }
}
