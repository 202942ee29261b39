package io.tokiowakes.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks, before a command starts its Kafka clients, that the cluster answers: Kafka's clients
 * wait for an unreachable broker for a minute or more and log a warning per retry. First a plain
 * TCP connection to a bootstrap address (nothing is logged while it is tried), then one request
 * through the admin client with the command's settings (TLS, SASL).
 */
public final class KafkaReachability {

    /** How long commands try to reach Kafka when not told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private KafkaReachability() {
    }

    /** Why Kafka could not be reached, in one line that names the addresses tried. */
    public static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /**
     * Returns once a broker of {@code bootstrap.servers} answered an admin request.
     *
     * @param client  the command's Kafka client settings ({@code bootstrap.servers} and security)
     * @param timeout how long to keep trying in all
     * @throws Unreachable when no bootstrap address accepts a connection, or the cluster does not
     *                     answer, within the timeout; or the addresses cannot be parsed
     */
    public static void check(Properties client, Duration timeout) throws Unreachable, InterruptedException {
        String servers = client.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "");
        List<InetSocketAddress> addresses = parse(servers);
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = connectAny(addresses, deadline);
        if (lastError != null) {
            throw new Unreachable("cannot reach Kafka at " + servers + " (" + lastError + ") within "
                    + seconds(timeout) + "; is the broker running and the address right?");
        }
        long remainingMs = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) remainingMs);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) remainingMs);
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tokio-wakes-check");
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) remainingMs))
                    .nodes().get(remainingMs + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new Unreachable("Kafka at " + servers + " did not answer: " + oneLine(cause));
        } catch (TimeoutException e) {
            throw new Unreachable("Kafka at " + servers + " did not answer within " + seconds(timeout));
        } catch (KafkaException | IllegalArgumentException e) {
            throw new Unreachable("cannot talk to Kafka at " + servers + ": " + oneLine(e));
        }
    }

    /** The addresses of a {@code bootstrap.servers} value ({@code host:port}, comma-separated). */
    static List<InetSocketAddress> parse(String servers) throws Unreachable {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : servers.split(",")) {
            String a = s.trim();
            if (a.isEmpty()) {
                continue;
            }
            // A listener name in front (SASL_SSL://host:port) is allowed by Kafka's clients.
            int scheme = a.indexOf("://");
            if (scheme >= 0) {
                a = a.substring(scheme + 3);
            }
            int colon = a.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(a.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new Unreachable("bootstrap server \"" + s.trim() + "\" is not HOST:PORT");
            }
            String host = a.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (out.isEmpty()) {
            throw new Unreachable("no bootstrap server given");
        }
        return out;
    }

    /** @return null once one address accepted a connection, else the last error before the deadline */
    private static String connectAny(List<InetSocketAddress> addresses, long deadline) throws InterruptedException {
        String lastError = "no attempt";
        while (true) {
            for (InetSocketAddress a : addresses) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return lastError;
                }
                InetSocketAddress resolved = new InetSocketAddress(a.getHostString(), a.getPort());
                if (resolved.isUnresolved()) {
                    lastError = "unknown host " + a.getHostString();
                    continue;
                }
                try (Socket socket = new Socket()) {
                    socket.connect(resolved, (int) Math.min(left, 2000));
                    return null;
                } catch (IOException e) {
                    lastError = e.getMessage() != null ? e.getMessage().toLowerCase(Locale.ROOT)
                            : e.getClass().getSimpleName();
                }
            }
            // A broker that is starting up accepts connections a moment later.
            Thread.sleep(Math.max(0, Math.min(250, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
