package io.tokiowakes.graph;

import io.tokiowakes.model.WakeKind;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokiowakes.model.AnomalyType;
import io.tokiowakes.emit.DelayStats;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A source's wake graph: one node per task name (see {@link TaskLabel}), one arrow per (waker,
 * wakee, kind) with the wakes of every window kept, their delays to the wakee's next polls and
 * the resources the wakee waited on. Tasks that closed within the retention are
 * still nodes, with their anomalies.
 */
public final class GraphBuilder {

    public record Graph(String source, Long fromMs, Long toMs, List<Node> nodes, List<Edge> edges) {
    }

    /**
     * @param pseudo not a task: the outside world, the runtime, or a span that was no live task
     */
    public record Node(String id, int live, int closed, Set<AnomalyType> anomalies, boolean anomalous,
                       boolean pseudo) {
    }

    /**
     * One arrow: its wakes over the windows kept, the delays from them to the wakee's next polls
     * (null while none is known) and the resources the wakee waited on, most wakes first.
     */
    public record Edge(String from, String to, WakeKind kind, long count,
                       @JsonInclude(JsonInclude.Include.NON_NULL) DelayStats delays,
                       List<GraphCell.ResourceCount> waitsOn) {
    }

    private GraphBuilder() {
    }

    public static Graph build(String source, List<KeyValue<WindowKeys.Cell, GraphCell>> cells, long windowMs,
                              List<TaskViews.TaskItem> tasks) {
        Map<String, NodeCount> nodes = new TreeMap<>();
        for (TaskViews.TaskItem t : tasks) {
            NodeCount n = nodes.computeIfAbsent(t.label(), k -> new NodeCount());
            if (TaskViews.CLOSED.equals(t.state()) || TaskViews.UNKNOWN.equals(t.state())) {
                n.closed++;
            } else {
                n.live++;
            }
            n.anomalies.addAll(t.anomalies());
        }
        Map<String, GraphCell> arrows = new TreeMap<>();
        Long from = null;
        Long to = null;
        for (KeyValue<WindowKeys.Cell, GraphCell> kv : cells) {
            WindowKeys.Cell c = kv.key;
            arrows.computeIfAbsent(c.waker() + '\u0001' + c.wakee() + '\u0001' + c.kind().name(), k -> new GraphCell())
                    .merge(kv.value);
            from = from == null ? c.windowStartMs() : Math.min(from, c.windowStartMs());
            to = to == null ? c.windowStartMs() + windowMs : Math.max(to, c.windowStartMs() + windowMs);
            nodes.computeIfAbsent(c.waker(), k -> new NodeCount());
            nodes.computeIfAbsent(c.wakee(), k -> new NodeCount());
        }
        List<Edge> edges = new ArrayList<>();
        arrows.forEach((k, cell) -> {
            String[] p = k.split("\u0001", -1);
            edges.add(new Edge(p[0], p[1], WakeKind.valueOf(p[2]), cell.wakes, cell.delayStats(), cell.resources()));
        });
        List<Node> out = new ArrayList<>();
        nodes.forEach((id, n) -> out.add(new Node(id, n.live, n.closed, n.anomalies, !n.anomalies.isEmpty(),
                id.equals(TaskLabel.EXTERNAL) || id.equals(TaskLabel.RUNTIME) || id.equals(TaskLabel.UNKNOWN))));
        return new Graph(source, from, to, out, edges);
    }

    private static final class NodeCount {
        int live;
        int closed;
        final Set<AnomalyType> anomalies = EnumSet.noneOf(AnomalyType.class);
    }
}
