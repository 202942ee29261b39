package io.tokiowakes.cli;

import io.tokiowakes.analyze.TraceLines;
import io.tokiowakes.ingest.ari.AriConversion;
import io.tokiowakes.ingest.ari.AriLineError;
import io.tokiowakes.ingest.ari.AriTextConverter;
import io.tokiowakes.ingest.ari.NotAriTextException;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A trace file given on the command line: trace record v1 JSON lines, or ari-subscriber text. */
public final class TraceInputOptions {

    enum Format { auto, json, ari }

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the trace")
    Path input;

    @Option(names = "--format", defaultValue = "auto",
            description = "json (trace record v1 lines), ari (ari-subscriber text) or auto (default: guessed from the content)")
    Format format;

    @Option(names = "--source", paramLabel = "NAME",
            description = "source name for ari text, which carries none (default: the file name)")
    String source;

    TraceLines lines() {
        checkReadable();
        Format f = format == Format.auto ? sniff() : format;
        if (f == Format.json) {
            return sink -> {
                try (InputStream in = Files.newInputStream(input)) {
                    TraceLines.of(in).forEach(sink);
                }
            };
        }
        String name = source != null ? source : input.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return sink -> {
            AriConversion result;
            // Bytes that are not UTF-8 become U+FFFD: a binary file is then refused as not being ari
            // text (one line), and a stray byte in a real log costs at most its line.
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(input),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
                long[] n = {0};
                result = new AriTextConverter(name).convert(in, json -> {
                    try {
                        sink.accept(++n[0], json.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (NotAriTextException e) {
                throw new UserError(input + ": " + e.getMessage());
            }
            for (AriLineError e : result.errors()) {
                System.err.println(input + ":" + e.line() + ": " + e.reason());
            }
            if (!result.errors().isEmpty()) {
                System.err.println(result.errors().size() + " line(s) of " + input + " could not be read as ari-subscriber text");
            }
        };
    }

    private Format sniff() {
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    return !line.stripLeading().startsWith("{") && AriTextConverter.looksLikeAri(line)
                            ? Format.ari : Format.json;
                }
            }
            return Format.json;
        } catch (IOException e) {
            throw new UserError("cannot read " + input + ": " + e.getMessage());
        }
    }

    private void checkReadable() {
        if (Files.isDirectory(input)) {
            throw new UserError("not a file: " + input);
        }
        try (InputStream in = Files.newInputStream(input)) {
            in.read();
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + input);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read " + input + ": permission denied");
        } catch (IOException e) {
            throw new UserError("cannot read " + input + ": " + e.getMessage());
        }
    }
}
