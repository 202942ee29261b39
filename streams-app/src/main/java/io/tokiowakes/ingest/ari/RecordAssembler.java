package io.tokiowakes.ingest.ari;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tokiowakes.json.Json;

import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Groups lines into records and writes each complete record to the sink as soon as the next
 * header (or the end) shows it is over. A line that does not parse drops the record it is in;
 * the record's remaining ⤷ lines are skipped with it, and conversion resumes at the next header.
 */
final class RecordAssembler {

    private final String source;
    private final Consumer<String> sink;
    private final ErrorLog errors;
    private PendingRecord current;
    /** The unfinished record was dropped: its remaining ⤷ lines are not reported again. */
    private boolean skipping;
    private long seq;

    RecordAssembler(String source, Consumer<String> sink, ErrorLog errors) {
        this.source = source;
        this.sink = sink;
        this.errors = errors;
    }

    void accept(long lineNo, String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            AriLines.Header header = AriLines.header(line);
            if (header != null) {
                finish();
                current = new PendingRecord(lineNo, line, header);
                if (header.body() != null) {
                    addOneLine(lineNo, line, header.body());
                }
                return;
            }
        } catch (AriParseException e) {
            finish();
            reject(lineNo, e.getMessage() + "; its record is skipped", line);
            skipping = true;
            return;
        }
        String body = AriLines.arrowBody(line);
        if (body == null) {
            reject(lineNo, "neither a time and level line nor a ⤷ line", line);
            return;
        }
        if (current == null) {
            if (!skipping) {
                reject(lineNo, "⤷ line outside a record", line);
            }
            return;
        }
        if (current.complete()) {
            reject(lineNo, "⤷ line after the record's event or span lifecycle line", line);
            return;
        }
        try {
            current.add(AriLines.context(body));
        } catch (AriParseException e) {
            reject(lineNo, e.getMessage(), line);
        }
    }

    /** The one-line layout: the whole record is on its header line. */
    private void addOneLine(long lineNo, String line, String body) {
        try {
            for (ContextLine c : AriLines.oneLine(body)) {
                current.add(c);
            }
        } catch (AriParseException e) {
            current = null;
            reject(lineNo, e.getMessage(), line);
            skipping = true;
        }
    }

    /** Writes the record being read, or reports it when its last line never came. */
    void finish() {
        if (current != null) {
            if (current.complete()) {
                emit(current);
            } else {
                errors.add(current.line(), "record has no event line and no span lifecycle word",
                        current.headerText());
            }
        }
        current = null;
        skipping = false;
    }

    long records() {
        return seq;
    }

    /** Reports a line that does not parse, dropping the unfinished record it belongs to. */
    void reject(long lineNo, String reason, String line) {
        if (current != null && current.complete()) {
            emit(current);
        } else if (current != null) {
            reason = reason + "; the record from line " + current.line() + " is skipped";
            skipping = true;
        }
        errors.add(lineNo, reason, line);
        current = null;
    }

    private void emit(PendingRecord r) {
        try {
            sink.accept(Json.MAPPER.writeValueAsString(r.toJson(source, seq)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        seq++;
    }
}
