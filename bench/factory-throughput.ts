// Local factory throughput: N signed deliveries posted at once to the local factory's POST /webhook
// (local/factory: HTTP -> the real webhook processor -> in-process Step Functions -> the real
// definition on aws-local-stepfunctions -> the real handler modules against the GitHub simulator).
// Counted: deliveries acknowledged (202), executions started for them, deliveries lost (no 202 or
// no execution), the acknowledgement time distribution, and how the executions ended.
import { randomBytes } from "node:crypto";
import { simulatorClientFactory } from "../local/github-simulator/client-factory";
import { createLocalFactory } from "../local/factory/factory";
import { createFactoryOutput } from "../local/factory/output";
import { createLocalTaskFunctions } from "../local/factory/task-functions";
import { createStateMachineRunner } from "../local/state-machine-runner";
import { seedDemoRepository, signPayload, startGitHubSimulator } from "../local/github-simulator";
import { median, percentile, round } from "./stats";

/** Budget from the benchmarks issue: zero deliveries lost at N = 200. */
export const THROUGHPUT_BUDGET_N = 200;
const STRANGER = "random-visitor";

export interface ThroughputResult {
  n: number;
  acknowledged: number;
  /** Answers other than 202, by status (e.g. {"500": 3}; "error" = no HTTP answer). */
  otherAnswers: Record<string, number>;
  executionsStarted: number;
  lost: number;
  ackMs: { p50: number; p99: number; max: number };
  /** First request sent to last acknowledgement. */
  burstMs: number;
  /** How the executions ended within the wait (RUNNING = still running when the wait ended). */
  executionStatus: Record<string, number>;
  /** First request sent to the last execution's end (or to the end of the wait). */
  drainMs: number;
  drainTimedOut: boolean;
  /**
   * Building one state machine runner (the interpreter validates the definition) takes this long,
   * synchronously, on the event loop that also answers POST /webhook; the local factory builds
   * one per execution. Median of 5, measured after the burst.
   */
  runnerConstructionMs: number;
}

export async function runThroughputBench(
  n: number,
  log: (line: string) => void,
  drainTimeoutMs = 180_000,
): Promise<ThroughputResult> {
  const webhookSecret = randomBytes(20).toString("hex");
  // No webhook target: the simulator records its events, the bench delivers them all at once.
  const sim = await startGitHubSimulator({ validateResponses: false });
  const demo = seedDemoRepository(sim);
  const github = simulatorClientFactory(sim);
  const factory = await createLocalFactory({
    port: 0,
    webhookSecret,
    github,
    settings: {
      dryRun: true,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 1800,
      ciNoChecksGraceSeconds: 300,
    },
    timeScale: 0.01,
    retryDelayMs: 10,
    output: createFactoryOutput({ mode: "silent" }),
  });
  try {
    // Issues a passer-by opens: each delivery starts an execution that analyses and labels.
    const deliveries = Array.from({ length: n }, (_, i) => {
      const issue = sim.createIssue(demo.owner, demo.repo, {
        title: `Typo in the usage page (${i + 1})`,
        body: "The usage page says `greet(name)` but the example is missing.",
        user: STRANGER,
        authorAssociation: "NONE",
      });
      const event = sim.events.findLast(
        (e) =>
          e.event === "issues" &&
          e.action === "opened" &&
          (e.payload.issue as { number: number }).number === issue.number,
      );
      if (!event) throw new Error(`bench: no issues.opened event for issue #${issue.number}`);
      return { id: event.id, body: JSON.stringify(event.payload) };
    });

    const t0 = performance.now();
    const answers = await Promise.all(
      deliveries.map(async (delivery) => {
        const start = performance.now();
        try {
          const response = await fetch(factory.webhookUrl, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "user-agent": "GitHub-Hookshot/afu9-bench",
              "x-github-event": "issues",
              "x-github-delivery": delivery.id,
              "x-hub-signature-256": signPayload(webhookSecret, delivery.body),
            },
            body: delivery.body,
            signal: AbortSignal.timeout(30_000),
          });
          await response.arrayBuffer();
          return {
            id: delivery.id,
            status: String(response.status),
            ms: performance.now() - start,
          };
        } catch {
          return { id: delivery.id, status: "error", ms: performance.now() - start };
        }
      }),
    );
    const burstMs = performance.now() - t0;
    log(`  throughput: ${n} deliveries answered in ${Math.round(burstMs)} ms; draining executions`);

    const byDelivery = new Map(factory.executions().map((e) => [e.input.delivery?.id, e]));
    const acknowledged = answers.filter((a) => a.status === "202");
    const otherAnswers: Record<string, number> = {};
    for (const a of answers.filter((x) => x.status !== "202")) {
      otherAnswers[a.status] = (otherAnswers[a.status] ?? 0) + 1;
    }
    const started = deliveries.filter((d) => byDelivery.has(d.id)).length;
    const lost = answers.filter((a) => a.status !== "202" || !byDelivery.has(a.id)).length;

    let drainTimedOut = false;
    await Promise.race([
      factory.idle(),
      new Promise<void>((resolve) =>
        setTimeout(() => {
          drainTimedOut = true;
          resolve();
        }, drainTimeoutMs).unref(),
      ),
    ]);
    const drainMs = performance.now() - t0;
    const executionStatus: Record<string, number> = {};
    for (const e of factory.executions()) {
      executionStatus[e.status] = (executionStatus[e.status] ?? 0) + 1;
    }
    const constructions = Array.from({ length: 5 }, () => {
      const t = performance.now();
      createStateMachineRunner({
        definition: factory.definition,
        tasks: createLocalTaskFunctions(
          {
            github,
            clock: { now: () => Date.now(), sleep: async () => undefined },
            logger: { debug() {}, info() {}, warn() {}, error() {} },
          },
          {
            runTable: () => factory.runTable,
            sfn: () => factory.stepFunctions.client,
          },
        ),
        serviceIntegrations: {
          ...factory.runTable.integrations,
          "arn:aws:states:::states:startExecution": async () => ({}),
        },
        taskTokens: factory.stepFunctions.taskTokens,
      });
      return performance.now() - t;
    });
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    return {
      n,
      acknowledged: acknowledged.length,
      otherAnswers,
      executionsStarted: started,
      lost,
      ackMs: {
        p50: round(percentile(times, 50)),
        p99: round(percentile(times, 99)),
        max: round(times[times.length - 1]),
      },
      burstMs: round(burstMs, 0),
      executionStatus,
      drainMs: round(drainMs, 0),
      drainTimedOut,
      runnerConstructionMs: round(median(constructions)),
    };
  } finally {
    await factory.close();
    await sim.close();
  }
}
