package io.tokiowakes.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every {@code "<source>/<id>"} key and key range of the job is made and taken apart by
 * {@link SourceKeys}: the main sources concatenate no source with a '/', split no key at its '/'
 * and format no span ID as a signed number.
 */
class KeysInOnePlaceTest {

    private static final Path MAIN = Path.of(System.getProperty("user.dir"), "src/main/java");

    /** What a key made or read by hand looks like. */
    private static final List<Pattern> BY_HAND = List.of(
            // source + "/..." or source() + '/'
            Pattern.compile("[sS]ource(\\(\\))?\\s*\\+\\s*['\"]/"),
            // key.substring(0, key.lastIndexOf('/')) and the like
            Pattern.compile("[kK]ey\\w*\\.(last)?[iI]ndexOf\\(\\s*['\"]/['\"]"),
            // a span ID written as a signed long
            Pattern.compile("(Long\\.toString|String\\.valueOf|Long\\.valueOf)\\(\\s*[\\w.]*[sS]pan[iI]d"),
            Pattern.compile("['\"]/['\"]\\s*\\+\\s*[\\w.]*[sS]pan[iI]d"));

    @Test
    void onlySourceKeysBuildsKeys() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")
                    && !p.getFileName().toString().equals("SourceKeys.java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (BY_HAND.stream().anyMatch(p -> p.matcher(line).find())) {
                        found.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "keys made or read by hand; use SourceKeys");
    }

    @Test
    void thePatternsFindWhatTheyAreFor() {
        for (String line : List.of("return source + \"/window/\" + start;", "String k = e.source() + '/' + id;",
                "kv.key.substring(0, kv.key.lastIndexOf('/'))", "Long.toString(spanId)",
                "source + \"/\" + spanId", "String.valueOf(task.spanId())")) {
            assertEquals(true, BY_HAND.stream().anyMatch(p -> p.matcher(line).find()), line);
        }
        assertEquals(false, BY_HAND.stream().anyMatch(p -> p.matcher("SourceKeys.span(source, spanId)").find()));
    }

    @Test
    void graphWindowKeysAreTheContractsAndBelongToTheirSource() {
        String key = SourceKeys.graphWindow("svc/host1/4242", 1_795_682_280_000L);
        assertEquals("svc/host1/4242/window/1795682280000", key);
        assertEquals("svc/host1/4242", SourceKeys.sourceOf(SourceKeys.span("svc/host1/4242", -1L)));
    }
}
