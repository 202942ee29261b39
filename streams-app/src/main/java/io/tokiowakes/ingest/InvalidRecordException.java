package io.tokiowakes.ingest;

/** A record that does not meet trace record v1; the message is the reason shown in the dead-letter topic. */
public class InvalidRecordException extends Exception {
    public InvalidRecordException(String reason) {
        super(reason);
    }
}
