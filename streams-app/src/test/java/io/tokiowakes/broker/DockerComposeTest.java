package io.tokiowakes.broker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose.yml runs the Kafka the tests run, and the jar README says to build first. */
class DockerComposeTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();

    @Test
    void composeRunsTheTestedKafkaAndTheBuiltJar() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Matcher image = Pattern.compile("image: apache/kafka:(\\S+)").matcher(compose);
        assertTrue(image.find(), "a Kafka image in docker-compose.yml");
        // kafka.version of pom.xml: the clients and the broker jars the tests run.
        String tested = System.getProperty("kafka.version");
        assertTrue(tested != null && !tested.isBlank(), "the build passes kafka.version");
        assertEquals(tested, image.group(1), "docker-compose.yml's Kafka is the tested one");
        assertTrue(compose.contains("./streams-app/target/streams-app.jar:/app/streams-app.jar"), compose);

        String readme = Files.readString(ROOT.resolve("README.md"));
        int up = readme.indexOf("docker compose up");
        assertTrue(up > 0, "README tells how to run it");
        String before = readme.substring(Math.max(0, up - 400), up);
        assertTrue(before.contains("mvn -q -DskipTests package"), "README says to build the jar first:\n" + before);
    }
}
