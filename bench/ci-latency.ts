// CI-to-merge latency at real time (time scale 1): the sandbox (GitHub simulator + local factory,
// the real handlers and definition) with scripted CI that finishes at a known instant per issue,
// staggered so the poll mode's phase differs between issues. Measured per issue: from the last CI
// delivery of its head that GitHub sent before the merge to the merge request reaching the
// simulator (its arrival time there), in events mode (WaitForCI resumed by the CI events) and in
// poll mode (a Wait of ciPollSeconds, the stack default 60 s, between evaluations).
import type { CiWaitMode } from "../contract/state";
import { README_TEST_HINT } from "../local/factory/demo-issues";
import { createFactoryOutput } from "../local/factory/output";
import { DEMO_CHECKS, DEMO_MAINTAINER, startSandbox } from "../local/factory/sandbox";
import { seedDemoRepository } from "../local/github-simulator";
import { percentile, round } from "./stats";

const CI_EVENTS = ["check_run", "check_suite", "status", "workflow_run"];
const MERGE_ROUTE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";
export const LATENCY_POLL_SECONDS = 60;
/** The budget: events mode's median from the CI event to the merge request. */
export const EVENTS_P50_BUDGET_MS = 2000;

export interface LatencyModeResult {
  mode: CiWaitMode;
  issues: number;
  merged: number;
  /** Per issue, ms from its last CI delivery before the merge to the merge request. */
  latenciesMs: number[];
  p50Ms: number;
  maxMs: number;
  wallMs: number;
}

export interface LatencyResult {
  ciPollSeconds: number;
  ciDelaysMs: number[];
  modes: LatencyModeResult[];
}

async function runMode(
  mode: CiWaitMode,
  ciDelaysMs: number[],
  log: (line: string) => void,
): Promise<LatencyModeResult> {
  const t0 = performance.now();
  const sandbox = await startSandbox({
    port: 0,
    settings: {
      dryRun: false,
      ciPollSeconds: LATENCY_POLL_SECONDS,
      ciMaxWaitSeconds: 1800,
      ciNoChecksGraceSeconds: 300,
    },
    timeScale: 1,
    retryDelayMs: 50,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 0,
    githubRetryBaseMs: 50,
    seedDemo: false,
    ciWait: { mode, fallbackSeconds: 300 },
  });
  try {
    const repos = ciDelaysMs.map((delayMs, i) => {
      const seed = seedDemoRepository(sandbox.sim, {
        owner: `latency-${mode}-${i}`,
        maintainer: DEMO_MAINTAINER,
      });
      sandbox.sim.programCi(seed.owner, seed.repo, {
        checks: DEMO_CHECKS,
        outcome: "success",
        delayMs,
      });
      return seed;
    });
    for (const repo of repos) {
      sandbox.sim.createIssue(repo.owner, repo.repo, {
        ...README_TEST_HINT,
        user: DEMO_MAINTAINER,
        labels: ["afu9"],
        authorAssociation: "MEMBER",
      });
    }
    await sandbox.settle();
    const latenciesMs: number[] = [];
    for (const repo of repos) {
      const merge = sandbox.sim.requests.find(
        (r) => r.route === MERGE_ROUTE && r.path.startsWith(`/repos/${repo.owner}/`),
      );
      if (!merge?.receivedAt) continue;
      const ciSent = sandbox.sim.events
        .filter(
          (e) =>
            CI_EVENTS.includes(e.event) &&
            (e.payload.repository as { owner?: { login?: string } }).owner?.login === repo.owner &&
            e.sentAt !== undefined &&
            e.sentAt <= merge.receivedAt!,
        )
        .map((e) => e.sentAt!);
      if (ciSent.length === 0) continue;
      latenciesMs.push(merge.receivedAt - Math.max(...ciSent));
    }
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    const result: LatencyModeResult = {
      mode,
      issues: repos.length,
      merged: latenciesMs.length,
      latenciesMs: latenciesMs.map((ms) => round(ms, 0)),
      p50Ms: sorted.length ? round(percentile(sorted, 50), 0) : Number.NaN,
      maxMs: sorted.length ? round(sorted[sorted.length - 1], 0) : Number.NaN,
      wallMs: round(performance.now() - t0, 0),
    };
    log(`  ${mode}: p50 ${result.p50Ms} ms, max ${result.maxMs} ms over ${result.merged} merges`);
    return result;
  } finally {
    await sandbox.close();
  }
}

/** `issues` issues per mode; issue i's CI finishes 2 s + i x `staggerMs` after its push. */
export async function runLatencyBench(
  issues = 10,
  staggerMs = 2500,
  log: (line: string) => void = () => undefined,
): Promise<LatencyResult> {
  const ciDelaysMs = Array.from({ length: issues }, (_, i) => 2000 + i * staggerMs);
  const modes: LatencyModeResult[] = [];
  for (const mode of ["events", "poll"] as const) modes.push(await runMode(mode, ciDelaysMs, log));
  return { ciPollSeconds: LATENCY_POLL_SECONDS, ciDelaysMs, modes };
}

if (require.main === module) {
  runLatencyBench(10, 2500, (line) => console.log(line)).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
