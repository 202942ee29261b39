package io.tokiowakes.ingest.ari;

/**
 * A line of ari-subscriber text that was not converted.
 *
 * @param line   1-based line number in the input
 * @param reason what is wrong with it
 * @param text   the line itself (shortened when very long)
 */
public record AriLineError(long line, String reason, String text) {
}
