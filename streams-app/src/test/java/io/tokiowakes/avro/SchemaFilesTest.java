package io.tokiowakes.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code schemas/history/} is what the decoders know, and every version there is readable by the current one. */
class SchemaFilesTest {

    /** Tests run in the module's directory. */
    static final Path SCHEMAS = Path.of("..", "schemas");

    static Path historyFile(String name) {
        return SCHEMAS.resolve("history").resolve(name);
    }

    static List<Schema> historyFiles() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS.resolve("history"))) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().map(f -> {
                try {
                    return new Schema.Parser().parse(f.toFile());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void theDecodersKnowExactlyTheReleasedSchemas() throws IOException {
        Set<String> files = fingerprints(historyFiles());
        Set<String> known = fingerprints(SchemaHistory.released());
        assertFalse(files.isEmpty());
        assertEquals(files, known, "schemas/history/ and SchemaHistory differ");
    }

    @Test
    void theJarCarriesEveryFileOfTheHistory() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS.resolve("history"))) {
            assertEquals(new TreeSet<>(files.map(f -> f.getFileName().toString()).toList()),
                    new TreeSet<>(SchemaHistory.FILES));
        }
    }

    @Test
    void theCurrentSchemasAreReleased() throws IOException {
        Set<String> files = fingerprints(historyFiles());
        for (Schema current : List.of(TraceRecordV1.getClassSchema(), WakeEdge.getClassSchema(),
                WakeDelay.getClassSchema(), Anomaly.getClassSchema(), TaskSummary.getClassSchema())) {
            assertTrue(files.contains(id(current)),
                    current.getFullName() + " changed: add its new version to schemas/history/");
        }
    }

    @Test
    void everyReleasedVersionIsReadableByTheCurrentSchema() throws IOException {
        TreeMap<String, Schema> current = new TreeMap<>();
        for (Schema s : List.of(TraceRecordV1.getClassSchema(), WakeEdge.getClassSchema(),
                WakeDelay.getClassSchema(), Anomaly.getClassSchema(), TaskSummary.getClassSchema())) {
            current.put(s.getFullName(), s);
        }
        for (Schema writer : historyFiles()) {
            Schema reader = current.get(writer.getFullName());
            assertTrue(reader != null, "no current schema for " + writer.getFullName());
            var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
                    writer.getFullName() + ": " + result.getDescription());
        }
    }

    @Test
    void version1_1OnlyAddsOptionalFieldsToVersion1_0() throws IOException {
        Schema v10 = new Schema.Parser().parse(historyFile("trace-record-v1.0.avsc").toFile());
        Schema v11 = new Schema.Parser().parse(historyFile("trace-record-v1.1.avsc").toFile());
        Set<String> added = new TreeSet<>(v11.getFields().stream().map(Schema.Field::name).toList());
        added.removeAll(v10.getFields().stream().map(Schema.Field::name).toList());
        assertEquals(Set.of("seq", "thread_name"), added);
        for (String f : added) {
            assertTrue(v11.getField(f).hasDefaultValue(), f + " has a default");
        }
        // And old readers still read new records (forward compatible).
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(v10, v11).getType());
    }

    private static Set<String> fingerprints(List<Schema> schemas) {
        return schemas.stream().map(SchemaFilesTest::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String id(Schema s) {
        return s.getFullName() + "@" + Long.toHexString(SchemaHistory.fingerprint(s));
    }
}
