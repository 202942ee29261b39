package io.tokiowakes.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where Apache Kafka's broker jars are: the folder {@link LocalKafka} puts on the broker JVM's
 * classpath. This module's jar carries them as resources ({@code kafka-broker/lib/*.jar}, with
 * {@code kafka-broker/log4j2.properties}), and so does the tools jar, which holds it; a JVM cannot
 * load a jar inside a jar, so they are copied once into a cache folder named after their
 * content, and reused by every later start, from whatever directory.
 */
public final class BrokerJars {

    /** A folder of broker jars to use instead of the carried ones (system property). */
    public static final String LIB_DIR_PROPERTY = "tokio.wakes.kafka.lib";
    /** The same as an environment variable. */
    public static final String LIB_DIR_ENV = "TOKIO_WAKES_KAFKA_LIB";
    /** The broker's logging setup, beside the {@code lib} folder. */
    static final String LOG4J_CONFIG = "log4j2.properties";

    private static final String RESOURCE_DIR = "kafka-broker/";
    private static final String LIB = "lib";

    private BrokerJars() {
    }

    /**
     * The broker jars: system property {@value #LIB_DIR_PROPERTY} or environment variable
     * {@value #LIB_DIR_ENV} when set, else the jars this program carries (copied into the cache
     * folder, see {@link #cacheRoot()}, the first time).
     *
     * @return a folder holding {@code kafka_2.13-*.jar} and the jars it needs
     * @throws IllegalStateException when the configured folder holds no broker jar, or none is carried
     * @throws UncheckedIOException  when the carried jars cannot be copied out
     */
    public static Path libDir() {
        String configured = System.getProperty(LIB_DIR_PROPERTY);
        String source = "system property " + LIB_DIR_PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(LIB_DIR_ENV);
            source = "environment variable " + LIB_DIR_ENV;
        }
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            requireBrokerJars(dir, source + "=" + configured);
            return dir;
        }
        URL marker = BrokerJars.class.getClassLoader().getResource(RESOURCE_DIR + LOG4J_CONFIG);
        if (marker == null) {
            throw new IllegalStateException("this build carries no Kafka broker jars (no " + RESOURCE_DIR
                    + " on the classpath); build the project with `mvn -DskipTests package`, or set "
                    + LIB_DIR_ENV + " to a folder holding kafka_2.13-*.jar");
        }
        try {
            if ("file".equals(marker.getProtocol())) {
                // Running from the build's class folders: the jars are files already.
                Path lib = Path.of(marker.toURI()).resolveSibling(LIB);
                requireBrokerJars(lib, "the build's " + lib);
                return lib;
            }
            return extracted(((JarURLConnection) marker.openConnection()).getJarFileURL());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the Kafka broker jars out of " + marker + ": " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The folder under which carried broker jars are copied: {@code $XDG_CACHE_HOME/tokio-wakes},
     * else {@code ~/.cache/tokio-wakes}.
     */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tokio-wakes");
    }

    /** The {@code lib} folder of the carried jars in the cache, copied there unless it is already. */
    private static Path extracted(URL jarUrl) throws IOException, URISyntaxException {
        Path jar = Path.of(jarUrl.toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = file.stream()
                    .filter(e -> !e.isDirectory() && e.getName().startsWith(RESOURCE_DIR))
                    .sorted(Comparator.comparing(JarEntry::getName))
                    .toList();
            Path root = cacheRoot();
            Path target = root.resolve(folderName(entries));
            Path lib = target.resolve(LIB);
            // A folder under its final name is complete: it is only ever created by a rename.
            if (hasBrokerJars(lib)) {
                return lib;
            }
            Files.createDirectories(root);
            Path partial = Files.createTempDirectory(root, ".partial-");
            try {
                for (JarEntry e : entries) {
                    Path out = partial.resolve(e.getName().substring(RESOURCE_DIR.length())).normalize();
                    if (!out.startsWith(partial)) {
                        throw new IOException("unexpected entry " + e.getName());
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                    // Another start copied them at the same moment; its copy is as good.
                } catch (IOException e) {
                    if (!hasBrokerJars(lib)) {
                        throw e;
                    }
                }
            } finally {
                deleteTree(partial);
            }
            requireBrokerJars(lib, "the copy of the carried jars in " + target);
            return lib;
        }
    }

    /** {@code kafka-<version>-<digest of the entries' names, sizes and CRCs>}: new content, new folder. */
    private static String folderName(List<JarEntry> entries) {
        String version = "unknown";
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (JarEntry e : entries) {
            String name = e.getName();
            String base = name.substring(name.lastIndexOf('/') + 1);
            if (base.startsWith("kafka_2.13-") && base.endsWith(".jar")) {
                version = base.substring("kafka_2.13-".length(), base.length() - ".jar".length());
            }
            digest.update((name + '\0' + e.getSize() + '\0' + e.getCrc() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return "kafka-" + version + "-" + HexFormat.of().formatHex(digest.digest(), 0, 6);
    }

    static void requireBrokerJars(Path dir, String what) {
        if (!hasBrokerJars(dir)) {
            throw new IllegalStateException(what + " holds no kafka_2.13-*.jar");
        }
    }

    static boolean hasBrokerJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "kafka_2.13-*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.forEach(paths::add);
        }
        paths.sort(Comparator.reverseOrder());
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
