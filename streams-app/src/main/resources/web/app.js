// The wake graph of one source, redrawn from the job's REST API every 2 seconds.
"use strict";

const KINDS = ["SELF", "TASK", "BLOCKING", "RUNTIME", "EXTERNAL"];
const SVG = "http://www.w3.org/2000/svg";
const REFRESH_MS = 2000;
const params = new URLSearchParams(location.search);
let source = params.get("source");

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function html(name, attrs, text) {
  const e = document.createElement(name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function status(text, error) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = error ? "status error" : "status";
}

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function api(what) {
  return "/api/sources/" + encodeURIComponent(source) + "/" + what;
}

function setup() {
  const defs = document.getElementById("markers");
  const legend = document.getElementById("legend");
  for (const k of KINDS) {
    const m = el("marker", { id: "arrow-" + k, viewBox: "0 0 10 10", refX: "10", refY: "5",
      markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse", class: "kind-" + k });
    m.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "currentColor" }));
    defs.appendChild(m);
    const li = html("li");
    li.appendChild(html("span", { class: "swatch kind-" + k, style: "background: currentColor" }));
    li.appendChild(document.createTextNode(k));
    legend.appendChild(li);
  }
  document.getElementById("source").addEventListener("change", (e) => {
    source = e.target.value;
    history.replaceState(null, "", "?source=" + encodeURIComponent(source));
    refresh();
  });
}

async function loadSources() {
  const { sources } = await getJson("/api/sources");
  const select = document.getElementById("source");
  const known = new Set(sources);
  if (source && !known.has(source)) sources.push(source);
  select.replaceChildren(...sources.map((s) => html("option", { value: s }, s)));
  if (!source && sources.length > 0) source = sources[0];
  if (source) select.value = source;
}

// Nodes on a circle, in name order: stable between refreshes.
function layout(nodes) {
  const cx = 450, cy = 320, r = Math.min(260, 60 + nodes.length * 18);
  const pos = new Map();
  nodes.forEach((n, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, nodes.length) - Math.PI / 2;
    pos.set(n.id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
  });
  return pos;
}

const NODE_R = 26;

// A duration of trace time, as people read it.
function fmtNanos(n) {
  if (n < 1000) return n + " ns";
  if (n < 1e6) return (n / 1e3).toFixed(1) + " µs";
  if (n < 1e9) return (n / 1e6).toFixed(1) + " ms";
  return (n / 1e9).toFixed(2) + " s";
}

// What the hover says of an arrow: its wakes, the delays from them to the wakee's next poll, and
// the resources the wakee waited on.
function edgeTip(e) {
  let tip = `${e.from} → ${e.to}: ${e.count} ${e.kind}`;
  if (e.delays) {
    tip += `\nwake to poll: p50 ${fmtNanos(e.delays.p50_nanos)}, p99 ${fmtNanos(e.delays.p99_nanos)}, `
      + `max ${fmtNanos(e.delays.max_nanos)} (${e.delays.count} polls)`;
  }
  for (const r of e.waits_on || []) tip += `\nwaiting on ${r.resource} (${r.wakes} of the wakes)`;
  return tip;
}

// An arrow's path, and where its count goes: the middle of the curve (above a self-loop).
function edgeShape(a, b, bend) {
  if (a === b) {
    const x = a.x, y = a.y - NODE_R;
    return { d: `M ${x - 10} ${y} C ${x - 40} ${y - 55}, ${x + 40} ${y - 55}, ${x + 10} ${y}`, lx: x, ly: y - 45 };
  }
  const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
  const sx = a.x + (dx / d) * NODE_R, sy = a.y + (dy / d) * NODE_R;
  const ex = b.x - (dx / d) * (NODE_R + 2), ey = b.y - (dy / d) * (NODE_R + 2);
  const mx = (sx + ex) / 2 - (dy / d) * bend, my = (sy + ey) / 2 + (dx / d) * bend;
  return { d: `M ${sx} ${sy} Q ${mx} ${my} ${ex} ${ey}`,
    lx: 0.25 * sx + 0.5 * mx + 0.25 * ex, ly: 0.25 * sy + 0.5 * my + 0.25 * ey };
}

