package io.tokiowakes.observe;

import io.tokiowakes.graph.GraphBuilder;
import io.tokiowakes.graph.GraphSettings;
import io.tokiowakes.graph.TaskViews;
import io.tokiowakes.model.TaskState;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The REST API over the job's state: a source's live and recently closed tasks, one task with its
 * latest wakes, and the wake graph. A request for a source another instance holds is forwarded
 * there once.
 */
public final class Api {

    /** Where sources are; {@link OwnerLookup} on a job. */
    public interface Owners {
        OwnerLookup.Owner of(String source);

        Set<HostInfo> others();
    }

    private final Owners owners;
    private final IntFunction<StoreAccess> storesOfPartition;
    private final StoreAccess allLocalStores;
    private final Forwarder forwarder;
    private final GraphSettings graph;

    public Api(Owners owners, IntFunction<StoreAccess> storesOfPartition, StoreAccess allLocalStores,
               Forwarder forwarder, GraphSettings graph) {
        this.owners = owners;
        this.storesOfPartition = storesOfPartition;
        this.allLocalStores = allLocalStores;
        this.forwarder = forwarder;
        this.graph = graph;
    }

    /**
     * @param pathAndQuery the raw request path and query, to forward as it came
     * @param forwarded    the request came from another instance: answer from local stores
     */
    public Reply get(String rawPath, String pathAndQuery, boolean forwarded) {
        ApiPath path = ApiPath.parse(rawPath);
        if (path == null) {
            return Reply.error(404, "no such resource: " + rawPath);
        }
        try {
            if (path.route() == ApiPath.Route.SOURCES) {
                return sources(forwarded);
            }
            OwnerLookup.Owner owner = owners.of(path.source());
            if (owner instanceof OwnerLookup.Unavailable u) {
                return Reply.error(503, u.why());
            }
            if (owner instanceof OwnerLookup.Remote r && !forwarded) {
                return forwarder.get(r.host(), pathAndQuery);
            }
            StoreAccess stores = owner instanceof OwnerLookup.Local l ? storesOfPartition.apply(l.partition()) : allLocalStores;
            return answer(path, new SourceReader(stores));
        } catch (InvalidStateStoreException e) {
            return Reply.error(503, "state not queryable now (rebalancing?): " + e.getMessage());
        }
    }

    private Reply answer(ApiPath path, SourceReader reader) {
        String source = path.source();
        if (!reader.knows(source)) {
            return Reply.error(404, "unknown source: " + source);
        }
        return switch (path.route()) {
            case TASKS -> Reply.ok(Map.of("source", source,
                    "tasks", TaskViews.list(reader.liveTasks(source), reader.views(source), reader.workerClosures(source))));
            case TASK -> task(reader, source, path.task());
            case GRAPH -> Reply.ok(GraphBuilder.build(source, reader.windows(source), graph.windowMs(),
                    TaskViews.list(reader.liveTasks(source), reader.views(source), reader.workerClosures(source))));
            case SOURCES -> throw new IllegalStateException("answered above");
        };
    }

    private Reply task(SourceReader reader, String source, String spanText) {
        Long spanId = SourceReader.spanId(spanText);
        if (spanId == null) {
            // A malformed request, not a task that is gone.
            return Reply.error(400, "not a span ID (an unsigned decimal number): " + spanText);
        }
        TaskState live = reader.liveTask(source, spanId);
        TaskViews.TaskDetail d = TaskViews.detail(spanId, live, reader.view(source, spanId), reader.workerClosures(source),
                id -> reader.liveResource(source, id));
        if (d == null) {
            return Reply.error(404, "unknown task " + spanText + " of source " + source
                    + " (not live, and not closed within the retention)");
        }
        return Reply.ok(d);
    }

    /** Sources of every instance: this one's, and each other's when not asked by one of them. */
    private Reply sources(boolean forwarded) {
        Set<String> all = new TreeSet<>(new SourceReader(allLocalStores).sources());
        if (!forwarded) {
            for (HostInfo other : owners.others()) {
                Reply r = forwarder.get(other, "/api/sources");
                if (r.status() == 200) {
                    all.addAll(SourceList.read(r.body()));
                }
            }
        }
        return Reply.ok(new SourceList(List.copyOf(all)));
    }
}
