package io.tokiowakes.observe;

import io.tokiowakes.topology.WakeGraph;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which instance holds a source. The wake stage's input is keyed by source, so the owner of the
 * source key in the live-tasks store holds every store of that source.
 */
public final class OwnerLookup implements Api.Owners {

    private static final Serializer<String> KEYS = Serdes.String().serializer();

    /** Where a source's state is: here (in a partition), on another instance, or nowhere yet. */
    public sealed interface Owner permits Local, Remote, Unavailable {
    }

    public record Local(int partition) implements Owner {
    }

    public record Remote(HostInfo host) implements Owner {
    }

    public record Unavailable(String why) implements Owner {
    }

    private final KafkaStreams streams;
    private final HostInfo self;

    /** @param self this instance's {@code application.server}, null when not set (one instance) */
    public OwnerLookup(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public Owner of(String source) {
        KeyQueryMetadata m;
        try {
            m = streams.queryMetadataForKey(WakeGraph.LIVE_TASKS, source, KEYS);
        } catch (IllegalStateException e) {
            return new Unavailable("the job is not running (" + streams.state() + ")");
        }
        if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Unavailable("the job is rebalancing (" + streams.state() + ")");
        }
        if (self == null || m.activeHost().equals(self) || m.activeHost().port() < 0) {
            return new Local(m.partition());
        }
        return new Remote(m.activeHost());
    }

    /** The other instances of the job. */
    @Override
    public Set<HostInfo> others() {
        Set<HostInfo> out = new LinkedHashSet<>();
        if (self == null) {
            return out;
        }
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(self) && m.hostInfo().port() >= 0) {
                out.add(m.hostInfo());
            }
        }
        return out;
    }

    /** {@code host:port} of {@code application.server}; null when blank. */
    public static HostInfo parse(Object applicationServer) {
        if (applicationServer == null || applicationServer.toString().isBlank()) {
            return null;
        }
        return HostInfo.buildFromEndpoint(applicationServer.toString().trim());
    }
}
