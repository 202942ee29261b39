package io.tokiowakes.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/** Reads a properties file given on the command line; an unreadable one is a {@link UserError}. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static Properties load(Path file) {
        Properties p = new Properties();
        if (file == null) {
            return p;
        }
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new UserError("no such config file: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("cannot read config file " + file + ": " + e.getMessage());
        }
        return p;
    }
}
