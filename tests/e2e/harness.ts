// End-to-end harness: one sandbox (GitHub simulator + local factory over HTTP, the real webhook
// handler, the real ASL definition on aws-local-stepfunctions, the real task handlers) per test
// file, one fresh repository per test, time compressed so a 60 s CI poll takes 120 ms.
import { createHmac, randomUUID } from "node:crypto";
import type { FactorySettings } from "../../contract/state";
import { RUN_LOCK_STATE_NAMES } from "../../workflow";
import { seedDemoRepository, type DemoSeed } from "../../local/github-simulator";
import type { LocalExecution } from "../../local/factory/local-step-functions";
import { createFactoryOutput } from "../../local/factory/output";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../local/factory/sandbox";
import type { TaskFunction } from "../../local/state-machine-runner";

export const MAINTAINER = "demo-maintainer";
export const STRANGER = "random-visitor";
export const CHECKS = ["build", "test"];

/**
 * 60 s polls, 1800 s bound: maxPolls = 30; at TIME_SCALE a poll waits 120 ms and the handlers'
 * CI timeout comes 3.6 s of real time after the PR opened (headroom on a busy machine).
 */
export const SETTINGS: FactorySettings = {
  dryRun: false,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 1800,
  ciNoChecksGraceSeconds: 300,
};
export const TIME_SCALE = 0.002;
/** events mode's fallback: 300 s, 0.6 s at TIME_SCALE (the stack default 1200 s would be 2.4 s). */
export const CI_FALLBACK_SECONDS = 300;

export interface E2E {
  sandbox: Sandbox;
  /** Progress lines the factory printed (human mode), for assertions on what a person sees. */
  lines: string[];
  /** Test hook around every execution's task functions (null = the real ones, unchanged). */
  setTaskWrapper(
    wrap: ((tasks: Record<string, TaskFunction>) => Record<string, TaskFunction>) | null,
  ): void;
  /** Moves the webhook's clock (the run lock's clock) this far ahead of real time. */
  setWebhookClockOffset(ms: number): void;
}

/**
 * `ai`: the sandbox's model (e.g. the scripted model server); unset, AI is off. `settings`
 * replaces some of SETTINGS (e.g. a longer CI bound for runs that wait for people).
 */
export async function startE2E(
  options: { ai?: SandboxOptions["ai"]; settings?: Partial<FactorySettings> } = {},
): Promise<E2E> {
  const lines: string[] = [];
  let wrapper: ((tasks: Record<string, TaskFunction>) => Record<string, TaskFunction>) | null =
    null;
  let clockOffsetMs = 0;
  const sandbox = await startSandbox({
    port: 0,
    settings: { ...SETTINGS, ...options.settings },
    timeScale: TIME_SCALE,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "human", color: false, write: (l) => lines.push(l) }),
    ciDelayMs: 100,
    githubRetryBaseMs: 5,
    validateResponses: true,
    seedDemo: false,
    wrapTasks: (tasks) => (wrapper ? wrapper(tasks) : tasks),
    webhookClock: { now: () => Date.now() + clockOffsetMs },
    ai: options.ai,
    ciWait: { mode: "events", fallbackSeconds: CI_FALLBACK_SECONDS },
  });
  return {
    sandbox,
    lines,
    setTaskWrapper: (wrap) => (wrapper = wrap),
    setWebhookClockOffset: (ms) => (clockOffsetMs = ms),
  };
}

/**
 * The sandbox of one test file: started before its first test, closed after its last; after each
 * test the simulator's faults and the task wrapper are cleared. The object's fields are there
 * once the file's tests run.
 */
export function useE2E(options?: Parameters<typeof startE2E>[0]): E2E {
  const e2e = {} as E2E;
  beforeAll(async () => {
    Object.assign(e2e, await startE2E(options));
  });
  afterEach(() => {
    e2e.sandbox?.sim.clearFaults();
    e2e.setTaskWrapper?.(null);
  });
  afterAll(async () => {
    await e2e.sandbox?.close();
  });
  return e2e;
}

let repoCounter = 0;

/** A fresh copy of the demo repository (own owner and installation) with scripted CI. */
export function newRepository(
  e2e: E2E,
  ci: { outcome: "success" | "failure"; delayMs: number } = { outcome: "success", delayMs: 100 },
): DemoSeed {
  repoCounter += 1;
  const seed = seedDemoRepository(e2e.sandbox.sim, {
    owner: `e2e-${repoCounter}`,
    repo: "demo-app",
    maintainer: MAINTAINER,
  });
  e2e.sandbox.sim.programCi(seed.owner, seed.repo, { checks: CHECKS, ...ci });
  return seed;
}

export function fileIssue(
  e2e: E2E,
  repo: DemoSeed,
  issue: { title: string; body: string },
  options: { user?: string; labels?: string[] } = {},
): number {
  const user = options.user ?? MAINTAINER;
  return e2e.sandbox.sim.createIssue(repo.owner, repo.repo, {
    ...issue,
    user,
    labels: options.labels ?? ["afu9"],
    authorAssociation: user === MAINTAINER ? "MEMBER" : "NONE",
  }).number;
}

export function executionsOf(e2e: E2E, repo: DemoSeed, issueNumber?: number): LocalExecution[] {
  return e2e.sandbox.factory
    .executions()
    .filter(
      (e) =>
        e.input.repository.owner === repo.owner &&
        (issueNumber === undefined || e.input.issue.number === issueNumber),
    );
}

/** Every state the execution entered, the run lock's included. */
export function allStatesOf(execution: LocalExecution): string[] {
  return execution.report?.visits.map((v) => v.name) ?? [];
}

/** The pipeline's states: what the execution did for the issue, without the run lock's steps. */
/** The one execution of an issue, after everything settled (exactly one, or the test fails). */
export async function settledRun(e2e: E2E, repo: DemoSeed, issue: number): Promise<LocalExecution> {
  await e2e.sandbox.settle();
  const runs = executionsOf(e2e, repo, issue);
  expect(runs).toHaveLength(1);
  return runs[0];
}

export function statesOf(execution: LocalExecution): string[] {
  return allStatesOf(execution).filter(
    (state) => !(RUN_LOCK_STATE_NAMES as readonly string[]).includes(state),
  );
}

export function finalState(execution: LocalExecution): string | undefined {
  const states = statesOf(execution);
  return states[states.length - 1];
}

export function commentsOf(e2e: E2E, repo: DemoSeed, number: number): string[] {
  return e2e.sandbox.sim.listIssueComments(repo.owner, repo.repo, number).map((c) => c.body);
}

export function labelsOf(e2e: E2E, repo: DemoSeed, number: number): string[] {
  return (e2e.sandbox.sim.getIssue(repo.owner, repo.repo, number).labels ?? []).map((l) =>
    typeof l === "string" ? l : (l.name ?? ""),
  );
}

/** A delivery POSTed to the factory as GitHub would send it (signed unless `secret` is null). */
export async function postDelivery(
  e2e: E2E,
  delivery: { event: string; id?: string; payload: unknown; secret?: string | null },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify(delivery.payload);
  const secret = delivery.secret === undefined ? e2e.sandbox.webhookSecret : delivery.secret;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/e2e",
    "x-github-event": delivery.event,
    "x-github-delivery": delivery.id ?? randomUUID(),
  };
  if (secret !== null) {
    headers["x-hub-signature-256"] =
      `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  }
  const response = await fetch(e2e.sandbox.factory.webhookUrl, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
