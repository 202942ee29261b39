package io.tokiowakes.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --out} folder of {@code analyze} and {@code dump}. */
final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * Creates the folder (and its parents) unless it exists.
     *
     * @throws UserError when the path is a file, or the folder cannot be created
     */
    static void prepare(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out " + out + " is a file; give a folder (the output files go into it)");
        }
        try {
            Files.createDirectories(out);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot create folder " + out + ": permission denied");
        } catch (IOException e) {
            throw new UserError("cannot create folder " + out + ": " + e);
        }
        if (!Files.isWritable(out)) {
            throw new UserError("cannot write into folder " + out + ": permission denied");
        }
    }
}
