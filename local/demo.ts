// `npm run demo`: the sandbox, scripted. Three issues go through the whole pipeline on the real
// state machine while the progress prints live:
//   1. a maintainer's issue with a diff and the trigger label -> PR -> CI passes -> merged
//   2. a maintainer's issue whose change fails CI -> feedback comment on the PR
//   3. a stranger's issue with a change -> analysed and labelled, not acted on
// Each run's end is reported by the notifier to the sandbox's Slack and Teams receiver; the demo
// prints what each issue produced there. Then a summary table; the exit code is 0 only when every
// outcome (notifications included) is the expected one.
import type { FactorySettings } from "../contract/state";
import {
  GREETING_EXCLAMATION,
  README_TEST_HINT,
  STRANGER_USAGE_CHANGE,
  type DemoIssue,
} from "./factory/demo-issues";
import type { LocalExecution } from "./factory/local-step-functions";
import type { ReceivedMessage } from "./factory/notification-receiver";
import { createFactoryOutput } from "./factory/output";
import { DEMO_MAINTAINER, DEMO_STRANGER, startSandbox, type Sandbox } from "./factory/sandbox";
import { branchForIssue } from "../contract/conventions";

/** A 60 s CI poll takes 0.6 s; scripted CI takes 1 s, so each run shows a pending poll first. */
const TIME_SCALE = 0.01;
const CI_DELAY_MS = 1000;
const SETTINGS: FactorySettings = {
  dryRun: false,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 1800,
  ciNoChecksGraceSeconds: 300,
};

interface Scenario {
  name: string;
  issue: DemoIssue;
  user: string;
  labels: string[];
  ci: "success" | "failure";
  expectedState: string;
  /** Messages the sandbox's Slack and Teams receive about the issue (one per destination). */
  expectedMessages: number;
  /** What else must hold in the sandbox afterwards (empty = all good). */
  check(sandbox: Sandbox, issueNumber: number): string[];
}

function pullsFor(sandbox: Sandbox, issueNumber: number) {
  const { owner, repo } = sandbox.demo!;
  return sandbox.sim.listPulls(owner, repo).filter((p) => p.head === branchForIssue(issueNumber));
}

function commentBodies(sandbox: Sandbox, number: number): string[] {
  const { owner, repo } = sandbox.demo!;
  return sandbox.sim.listIssueComments(owner, repo, number).map((c) => c.body);
}

const SCENARIOS: Scenario[] = [
  {
    name: "maintainer's diff",
    issue: README_TEST_HINT,
    user: DEMO_MAINTAINER,
    labels: ["afu9"],
    ci: "success",
    expectedState: "Merged",
    expectedMessages: 2,
    check(sandbox, n) {
      const pulls = pullsFor(sandbox, n);
      if (pulls.length !== 1 || !pulls[0].merged) return ["the PR is not merged"];
      const { owner, repo } = sandbox.demo!;
      const main = sandbox.sim.getRef(owner, repo, "heads/main")!;
      const readme = sandbox.sim.readTree(owner, repo, main)["README.md"] ?? "";
      return readme.includes("npm test") ? [] : ["README.md on main lacks the change"];
    },
  },
  {
    name: "change that fails CI",
    issue: GREETING_EXCLAMATION,
    user: DEMO_MAINTAINER,
    labels: ["afu9"],
    ci: "failure",
    expectedState: "CIFailed",
    expectedMessages: 2,
    check(sandbox, n) {
      const [pull] = pullsFor(sandbox, n);
      if (!pull) return ["no PR was opened"];
      if (pull.merged) return ["the failing PR was merged"];
      const feedback = commentBodies(sandbox, pull.number).some((c) =>
        c.includes("<!-- afu9:ci-feedback -->"),
      );
      return feedback ? [] : [`no CI feedback comment on PR #${pull.number}`];
    },
  },
  {
    name: "stranger's change",
    issue: STRANGER_USAGE_CHANGE,
    user: DEMO_STRANGER,
    labels: [],
    ci: "success",
    expectedState: "NotActionable",
    expectedMessages: 0,
    check(sandbox, n) {
      const problems: string[] = [];
      if (pullsFor(sandbox, n).length > 0) problems.push("a PR was opened");
      const { owner, repo } = sandbox.demo!;
      const labels = (sandbox.sim.getIssue(owner, repo, n).labels ?? []).map((l) =>
        typeof l === "string" ? l : (l.name ?? ""),
      );
      if (!labels.some((l) => l.startsWith("type:"))) problems.push("no type label");
      return problems;
    },
  },
];

interface Row {
  scenario: Scenario;
  issue: number;
  execution?: LocalExecution;
  messages: ReceivedMessage[];
  problems: string[];
}

/** Messages about one issue of the demo repository (their payloads link the issue). */
function messagesAbout(sandbox: Sandbox, issueNumber: number): ReceivedMessage[] {
  const { owner, repo } = sandbox.demo!;
  const link = `/${owner}/${repo}/issues/${issueNumber}`;
  return sandbox.receiver.delivered().filter((m) => {
    const text = JSON.stringify(m.payload);
    return text.includes(`${link}|`) || text.includes(`${link})`) || text.includes(`${link}"`);
  });
}

