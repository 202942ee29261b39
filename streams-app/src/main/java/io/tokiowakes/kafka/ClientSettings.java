package io.tokiowakes.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings from three places, later ones winning: a properties file, the
 * environment ({@code KAFKA_BOOTSTRAP_SERVERS} -> {@code bootstrap.servers},
 * {@code KAFKA_SASL_JAAS_CONFIG} -> {@code sasl.jaas.config}, ...), and command-line flags.
 * Any client setting passes through, so TLS and SASL work by configuration alone.
 */
public final class ClientSettings {

    private static final String ENV_PREFIX = "KAFKA_";

    private ClientSettings() {
    }

    public static Properties merge(Properties file, Map<String, String> env, Map<String, String> flags) {
        Properties p = new Properties();
        p.putAll(file);
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                p.setProperty(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        flags.forEach((k, v) -> {
            if (v != null) {
                p.setProperty(k, v);
            }
        });
        return p;
    }

    /** The settings as they may be printed or logged: secrets replaced. */
    public static Map<String, String> redacted(Properties p) {
        Map<String, String> out = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, isSecret(k) ? "[hidden]" : p.getProperty(k));
        }
        return out;
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.endsWith(".key")
                || k.contains("credential") || k.contains("token");
    }
}
