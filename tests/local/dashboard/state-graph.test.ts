// The state machine picture is drawn from the real definition: every state once, every
// Next/Choices/Default/Catch transition as an edge, loops as back edges, the path highlighted.
import { escapeHtml, html } from "../../../local/dashboard/html";
import {
  layoutDefinition,
  renderMiniGraph,
  renderStateGraph,
} from "../../../local/dashboard/state-graph";
import { LOCAL_RUN_TABLE_NAME } from "../../../local/factory/local-run-table";
import {
  LOCAL_FUNCTION_ARNS,
  LOCAL_STATE_MACHINE_ARN,
} from "../../../local/factory/task-functions";
import { ISSUE_MAIN_PATH, buildStateMachineDefinition } from "../../../workflow";

const definition = buildStateMachineDefinition({
  functionArns: LOCAL_FUNCTION_ARNS,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 1800,
  ciWaitMode: "events",
  runLock: { tableName: LOCAL_RUN_TABLE_NAME, stateMachineArn: LOCAL_STATE_MACHINE_ARN },
});
// As the dashboard lays it out: the issue's success path is the main column.
const layout = layoutDefinition(definition, ISSUE_MAIN_PATH);

function transitions(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    const s = state as {
      Next?: string;
      Default?: string;
      Choices?: Array<{ Next: string }>;
      Catch?: Array<{ Next: string }>;
    };
    for (const to of [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next)]) {
      if (to) pairs.push([name, to]);
    }
    for (const rule of s.Catch ?? []) pairs.push([name, rule.Next]);
  }
  return pairs;
}

test("every state of the definition is drawn once, every transition is an edge", () => {
  expect(layout.nodes.map((n) => n.name).sort()).toEqual(Object.keys(definition.States).sort());
  const edges = new Set(layout.edges.map((e) => `${e.from}->${e.to}`));
  for (const [from, to] of transitions()) expect(edges).toContain(`${from}->${to}`);
  expect(layout.edges.length).toBe(edges.size);
});

test("layers follow the transitions; the CI poll and the lock retry are the back edges", () => {
  const layer = new Map(layout.nodes.map((n) => [n.name, n.layer]));
  expect(layer.get(definition.StartAt)).toBe(0);
  for (const edge of layout.edges) {
    if (edge.back) expect(layer.get(edge.to)!).toBeLessThanOrEqual(layer.get(edge.from)!);
    else expect(layer.get(edge.to)!).toBeGreaterThan(layer.get(edge.from)!);
  }
  expect(layout.edges.filter((e) => e.back).map((e) => `${e.from}->${e.to}`)).toEqual([
    "CountCIPoll->WaitForCI",
    "CoalesceDelivery->AcquireIssueLock",
  ]);
  // The main path runs straight down one column.
  const slot = new Map(layout.nodes.map((n) => [n.name, n.slot]));
  const spine = ["AnalyzeIssue", "GeneratePatch", "CreatePullRequest", "WaitForCI", "AutoMerge"];
  expect(new Set(spine.map((name) => slot.get(name))).size).toBe(1);
  // No two states share a place.
  const places = layout.nodes.map((n) => `${n.layer}:${n.slot}`);
  expect(new Set(places).size).toBe(places.length);
});

test("the run's visited states and taken edges are highlighted, the current one marked live", () => {
  const visited = ["AnalyzeIssue", "CheckIfActionable", "GeneratePatch"];
  const svg = renderStateGraph(layout, { visited, current: "GeneratePatch" }).markup;
  const stateClass = (markup: string, name: string) =>
    new RegExp(`class="([^"]*)"\\s+data-state="${name}"`).exec(markup)?.[1];
  const edgeClass = (from: string, to: string) =>
    new RegExp(`class="([^"]*)"[^>]*>\\s*<title>${from} -> ${to} `).exec(svg)?.[1];
  expect(stateClass(svg, "AnalyzeIssue")).toBe("state visited type-task");
  expect(stateClass(svg, "GeneratePatch")).toBe("state visited current type-task");
  expect(stateClass(svg, "CreatePullRequest")).toBe("state type-task");
  expect(edgeClass("AnalyzeIssue", "CheckIfActionable")).toBe("edge next taken");
  expect(edgeClass("GeneratePatch", "ValidatePatch")).toBe("edge next");
  expect(edgeClass("CountCIPoll", "WaitForCI")).toBe("edge next back");
  const mini = renderMiniGraph(layout, { visited, current: "GeneratePatch" }).markup;
  expect(mini.match(/class="state visited/g)).toHaveLength(3);
  expect(stateClass(mini, "GeneratePatch")).toBe("state visited current");
});

test("interpolated text is escaped; markup built by the templates is not", () => {
  expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe(
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;",
  );
  const title = '<img src=x onerror="alert(1)">';
  expect(html`<h1 title="${title}">${title}${html`<b>ok</b>`}</h1>`.markup).toBe(
    '<h1 title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">' +
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<b>ok</b></h1>",
  );
});
