// The run lock and the event-driven CI wait, end to end on the sandbox (registered by
// local-factory.test.ts so that file's state coverage includes these states): concurrent
// deliveries for one issue, the follow-up run, the lock after every end state and after its TTL,
// lost, duplicate and late CI deliveries, and CI that finished before the wait registered.
import { RUN_END_STATES } from "../../workflow";
import { lockTtlSeconds } from "../../workflow";
import { README_TEST_HINT, STRANGER_USAGE_CHANGE } from "../../local/factory/demo-issues";
import type { LocalExecution } from "../../local/factory/local-step-functions";
import type { DemoSeed } from "../../local/github-simulator";
import {
  MAINTAINER,
  SETTINGS,
  CI_FALLBACK_SECONDS,
  STRANGER,
  allStatesOf,
  commentsOf,
  executionsOf,
  finalState,
  newRepository,
  postDelivery,
  type E2E,
} from "./harness";

const CI_EVENTS = ["check_run", "check_suite", "workflow_run", "status"];

function ownerOf(payload: Record<string, unknown>): string | undefined {
  return (payload.repository as { owner?: { login?: string } } | undefined)?.owner?.login;
}

function issueEvents(e2e: E2E, repo: DemoSeed, number: number) {
  return e2e.sandbox.sim.events.filter(
    (e) =>
      e.event === "issues" &&
      ownerOf(e.payload) === repo.owner &&
      (e.payload.issue as { number?: number } | undefined)?.number === number,
  );
}

/** The run lock's key: the repository id as the deliveries carry it. */
function lockKey(e2e: E2E, repo: DemoSeed, issue: number): string {
  const [event] = issueEvents(e2e, repo, issue);
  return `issue#${(event.payload.repository as { id: number }).id}#${issue}`;
}

function ciEventsOf(e2e: E2E, repo: DemoSeed) {
  return e2e.sandbox.sim.events.filter(
    (e) => CI_EVENTS.includes(e.event) && ownerOf(e.payload) === repo.owner,
  );
}

/**
 * [start, end] in ms of the part of an execution that worked for the issue: from AnalyzeIssue to
 * the release of its lock (what follows, the route to its end state, holds nothing).
 */
function pipelineInterval(execution: LocalExecution): [number, number] | undefined {
  const visits = execution.report?.visits ?? [];
  const analyze = visits.find((v) => v.name === "AnalyzeIssue");
  const release = visits.find((v) => v.name === "ReleaseIssueLock");
  if (!analyze) return undefined;
  const start = execution.startDate.getTime();
  return [
    start + analyze.enteredAtMs,
    release ? start + release.enteredAtMs : Number.POSITIVE_INFINITY,
  ];
}

function expectNoOverlap(runs: LocalExecution[]): void {
  const intervals = runs
    .map(pipelineInterval)
    .filter((i): i is [number, number] => i !== undefined)
    .sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < intervals.length; i += 1) {
    expect(intervals[i][0]).toBeGreaterThanOrEqual(intervals[i - 1][1]);
  }
}

function ciWakeOf(execution: LocalExecution): Record<string, unknown> | undefined {
  return (execution.report?.output as { ciWake?: Record<string, unknown> } | undefined)?.ciWake;
}

function fileStrangerIssue(e2e: E2E, repo: DemoSeed): number {
  return e2e.sandbox.sim.createIssue(repo.owner, repo.repo, {
    ...STRANGER_USAGE_CHANGE,
    user: STRANGER,
    labels: [],
    authorAssociation: "NONE",
  }).number;
}

function caughtTimeout(execution: LocalExecution): boolean {
  return (execution.report?.visits ?? []).some(
    (v) => v.name === "WaitForCI" && v.caught && v.errors.some((e) => e.Error === "States.Timeout"),
  );
}

