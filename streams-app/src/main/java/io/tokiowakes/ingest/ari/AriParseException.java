package io.tokiowakes.ingest.ari;

/** One line of ari text does not parse; the message is the reason reported for it. */
final class AriParseException extends Exception {

    AriParseException(String reason) {
        super(reason, null, false, false);
    }
}
