package io.tokiowakes.ingest.ari;

/** The input does not start like ari-subscriber text, so nothing of it is converted. */
public class NotAriTextException extends Exception {

    public NotAriTextException(long line) {
        super("input is not ari-subscriber text: line " + line
                + " does not start with an RFC 3339 time and a level");
    }
}