export function defineRunLockScenarios(get: () => E2E): void {
  test("opened + labeled together (an issue created with the label): one run, one PR, one analysis and one merged comment", async () => {
    const e2e = get();
    const { sim } = e2e.sandbox;
    const repo = newRepository(e2e);
    const number = sim.createIssue(repo.owner, repo.repo, {
      ...README_TEST_HINT,
      user: MAINTAINER,
      labels: ["afu9"],
      authorAssociation: "MEMBER",
    }).number;
    const [opened] = issueEvents(e2e, repo, number);
    // GitHub sends issues.labeled for the label the issue was created with, at the same moment.
    const labeled = await postDelivery(e2e, {
      event: "issues",
      payload: { ...opened.payload, action: "labeled", label: { name: "afu9" } },
    });
    expect(labeled.status).toBe(202);
    await e2e.sandbox.settle();

    const runs = executionsOf(e2e, repo, number);
    expect(runs).toHaveLength(2);
    const worked = runs.filter((r) => allStatesOf(r).includes("AnalyzeIssue"));
    expect(worked).toHaveLength(1);
    expect(finalState(worked[0])).toBe("Merged");
    // The other delivery was recorded on the lock; same content, so no follow-up run.
    const coalesced = runs.find((r) => r !== worked[0])!;
    expect(allStatesOf(coalesced)).toEqual([
      "AcquireIssueLock",
      "RouteLockedDelivery",
      "CoalesceDelivery",
      "DeliveryCoalesced",
    ]);
    expect(sim.listPulls(repo.owner, repo.repo)).toHaveLength(1);
    const comments = commentsOf(e2e, repo, number);
    expect(comments.filter((c) => c.includes("<!-- afu9:analysis -->"))).toHaveLength(1);
    expect(comments.filter((c) => c.includes("<!-- afu9:merge -->"))).toHaveLength(1);
    expect(await e2e.sandbox.factory.runTable.getItem(lockKey(e2e, repo, number))).toBeUndefined();
  });

  test("two deliveries within 100 ms with different content: one run at a time, the follow-up acts on the latest, no trigger lost", async () => {
    const e2e = get();
    const { sim } = e2e.sandbox;
    const repo = newRepository(e2e);
    // A stranger's change (not acted on), labelled by a maintainer at once (the trigger).
    const number = fileStrangerIssue(e2e, repo);
    sim.addLabel(repo.owner, repo.repo, number, "afu9", MAINTAINER);
    await e2e.sandbox.settle();
    const [opened, labeled] = issueEvents(e2e, repo, number);
    expect([opened.action, labeled.action]).toEqual(["opened", "labeled"]);
    expect(labeled.sentAt! - opened.sentAt!).toBeLessThan(100);

    const runs = executionsOf(e2e, repo, number);
    expect(runs).toHaveLength(3);
    const worked = runs.filter((r) => allStatesOf(r).includes("AnalyzeIssue"));
    expect(worked).toHaveLength(2);
    const [first, followUp] = worked.sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
    expect(first.input.delivery.action).toBe("opened");
    expect(finalState(first)).toBe("NotActionable");
    expect(allStatesOf(first)).toEqual(
      expect.arrayContaining(["HandOffIssueLock", "StartFollowUpRun"]),
    );
    expect(followUp.input.delivery).toMatchObject({ action: "labeled", label: "afu9" });
    expect(followUp.name.endsWith("-f")).toBe(true);
    expect(finalState(followUp)).toBe("Merged");
    expectNoOverlap(runs);
    // One branch, one pull request (merged; the branch is deleted after the merge).
    expect(sim.listPulls(repo.owner, repo.repo).map((p) => p.head)).toEqual([
      `afu9/issue-${number}`,
    ]);
    const analyses = commentsOf(e2e, repo, number).filter((c) =>
      c.includes("<!-- afu9:analysis -->"),
    );
    expect(analyses).toHaveLength(1);
    expect(await e2e.sandbox.factory.runTable.getItem(lockKey(e2e, repo, number))).toBeUndefined();
  });

  test("a follow-up run that cannot start frees the lock it was handed", async () => {
    const e2e = get();
    const { sim, factory } = e2e.sandbox;
    const repo = newRepository(e2e);
    const number = fileStrangerIssue(e2e, repo);
    sim.addLabel(repo.owner, repo.repo, number, "afu9", MAINTAINER);
    await sim.waitForWebhooks();
    // Both deliveries are in; the first run's StartFollowUpRun meets these (with its retries).
    factory.stepFunctions.failNextStarts(
      Object.assign(new Error("Service unavailable (injected)"), { name: "ServiceUnavailable" }),
      4,
    );
    await e2e.sandbox.settle();

    const runs = executionsOf(e2e, repo, number);
    const releasing = runs.find((r) => allStatesOf(r).includes("ReleaseHandedOffLock"));
    expect(releasing).toBeDefined();
    expect(finalState(releasing!)).toBe("NotActionable");
    expect(runs.filter((r) => r.name.endsWith("-f"))).toEqual([]);
    expect(await factory.runTable.getItem(lockKey(e2e, repo, number))).toBeUndefined();
  });

  test("a crashed run's lock blocks the issue until its TTL, then the next delivery takes over", async () => {
    const e2e = get();
    const { sim, factory } = e2e.sandbox;
    const repo = newRepository(e2e);
    const number = sim.createIssue(repo.owner, repo.repo, {
      ...README_TEST_HINT,
      user: MAINTAINER,
      labels: [],
      authorAssociation: "MEMBER",
    }).number;
    await e2e.sandbox.settle();
    // A run that crashed (its execution aborted) left its lock behind.
    const now = Math.floor(Date.now() / 1000);
    const ttl = lockTtlSeconds({ ...SETTINGS, ciFallbackSeconds: CI_FALLBACK_SECONDS });
    await factory.runTable.dynamodb.send(
      new (await import("@aws-sdk/client-dynamodb")).PutItemCommand({
        TableName: factory.runTable.tableName,
        Item: {
          pk: { S: lockKey(e2e, repo, number) },
          holder: { S: "crashed-delivery" },
          fingerprint: { S: "0".repeat(64) },
          expiresAt: { N: String(now + ttl) },
        },
      }),
    );
    sim.addLabel(repo.owner, repo.repo, number, "afu9", MAINTAINER);
    await e2e.sandbox.settle();
    const blocked = executionsOf(e2e, repo, number).at(-1)!;
    expect(allStatesOf(blocked)).toEqual([
      "AcquireIssueLock",
      "RouteLockedDelivery",
      "CoalesceDelivery",
      "DeliveryCoalesced",
    ]);

    // DynamoDB deletes expired items only eventually: the takeover condition reads the clock.
    e2e.setWebhookClockOffset((ttl + 60) * 1000);
    try {
      const [labeled] = issueEvents(e2e, repo, number).filter(
        (e) =>
          e.action === "labeled" && (e.payload.sender as { login?: string }).login === MAINTAINER,
      );
      const redelivered = await postDelivery(e2e, { event: "issues", payload: labeled.payload });
      expect(redelivered.status).toBe(202);
      await e2e.sandbox.settle();
    } finally {
      e2e.setWebhookClockOffset(0);
    }
    const takeover = executionsOf(e2e, repo, number).at(-1)!;
    expect(finalState(takeover)).toBe("Merged");
    expect(await factory.runTable.getItem(lockKey(e2e, repo, number))).toBeUndefined();
  });

  test("a dropped CI delivery still ends Merged, through the fallback evaluation", async () => {
    const e2e = get();
    const { sim } = e2e.sandbox;
    // CI finishes well after the wait registered (2 s; fallbacks every 0.6 s), and every CI
    // delivery is lost.
    const repo = newRepository(e2e, { outcome: "success", delayMs: 2000 });
    sim.dropWebhooks({ events: CI_EVENTS, count: 1000 });
    const number = sim.createIssue(repo.owner, repo.repo, {
      ...README_TEST_HINT,
      user: MAINTAINER,
      labels: ["afu9"],
      authorAssociation: "MEMBER",
    }).number;
    await e2e.sandbox.settle();
    sim.clearFaults();

    const [run] = executionsOf(e2e, repo, number);
    expect(finalState(run)).toBe("Merged");
    expect(ciEventsOf(e2e, repo).every((e) => e.dropped)).toBe(true);
    expect(caughtTimeout(run)).toBe(true);
  });

  test("duplicate and late CI deliveries change nothing and never error", async () => {
    const e2e = get();
    const { sim, factory } = e2e.sandbox;
    const repo = newRepository(e2e);
    const number = sim.createIssue(repo.owner, repo.repo, {
      ...README_TEST_HINT,
      user: MAINTAINER,
      labels: ["afu9"],
      authorAssociation: "MEMBER",
    }).number;
    await e2e.sandbox.settle();
    const [run] = executionsOf(e2e, repo, number);
    expect(finalState(run)).toBe("Merged");
    const delivered = ciEventsOf(e2e, repo);
    expect(delivered.map((e) => e.event)).toEqual(
      expect.arrayContaining(["check_run", "check_suite", "workflow_run"]),
    );
    expect(delivered.every((e) => e.status === 202)).toBe(true);
    const before = factory.executions().length;
    const merges = () =>
      sim.requests.filter((r) => r.route === "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge");
    const mergesBefore = merges().length;

    // Every CI delivery again (duplicates), after the run ended (late).
    const answers = await Promise.all(
      delivered.map((e) => postDelivery(e2e, { event: e.event, id: e.id, payload: e.payload })),
    );
    expect(answers.map((a) => a.status)).toEqual(delivered.map(() => 202));
    expect(answers.map((a) => a.body.outcome)).toEqual(expect.arrayContaining(["ci-stale"]));
    expect(answers.every((a) => ["ci-stale", "ignored"].includes(String(a.body.outcome)))).toBe(
      true,
    );
    await e2e.sandbox.settle();
    expect(factory.executions()).toHaveLength(before);
    expect(merges()).toHaveLength(mergesBefore);
  });

  test("CI that finished before the wait registered: the wait resumes itself at once", async () => {
    const e2e = get();
    const { sim } = e2e.sandbox;
    // CI completes as the branch is pushed, before WaitForCI can register its token.
    const repo = newRepository(e2e, { outcome: "success", delayMs: 0 });
    const number = sim.createIssue(repo.owner, repo.repo, {
      ...README_TEST_HINT,
      user: MAINTAINER,
      labels: ["afu9"],
      authorAssociation: "MEMBER",
    }).number;
    await e2e.sandbox.settle();
    const [run] = executionsOf(e2e, repo, number);
    expect(finalState(run)).toBe("Merged");
    expect(ciWakeOf(run)).toMatchObject({ source: "registration-check", outcome: "success" });
    expect(caughtTimeout(run)).toBe(false);
  });

  defineLockFreeAfterEachEnd(
    get,
    RUN_END_STATES.filter((end) => !COMMAND_END_STATES.includes(end)),
  );
}

/** End states only `/afu9` command runs reach: pr-commands.test.ts checks the lock after them. */
export const COMMAND_END_STATES: readonly string[] = ["Stopped", "RevisionRefused"];

/** After the scenarios of a file: every run that reached one of `ends` released its lock. */
export function defineLockFreeAfterEachEnd(get: () => E2E, ends: readonly string[]): void {
  describe("the lock is free after each end state", () => {
    test.each([...ends])("%s", async (end) => {
      const e2e = get();
      const ended = e2e.sandbox.factory
        .executions()
        .filter((e) => e.status !== "RUNNING" && finalState(e) === end);
      expect(ended.length).toBeGreaterThan(0);
      for (const execution of ended) {
        const { repository, issue } = execution.input;
        const key = `issue#${repository.id}#${issue.number}`;
        expect(await e2e.sandbox.factory.runTable.getItem(key)).toBeUndefined();
        const record = await e2e.sandbox.factory.runTable.getItem(`run#${execution.name}`);
        expect(record?.outcome).toEqual({ S: end });
      }
    });
  });
}
