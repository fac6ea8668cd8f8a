// The state machine definition drawn as an SVG graph, server-side from the ASL: states as boxes,
// Next / Choices / Default / Catch as edges, a layered layout (longest path from StartAt, loops
// drawn as back edges on the side). A run's visited states and taken edges are highlighted and
// its current state is marked live. Two sizes: the full graph with names (run page) and a
// miniature of dots (run list), both from the same layout.
import type { AslDefinition } from "../../workflow";
import { html, type Markup } from "./html";

export interface GraphEdge {
  from: string;
  to: string;
  kind: "next" | "choice" | "default" | "catch";
  back: boolean;
}

export interface GraphLayout {
  nodes: Array<{ name: string; type: string; layer: number; slot: number }>;
  edges: GraphEdge[];
  layers: number;
  widest: number;
}

interface AnyState {
  Type: string;
  Next?: string;
  Choices?: Array<{ Next: string }>;
  Default?: string;
  Catch?: Array<{ Next: string }>;
}

function outgoing(name: string, state: AnyState): Omit<GraphEdge, "back">[] {
  const edges: Omit<GraphEdge, "back">[] = [];
  if (state.Next) edges.push({ from: name, to: state.Next, kind: "next" });
  for (const choice of state.Choices ?? [])
    edges.push({ from: name, to: choice.Next, kind: "choice" });
  if (state.Default) edges.push({ from: name, to: state.Default, kind: "default" });
  for (const rule of state.Catch ?? []) edges.push({ from: name, to: rule.Next, kind: "catch" });
  // Two Choices rules to the same state are one arrow.
  return edges.filter(
    (edge, i) => edges.findIndex((e) => e.to === edge.to && e.from === edge.from) === i,
  );
}

/**
 * `mainPath`: states to keep in the first column where they can (the issue's success path): a
 * Choice's child on it goes straight down even when another branch is longer.
 */
export function layoutDefinition(
  definition: AslDefinition,
  mainPath: readonly string[] = [],
): GraphLayout {
  const onMainPath = new Set(mainPath);
  const states = definition.States as unknown as Record<string, AnyState>;
  const names = Object.keys(states);
  const edges: GraphEdge[] = [];
  const order: string[] = [];
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !states[name]) return;
    seen.add(name);
    onStack.add(name);
    order.push(name);
    for (const edge of outgoing(name, states[name])) {
      edges.push({ ...edge, back: onStack.has(edge.to) });
      visit(edge.to);
    }
    onStack.delete(name);
  };
  visit(definition.StartAt);
  // States no path reaches still get drawn (and their edges).
  for (const name of names) visit(name);

  // Longest path over the forward edges (a DAG once back edges are set aside), in DFS order.
  const layer = new Map<string, number>(names.map((n) => [n, 0]));
  const forward = edges.filter((e) => !e.back);
  for (let changed = true, rounds = 0; changed && rounds <= names.length; rounds += 1) {
    changed = false;
    for (const edge of forward) {
      const next = (layer.get(edge.from) ?? 0) + 1;
      if (next > (layer.get(edge.to) ?? 0)) {
        layer.set(edge.to, next);
        changed = true;
      }
    }
  }
  const layers = Math.max(...layer.values()) + 1;

  // Slots: each state takes its parent's column when free, so the longest branch of every Choice
  // (by forward, non-Catch edges) runs straight down and the shorter ones step aside.
  const main = forward.filter((e) => e.kind !== "catch");
  const height = new Map<string, number>();
  const heightOf = (name: string): number => {
    const known = height.get(name);
    if (known !== undefined) return known;
    height.set(name, 0);
    const below = main.filter((e) => e.from === name).map((e) => 1 + heightOf(e.to));
    const value = Math.max(0, ...below);
    height.set(name, value);
    return value;
  };
  const slot = new Map<string, number>();
  const taken = new Map<number, Set<number>>();
  const place = (name: string, desired: number) => {
    if (slot.has(name)) return;
    const used = taken.get(layer.get(name)!) ?? new Set<number>();
    taken.set(layer.get(name)!, used);
    let chosen = desired;
    for (let step = 1; used.has(chosen); step += 1) {
      chosen = desired + (step % 2 === 1 ? (step + 1) / 2 : -step / 2);
    }
    used.add(chosen);
    slot.set(name, chosen);
    const children = forward
      .filter((e) => e.from === name)
      .sort(
        (a, b) =>
          Number(a.kind === "catch") - Number(b.kind === "catch") ||
          Number(onMainPath.has(b.to)) - Number(onMainPath.has(a.to)) ||
          heightOf(b.to) - heightOf(a.to),
      );
    for (const edge of children) place(edge.to, chosen);
  };
  place(definition.StartAt, 0);
  for (const name of order) place(name, 0);
  const lowest = Math.min(...slot.values());
  for (const [name, value] of slot) slot.set(name, value - lowest);
  const widest = Math.max(...slot.values()) + 1;
  return {
    nodes: names.map((name) => ({
      name,
      type: states[name].Type,
      layer: layer.get(name)!,
      slot: slot.get(name)!,
    })),
    edges,
    layers,
    widest,
  };
}