function drawGraph(g) {
  const pos = layout(g.nodes);
  const edges = document.getElementById("edges");
  const nodes = document.getElementById("nodes");
  edges.replaceChildren();
  nodes.replaceChildren();
  const seen = new Map();
  for (const e of g.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    // Arrows between the same two nodes (both ways, several kinds) fan out.
    const pair = [e.from, e.to].sort().join("\u0001");
    const n = seen.get(pair) || 0;
    seen.set(pair, n + 1);
    const bend = 18 + 22 * n;
    const shape = edgeShape(a, b, e.from < e.to ? bend : -bend);
    const attrs = { "data-from": e.from, "data-to": e.to, "data-kind": e.kind };
    const delays = e.delays ? { "data-p50-nanos": e.delays.p50_nanos, "data-p99-nanos": e.delays.p99_nanos,
      "data-max-nanos": e.delays.max_nanos } : {};
    const tip = edgeTip(e);
    const p = el("path", { d: shape.d, class: "edge kind-" + e.kind, "marker-end": `url(#arrow-${e.kind})`,
      ...attrs, ...delays });
    p.appendChild(el("title", {}, tip));
    edges.appendChild(p);
    // The number of wakes on the arrow itself, not only on hover.
    edges.appendChild(el("text", { x: shape.lx, y: shape.ly + 4, class: "edge-count kind-" + e.kind, ...attrs },
      String(e.count)));
    // What the wakee waited on, under the count: -[timer Sleep src/main.rs:12:5]->
    const waits = e.waits_on || [];
    if (waits.length > 0) {
      const more = waits.length > 1 ? ` +${waits.length - 1}` : "";
      const label = el("text", { x: shape.lx, y: shape.ly + 17, class: "edge-resource", ...attrs },
        `[${waits[0].resource}]${more}`);
      label.appendChild(el("title", {}, tip));
      edges.appendChild(label);
    }
  }
  for (const n of g.nodes) {
    const p = pos.get(n.id);
    const cls = ["node"];
    if (n.anomalous) cls.push("anomalous");
    if (n.pseudo) cls.push("pseudo");
    if (!n.pseudo && n.live === 0) cls.push("closed");
    const grp = el("g", { class: cls.join(" "), "data-task": n.id, transform: `translate(${p.x},${p.y})` });
    grp.appendChild(el("circle", { r: NODE_R }));
    grp.appendChild(el("text", { y: 4 }, n.id));
    if (n.anomalous) {
      grp.appendChild(el("text", { y: NODE_R + 14, class: "anomaly-types" }, n.anomalies.join(", ")));
    }
    const tip = `${n.id}: ${n.live} live, ${n.closed} closed` + (n.anomalous ? "; " + n.anomalies.join(", ") : "");
    grp.appendChild(el("title", {}, tip));
    nodes.appendChild(grp);
  }
  const list = document.getElementById("anomalies");
  list.replaceChildren(...g.nodes.filter((n) => n.anomalous)
    .map((n) => html("li", { class: "anomalous", "data-task": n.id }, `${n.id}: ${n.anomalies.join(", ")}`)));
}

function drawTasks(t) {
  const body = document.querySelector("#tasks tbody");
  body.replaceChildren(...t.tasks.map((task) => {
    const tr = html("tr", { class: task.anomalies.length ? "anomalous" : "" });
    tr.appendChild(html("td", { title: "span " + task.span_id }, task.label));
    tr.appendChild(html("td", {}, task.state));
    tr.appendChild(html("td", {}, task.outstanding_wakers == null ? "" : String(task.outstanding_wakers)));
    tr.appendChild(html("td", {}, task.last_wake_kind || ""));
    return tr;
  }));
}

async function refresh() {
  try {
    if (!source) await loadSources();
    if (!source) {
      status("no sources yet");
      return;
    }
    const [g, t] = await Promise.all([getJson(api("graph")), getJson(api("tasks"))]);
    drawGraph(g);
    drawTasks(t);
    document.body.dataset.loaded = "true";
    // Tasks are what the table lists (one row each); a node groups the tasks of one name.
    const live = t.tasks.filter((task) => task.state !== "closed" && task.state !== "unknown").length;
    const wakes = g.edges.reduce((sum, e) => sum + e.count, 0);
    status(`${t.tasks.length} tasks (${live} live, ${t.tasks.length - live} closed) in ${g.nodes.length} nodes · `
      + `${g.edges.length} arrows, ${wakes} wakes · ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    status(String(e.message || e), true);
  }
}

setup();
loadSources().catch((e) => status(String(e.message || e), true)).finally(() => {
  refresh();
  setInterval(refresh, REFRESH_MS);
});
