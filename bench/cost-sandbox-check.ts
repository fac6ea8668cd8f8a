// Cross-check of the cost model's assumptions on one real run: the sandbox (local factory + GitHub
// simulator) takes a maintainer's labelled issue with a diff through the real webhook handler, the
// real definition and the real handler modules, with scripted CI. Counted: webhook deliveries the
// issue causes (the simulator emits one per event AFU-9's App subscribes to, its own writes
// included), executions started, state transitions and task invocations of the real run, and each
// task's duration in process against the simulator (no network latency, no write spacing: a lower
// bound, not a Lambda duration).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TaskAction } from "../contract/task-actions";
import { README_TEST_HINT } from "../local/factory/demo-issues";
import { DEMO_MAINTAINER } from "../local/factory/sandbox";
import { startBenchSandbox } from "./bench-sandbox";
import { ROOT } from "./function-builds";
import { median, round } from "./stats";

export interface SandboxCostCheck {
  ciMinutes: number;
  timeScale: number;
  /** Deliveries the simulator sent to POST /webhook, by "event.action". */
  deliveries: Record<string, number>;
  deliveryCount: number;
  /** Events of the App's subscription (github-app-manifest.json default_events). */
  subscribedEvents: string[];
  /**
   * Deliveries that reach the deployed webhook per issue: the subscribed events the simulator
   * emitted, plus issues.closed when the run merged and the simulator emitted none (GitHub closes
   * the issue when the merged PR body says "Closes #n", which pr-creator writes; the simulator
   * does not model that).
   */
  webhookDeliveries: number;
  /** The webhook's Deliveries metric by outcome (started, ignored, ...). */
  webhookOutcomes: Record<string, number>;
  executions: { status: string; transitions: number; taskInvocations: number; last: string }[];
  /** In-process task durations against the simulator, median ms per action. */
  taskMedianMs: Partial<Record<TaskAction, number>>;
  wallMs: number;
}

export async function runSandboxCostCheck(
  ciMinutes = 2,
  timeScale = 0.01,
): Promise<SandboxCostCheck> {
  const durations: Partial<Record<TaskAction, number[]>> = {};
  const sandbox = await startBenchSandbox({
    timeScale,
    ciDelayMs: ciMinutes * 60_000 * timeScale,
    onTask: ({ action, ms }) => {
      (durations[action] ??= []).push(ms);
    },
  });
  try {
    const before = sandbox.sim.events.length;
    const t0 = performance.now();
    const { owner, repo } = sandbox.demo!;
    sandbox.sim.createIssue(owner, repo, {
      ...README_TEST_HINT,
      user: DEMO_MAINTAINER,
      labels: ["afu9"],
      authorAssociation: "MEMBER",
    });
    await sandbox.settle();
    const wallMs = performance.now() - t0;
    const deliveries: Record<string, number> = {};
    const emitted = sandbox.sim.events.slice(before);
    const manifest = JSON.parse(readFileSync(join(ROOT, "github-app-manifest.json"), "utf8")) as {
      default_events: string[];
    };
    const subscribed = emitted.filter((e) => manifest.default_events.includes(e.event));
    const merged = sandbox.factory
      .executions()
      .some((e) => e.report?.visits.some((v) => v.name === "Merged"));
    const closedEmitted = subscribed.some((e) => e.event === "issues" && e.action === "closed");
    for (const e of emitted) {
      const key = `${e.event}.${e.action ?? ""}`;
      deliveries[key] = (deliveries[key] ?? 0) + 1;
    }
    return {
      ciMinutes,
      timeScale,
      deliveries,
      deliveryCount: emitted.length,
      subscribedEvents: manifest.default_events,
      webhookDeliveries: subscribed.length + (merged && !closedEmitted ? 1 : 0),
      webhookOutcomes: sandbox.factory.deliveries(),
      executions: sandbox.factory.executions().map((e) => {
        const visits = e.report?.visits ?? [];
        const retries = visits.reduce((sum, v) => sum + v.retries, 0);
        return {
          status: e.status,
          transitions: visits.length + retries,
          taskInvocations: visits.filter((v) => v.type === "Task").length + retries,
          last: visits.at(-1)?.name ?? "",
        };
      }),
      taskMedianMs: Object.fromEntries(
        Object.entries(durations).map(([action, list]) => [action, round(median(list))]),
      ),
      wallMs: round(wallMs, 0),
    };
  } finally {
    await sandbox.close();
  }
}