export interface PathHighlight {
  /** State names in the order the run entered them. */
  visited: string[];
  /** The state the run is in now (unset when it ended). */
  current?: string;
  /** A state where the run failed (its last state, for a FAILED run). */
  failedAt?: string;
}

function takenEdges(visited: string[]): Set<string> {
  const taken = new Set<string>();
  for (let i = 1; i < visited.length; i += 1) taken.add(`${visited[i - 1]}->${visited[i]}`);
  return taken;
}

function nodeClass(name: string, path: PathHighlight, visits: Map<string, number>): string {
  return [
    "state",
    visits.has(name) ? "visited" : "",
    path.current === name ? "current" : "",
    path.failedAt === name ? "failed" : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function edgeClass(edge: GraphEdge, taken: Set<string>): string {
  return [
    "edge",
    edge.kind,
    edge.back ? "back" : "",
    taken.has(`${edge.from}->${edge.to}`) ? "taken" : "",
  ]
    .filter(Boolean)
    .join(" ");
}

const BOX = { width: 176, height: 30, column: 192, row: 52, margin: 16 };

/** The full graph: named boxes top to bottom, loops on the right. */
export function renderStateGraph(layout: GraphLayout, path: PathHighlight): Markup {
  const visits = new Map<string, number>();
  for (const name of path.visited) visits.set(name, (visits.get(name) ?? 0) + 1);
  const taken = takenEdges(path.visited);
  const width = layout.widest * BOX.column + 2 * BOX.margin + 24;
  const height = layout.layers * BOX.row + 2 * BOX.margin;
  const at = new Map(
    layout.nodes.map((n) => [
      n.name,
      {
        x: BOX.margin + n.slot * BOX.column,
        y: BOX.margin + n.layer * BOX.row,
      },
    ]),
  );
  const backs = layout.edges.filter((e) => e.back);
  const rail = BOX.margin + layout.widest * BOX.column + 8;
  const edges = layout.edges.map((edge) => {
    const a = at.get(edge.from);
    const b = at.get(edge.to);
    if (!a || !b) return html``;
    let d: string;
    if (edge.kind === "catch") {
      // Error paths share a bus on the right: down the gap below the box, along the gap to the
      // rail, down the rail, into the target's right side. They cross edges, never boxes.
      const gap = (BOX.row - BOX.height) / 2;
      const [x1, y1] = [a.x + BOX.width - 12, a.y + BOX.height];
      const [x2, y2] = [b.x + BOX.width, b.y + BOX.height / 2];
      d = `M${x1},${y1} V${y1 + gap} H${rail} V${y2} H${x2 + 2}`;
    } else if (edge.back) {
      const bend = BOX.width + 24 + 14 * backs.indexOf(edge);
      const [x1, y1] = [a.x + BOX.width, a.y + BOX.height / 2];
      const [x2, y2] = [b.x + BOX.width, b.y + BOX.height / 2];
      d = `M${x1},${y1} C${a.x + bend},${y1} ${b.x + bend},${y2} ${x2},${y2}`;
    } else {
      const [x1, y1] = [a.x + BOX.width / 2, a.y + BOX.height];
      const [x2, y2] = [b.x + BOX.width / 2, b.y];
      const mid = (y1 + y2) / 2;
      d = `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
    }
    return html`<path class="${edgeClass(edge, taken)}" d="${d}" marker-end="url(#arrow)"
      ><title>${edge.from} -> ${edge.to} (${edge.kind})</title></path
    >`;
  });
  const nodes = layout.nodes.map((node) => {
    const { x, y } = at.get(node.name)!;
    const count = visits.get(node.name) ?? 0;
    return html`<g
      class="${nodeClass(node.name, path, visits)} type-${node.type.toLowerCase()}"
      data-state="${node.name}"
      ><title>${node.name} (${node.type})${count ? `, entered ${count}x` : ""}</title
      ><rect
        x="${x}"
        y="${y}"
        width="${BOX.width}"
        height="${BOX.height}"
        rx="${node.type === "Choice" ? 14 : 5}"
      ></rect
      ><text x="${x + BOX.width / 2}" y="${y + BOX.height / 2 + 4}" text-anchor="middle"
        >${node.name}${count > 1 ? ` x${count}` : ""}</text
      ></g
    >`;
  });
  return html`<svg
    class="state-graph"
    role="img"
    aria-label="state machine: visited states highlighted"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <defs>
      <marker
        id="arrow"
        viewBox="0 0 10 10"
        refX="9"
        refY="5"
        markerUnits="userSpaceOnUse"
        markerWidth="9"
        markerHeight="9"
        orient="auto-start-reverse"
      >
        <path d="M0,0 L10,5 L0,10 z"></path>
      </marker>
    </defs>
    <g class="edges">${edges}</g>
    <g class="nodes">${nodes}</g>
  </svg>`;
}

const DOT = { column: 22, row: 12, margin: 7, radius: 4 };

/** The miniature: one dot per state, layers left to right; names in tooltips. */
export function renderMiniGraph(layout: GraphLayout, path: PathHighlight): Markup {
  const visits = new Map<string, number>();
  for (const name of path.visited) visits.set(name, (visits.get(name) ?? 0) + 1);
  const taken = takenEdges(path.visited);
  const width = (layout.layers - 1) * DOT.column + 2 * DOT.margin;
  const height = (layout.widest - 1) * DOT.row + 2 * DOT.margin;
  const at = new Map(
    layout.nodes.map((n) => [
      n.name,
      { x: DOT.margin + n.layer * DOT.column, y: DOT.margin + n.slot * DOT.row },
    ]),
  );
  // Error paths appear in the miniature only when the run took one.
  const shown = layout.edges.filter((e) => e.kind !== "catch" || taken.has(`${e.from}->${e.to}`));
  const edges = shown.map((edge) => {
    const a = at.get(edge.from)!;
    const b = at.get(edge.to)!;
    const d = edge.back
      ? `M${a.x},${a.y} C${a.x},${a.y - 14} ${b.x},${b.y - 14} ${b.x},${b.y}`
      : `M${a.x},${a.y} L${b.x},${b.y}`;
    return html`<path class="${edgeClass(edge, taken)}" d="${d}"></path>`;
  });
  const nodes = layout.nodes.map((node) => {
    const { x, y } = at.get(node.name)!;
    return html`<circle
      class="${nodeClass(node.name, path, visits)}"
      data-state="${node.name}"
      cx="${x}"
      cy="${y}"
      r="${DOT.radius}"
      ><title>${node.name}</title></circle
    >`;
  });
  return html`<svg
    class="mini-graph"
    role="img"
    aria-label="path through the state machine"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    xmlns="http://www.w3.org/2000/svg"
  >
    ${edges}${nodes}
  </svg>`;
}
