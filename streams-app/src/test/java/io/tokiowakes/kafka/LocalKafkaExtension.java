package io.tokiowakes.kafka;

import io.tokiowakes.broker.LocalKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * One real local broker for a test class, on a free port and a temporary folder: started before
 * the class's first test, stopped and deleted after its last.
 * {@code @RegisterExtension static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();}
 */
public final class LocalKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private LocalKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("tokio-wakes-it");
        kafka = LocalKafka.start(dir.resolve("kafka"), 0, Map.of());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (kafka != null) {
            kafka.close();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
