package io.tokiowakes.kafka;

import io.tokiowakes.broker.LocalKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * One real local broker for a test class, in a temporary folder: started before the class's
 * first test (and before its {@code @BeforeAll} methods), stopped and deleted after its last.
 * Every integration test that needs a broker gets it this way:
 * {@code @RegisterExtension static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();}
 *
 * <p>The broker keeps its port and data folder for the whole class, so a test can stop it and
 * start it again ({@link #stop()}, {@link #restart()}) with clients still pointed at it.
 */
public final class LocalKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> brokerConfig;
    private int port;
    private Path dir;
    private LocalKafka kafka;

    /** A broker with {@link LocalKafka}'s settings, on a free port. */
    public LocalKafkaExtension() {
        this(Map.of());
    }

    /**
     * A broker on a free port.
     *
     * @param brokerConfig server properties added to (or replacing) {@link LocalKafka}'s, e.g.
     *                     {@code ResilienceSupport.FAST_TRANSACTION_EXPIRY}
     */
    public LocalKafkaExtension(Map<String, String> brokerConfig) {
        this(brokerConfig, 0);
    }

    /**
     * A broker whose PLAINTEXT listener is on {@code port}, for settings that name the port
     * themselves (e.g. listeners added next to it, as a SASL one).
     *
     * @param brokerConfig server properties added to (or replacing) {@link LocalKafka}'s
     * @param port         the PLAINTEXT listener's port; 0 picks a free one
     */
    public LocalKafkaExtension(Map<String, String> brokerConfig, int port) {
        this.brokerConfig = Map.copyOf(brokerConfig);
        this.port = port;
    }

    /**
     * {@code count} distinct free TCP ports on 127.0.0.1, for listeners named together in one
     * broker config (see {@link LocalKafka#freePorts(int)}).
     *
     * @throws UncheckedIOException if no socket could be opened, so it can be used in static initialisers
     */
    public static int[] freePorts(int count) {
        try {
            return LocalKafka.freePorts(count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("tokio-wakes-it");
        start();
        // Kept from the first start: a restart must come back where clients expect it.
        String bootstrap = kafka.bootstrapServers();
        port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void start() throws IOException {
        kafka = LocalKafka.start(dataDir(), port, brokerConfig);
    }

    /** Stops the broker (as {@link LocalKafka#close()} does); its port and data folder are kept for {@link #restart()}. */
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /**
     * Stops the broker if it is running and starts it again on the same port and data folder,
     * with the same settings; returns once it answers admin requests.
     *
     * @throws IOException if the broker does not come back
     */
    public void restart() throws IOException {
        stop();
        start();
    }

    /** {@code host:port} of the broker's PLAINTEXT listener; the same across restarts. */
    public String bootstrapServers() {
        if (kafka == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return kafka.bootstrapServers();
    }

    /** The port of the broker's PLAINTEXT listener; the same across restarts. */
    public int port() {
        return port;
    }

    /** The folder the broker keeps its data, logs and {@code server.properties} in; deleted after the class. */
    public Path dataDir() {
        return dir.resolve("kafka");
    }
}