/** The headline of a received message, in either format. */
function headline(message: ReceivedMessage): string {
  if (message.format === "slack") {
    const blocks = (message.payload as { blocks?: { type: string; text?: { text: string } }[] })
      .blocks;
    return blocks?.find((b) => b.type === "header")?.text?.text ?? "(no header)";
  }
  const content = (
    message.payload as { attachments?: { content?: { body?: { text?: string }[] } }[] }
  ).attachments?.[0]?.content;
  return (content?.body?.[0]?.text ?? "(no title)").replace(/\\(.)/g, "$1");
}

function table(rows: Row[]): string {
  const header = [
    "issue",
    "scenario",
    "outcome",
    "expected",
    "states",
    "transitions",
    "wall time",
    "notified",
  ];
  const body = rows.map((row) => {
    const visits = row.execution?.report?.visits ?? [];
    const last = visits[visits.length - 1]?.name ?? "(none)";
    const wall = row.execution?.report
      ? `${(row.execution.report.durationMs / 1000).toFixed(2)} s`
      : "-";
    return [
      `#${row.issue}`,
      row.scenario.name,
      last,
      row.scenario.expectedState,
      String(visits.length),
      String(Math.max(0, visits.length - 1)),
      wall,
      row.messages.map((m) => m.destination).join(", ") || "-",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

async function main(): Promise<number> {
  const json = process.argv.includes("--json");
  const output = createFactoryOutput({ mode: json ? "json" : "human" });
  const sandbox = await startSandbox({
    port: 0,
    settings: SETTINGS,
    timeScale: TIME_SCALE,
    retryDelayMs: 50,
    output,
    ciDelayMs: CI_DELAY_MS,
    githubRetryBaseMs: 50,
  });
  const rows: Row[] = [];
  try {
    output.say(
      `AFU-9 demo: sandbox factory ${sandbox.factory.url}, GitHub simulator ${sandbox.sim.url}, ` +
        `repository ${sandbox.demo!.owner}/${sandbox.demo!.repo}; a 60 s CI poll takes ` +
        `${SETTINGS.ciPollSeconds * TIME_SCALE} s; notifications to the sandbox's Slack and ` +
        `Teams at ${sandbox.receiver.url}/messages`,
    );
    for (const scenario of SCENARIOS) {
      output.say(`\n== ${scenario.name}: "${scenario.issue.title}" by ${scenario.user}`);
      // Filed through the same route the printed "file an issue" command uses.
      const response = await fetch(`${sandbox.factory.url}/sandbox/issues`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          ...scenario.issue,
          user: scenario.user,
          labels: scenario.labels,
          ci: scenario.ci,
        }),
      });
      const filed = (await response.json()) as { number: number };
      if (!response.ok) throw new Error(`filing the issue failed: ${JSON.stringify(filed)}`);
      await sandbox.settle();
      const runs = sandbox.factory
        .executions()
        .filter((e) => e.input.issue.number === filed.number);
      const problems: string[] = [];
      if (runs.length !== 1) problems.push(`${runs.length} executions instead of 1`);
      const execution = runs[runs.length - 1];
      const visits = execution?.report?.visits ?? [];
      const last = visits[visits.length - 1]?.name;
      if (last !== scenario.expectedState) {
        problems.push(`ended at ${last ?? "(nothing)"}, expected ${scenario.expectedState}`);
      }
      problems.push(...scenario.check(sandbox, filed.number));
      const messages = messagesAbout(sandbox, filed.number);
      if (messages.length !== scenario.expectedMessages) {
        problems.push(
          `${messages.length} notifications instead of ${scenario.expectedMessages} (one per destination)`,
        );
      }
      for (const message of messages) {
        output.say(`  notified ${message.destination} (${message.format}): ${headline(message)}`);
      }
      rows.push({ scenario, issue: filed.number, execution, messages, problems });
    }
  } finally {
    await sandbox.close();
  }

  const ok = rows.every((row) => row.problems.length === 0);
  if (json) {
    output.say("demo summary", {
      ok,
      rows: rows.map((row) => ({
        issue: row.issue,
        scenario: row.scenario.name,
        outcome: row.execution?.report?.visits.at(-1)?.name,
        expected: row.scenario.expectedState,
        states: row.execution?.report?.visits.length ?? 0,
        transitions: Math.max(0, (row.execution?.report?.visits.length ?? 0) - 1),
        wallTimeMs: row.execution?.report?.durationMs,
        notifications: row.messages.map((m) => ({
          destination: m.destination,
          format: m.format,
          payload: m.payload,
        })),
        problems: row.problems,
      })),
    });
  } else {
    output.say(`\n${table(rows)}\n`);
    for (const row of rows) {
      const path = row.execution?.report?.visits.map((v) => v.name).join(" > ") ?? "";
      output.say(`#${row.issue} ${path}`);
      for (const problem of row.problems) output.say(`  PROBLEM: ${problem}`);
    }
    output.say(ok ? "\nall outcomes as expected" : "\nSOME OUTCOMES ARE NOT AS EXPECTED");
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`afu9 demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
