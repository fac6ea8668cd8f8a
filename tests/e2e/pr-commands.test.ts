// `/afu9` commands on a factory PR, end to end on the sandbox: the simulator delivers each comment
// as GitHub would (issue_comment.created on the PR), the real webhook authorizes it through the
// permission API, and the real state machine acts on it. What a maintainer's command does, that a
// stranger's writes and starts nothing, and how commands meet the issue's run lock.
import { STOPPED_LABEL } from "../../contract/conventions";
import { ciWaitKey } from "../../handlers/run-table/ci-wait-registry";
import { README_TEST_HINT } from "../../local/factory/demo-issues";
import type { LocalExecution } from "../../local/factory/local-step-functions";
import { simulatorClientFactory, type DemoSeed } from "../../local/github-simulator";
import type { TaskFunction } from "../../local/state-machine-runner";
import { LOCAL_FUNCTION_ARNS } from "../../local/factory/task-functions";
import {
  CHECKS,
  MAINTAINER,
  STRANGER,
  allStatesOf,
  commentsOf,
  executionsOf,
  fileIssue,
  labelsOf,
  newRepository,
  settledRun,
  useE2E,
  statesOf,
} from "./harness";
import { COMMAND_STATES } from "./command-states";
import { COMMAND_END_STATES, defineLockFreeAfterEachEnd } from "./run-lock-scenarios";

const e2e = useE2E();

const CONFIG = (automerge: boolean) =>
  `enabled: true\ntriggerLabel: afu9\nautomerge: ${automerge}\nmergeMethod: squash\n`;

interface FactoryPr {
  repo: DemoSeed;
  issue: number;
  pull: number;
  run: LocalExecution;
}

/** A repository whose issue run opened a PR and left it open (automerge off, or red CI). */
async function openFactoryPr(
  ci: { outcome: "success" | "failure"; delayMs: number } = { outcome: "success", delayMs: 100 },
): Promise<FactoryPr> {
  const repo = newRepository(e2e, ci);
  e2e.sandbox.sim.pushCommit(repo.owner, repo.repo, "main", { ".github/afu9.yml": CONFIG(false) });
  const issue = fileIssue(e2e, repo, README_TEST_HINT);
  const run = await settledRun(e2e, repo, issue);
  const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
  expect(pull).toMatchObject({ state: "open", merged: false });
  return { repo, issue, pull: pull.number, run };
}

/** A comment on the PR, delivered like GitHub's; returns the comment id. */
function comment(pr: FactoryPr, body: string, user = MAINTAINER): number {
  return e2e.sandbox.sim.addComment(pr.repo.owner, pr.repo.repo, pr.pull, {
    body,
    user,
    authorAssociation: user === MAINTAINER ? "MEMBER" : "NONE",
  }).id;
}

/** Executions of the issue other than the run that opened the PR, oldest first. */
function commandRuns(pr: FactoryPr): LocalExecution[] {
  return executionsOf(e2e, pr.repo, pr.issue).filter((e) => e.name !== pr.run.name);
}

async function octokitOf(repo: DemoSeed) {
  return simulatorClientFactory(e2e.sandbox.sim)(repo.installationId);
}

async function prCommits(pr: FactoryPr) {
  const octokit = await octokitOf(pr.repo);
  const { data } = await octokit.rest.pulls.listCommits({
    owner: pr.repo.owner,
    repo: pr.repo.repo,
    pull_number: pr.pull,
  });
  return data;
}

async function reactionsOn(pr: FactoryPr, commentId: number): Promise<string[]> {
  const octokit = await octokitOf(pr.repo);
  const { data } = await octokit.rest.reactions.listForIssueComment({
    owner: pr.repo.owner,
    repo: pr.repo.repo,
    comment_id: commentId,
  });
  return data.map((r) => r.content);
}

function pullOf(pr: FactoryPr) {
  return e2e.sandbox.sim.listPulls(pr.repo.owner, pr.repo.repo).find((p) => p.number === pr.pull)!;
}

function readMain(repo: DemoSeed, path: string): string | undefined {
  const { sim } = e2e.sandbox;
  return sim.readTree(repo.owner, repo.repo, sim.getRef(repo.owner, repo.repo, "heads/main")!)[
    path
  ];
}

/** The replies AFU-9 posted on the PR to commands (they quote the command first). */
function replies(pr: FactoryPr): string[] {
  return commentsOf(e2e, pr.repo, pr.pull).filter((c) => c.startsWith("> `/afu9 "));
}

const REVISE_README = [
  "/afu9 revise say which Node runs the tests",
  "",
  "```diff",
  "--- a/README.md",
  "+++ b/README.md",
  "@@ -3,3 +3,3 @@",
  " A tiny service the AFU-9 sandbox works on.",
  " ",
  "-Run the tests with `npm test`.",
  "+Run the tests with `npm test` (Node 20 or later).",
  "```",
].join("\n");

describe("a maintainer's command does what it says", () => {
  test("revise with a diff: exactly one new commit on the branch, CI waited for, merged", async () => {
    const pr = await openFactoryPr();
    const before = await prCommits(pr);
    e2e.sandbox.sim.pushCommit(pr.repo.owner, pr.repo.repo, "main", {
      ".github/afu9.yml": CONFIG(true),
    });
    const id = comment(pr, REVISE_README);
    await e2e.sandbox.settle();

    const [run] = commandRuns(pr);
    expect(commandRuns(pr)).toHaveLength(1);
    expect(run.status).toBe("SUCCEEDED");
    expect(statesOf(run)).toEqual(
      expect.arrayContaining([
        "AnalyzeIssue",
        "ReadCommandPullRequest",
        "RevisePullRequest",
        "CheckRevision",
        "WaitForCI",
        "AutoMerge",
      ]),
    );
    expect(statesOf(run).at(-1)).toBe("Merged");
    const after = await prCommits(pr);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)!.commit.message).toMatch(/^AFU-9: revision for #\d+/);
    expect(after.at(-1)!.commit.message).toContain(`Requested by @${MAINTAINER}`);
    expect(pullOf(pr)).toMatchObject({ merged: true });
    expect(readMain(pr.repo, "README.md")).toContain(
      "Run the tests with `npm test` (Node 20 or later).",
    );
    expect(await reactionsOn(pr, id)).toEqual(["eyes"]);
    expect(replies(pr).at(-1)).toMatch(/Pushed `[0-9a-f]{7}` on `afu9\/issue-\d+` \(`README.md`\)/);
  });

  test("revise without a diff or edit blocks, AI off: nothing pushed, the reply says what is needed", async () => {
    const pr = await openFactoryPr();
    const before = await prCommits(pr);
    comment(pr, "/afu9 revise make the README friendlier");
    await e2e.sandbox.settle();
    const [run] = commandRuns(pr);
    expect(statesOf(run).slice(-3)).toEqual([
      "RevisePullRequest",
      "CheckRevision",
      "RevisionRefused",
    ]);
    expect(await prCommits(pr)).toHaveLength(before.length);
    expect(replies(pr).at(-1)).toContain("AI is off for this factory");
    expect(pullOf(pr)).toMatchObject({ state: "open", merged: false });
  });

  test("merge with automerge off: merged once CI is green, the reply says so", async () => {
    const pr = await openFactoryPr();
    comment(pr, "/afu9 merge");
    await e2e.sandbox.settle();
    const [run] = commandRuns(pr);
    expect(statesOf(run)).toEqual(expect.arrayContaining(["AnswerCommand", "AutoMerge"]));
    expect(statesOf(run).at(-1)).toBe("Merged");
    expect(pullOf(pr)).toMatchObject({ merged: true });
    expect(replies(pr).at(-1)).toMatch(/CI is green on `[0-9a-f]{7}`: merging\./);
  });

  test("retry after a flaky check was re-run: CI evaluated again now and merged (automerge on)", async () => {
    const pr = await openFactoryPr({ outcome: "failure", delayMs: 100 });
    expect(statesOf(pr.run).at(-1)).toBe("CIFailed");
    e2e.sandbox.sim.pushCommit(pr.repo.owner, pr.repo.repo, "main", {
      ".github/afu9.yml": CONFIG(true),
    });
    const head = pullOf(pr).headSha;
    for (const name of CHECKS) {
      e2e.sandbox.sim.setCheckRun(pr.repo.owner, pr.repo.repo, head, {
        name,
        status: "completed",
        conclusion: "success",
      });
    }
    comment(pr, "/afu9 retry");
    await e2e.sandbox.settle();
    const [run] = commandRuns(pr);
    expect(statesOf(run).at(-1)).toBe("Merged");
    expect(pullOf(pr)).toMatchObject({ merged: true });
    expect(replies(pr).at(-1)).toMatch(/CI is green on `[0-9a-f]{7}`: merging\./);
  });

  test("merge while CI is red: not merged, the reply says what is missing", async () => {
    const pr = await openFactoryPr({ outcome: "failure", delayMs: 100 });
    comment(pr, "/afu9 merge");
    await e2e.sandbox.settle();
    expect(pullOf(pr)).toMatchObject({ state: "open", merged: false });
    expect(replies(pr).at(-1)).toMatch(
      /Not merged: CI failed on `[0-9a-f]{7}` \(`build`, `test`\)/,
    );
  });

  test("help and an unknown word: one reply listing the commands each, no run", async () => {
    const pr = await openFactoryPr();
    comment(pr, "/afu9 help");
    comment(pr, "/afu9 deploy");
    await e2e.sandbox.settle();
    expect(commandRuns(pr)).toEqual([]);
    const [help, unknown] = replies(pr);
    expect(help).toContain("`/afu9 retry`");
    expect(unknown).toContain("`deploy` is not an AFU-9 command.");
    expect(unknown).toContain("`/afu9 stop`");
  });
});

describe("commands in review comments and review bodies", () => {
  test("revise on a diff line: 👀 on the review comment, the reply in its thread, one commit", async () => {
    const pr = await openFactoryPr();
    const before = await prCommits(pr);
    const { id } = e2e.sandbox.sim.addReviewComment(pr.repo.owner, pr.repo.repo, pr.pull, {
      user: MAINTAINER,
      body: REVISE_README,
      path: "README.md",
      line: 5,
      authorAssociation: "MEMBER",
    });
    await e2e.sandbox.settle();
    const [run] = commandRuns(pr);
    expect(commandRuns(pr)).toHaveLength(1);
    expect(run.input.command).toMatchObject({ source: { kind: "review_comment", id } });
    expect(statesOf(run)).toContain("RevisePullRequest");
    expect(await prCommits(pr)).toHaveLength(before.length + 1);
    const reactions = e2e.sandbox.sim.listReactions(pr.repo.owner, pr.repo.repo, {
      kind: "review_comment",
      id,
    });
    expect(reactions.map((r) => r.content)).toEqual(["eyes"]);
    const octokit = await octokitOf(pr.repo);
    const { data: thread } = await octokit.rest.pulls.listReviewComments({
      owner: pr.repo.owner,
      repo: pr.repo.repo,
      pull_number: pr.pull,
    });
    const reply = thread.find((c) => c.in_reply_to_id === id);
    expect(reply?.body).toMatch(/^> `\/afu9 revise` from @demo-maintainer\n\nPushed `[0-9a-f]{7}`/);
  });

  test("merge in a review body (no reaction API there): a reply, then merged", async () => {
    const pr = await openFactoryPr();
    e2e.sandbox.sim.submitReview(pr.repo.owner, pr.repo.repo, pr.pull, {
      user: MAINTAINER,
      state: "COMMENTED",
      body: "/afu9 merge",
      authorAssociation: "MEMBER",
    });
    await e2e.sandbox.settle();
    expect(pullOf(pr)).toMatchObject({ merged: true });
    const texts = replies(pr);
    expect(texts[0]).toContain("Seen: AFU-9 is on it");
    expect(texts.at(-1)).toMatch(/CI is green on `[0-9a-f]{7}`: merging\./);
  });
});

describe("a stranger's command writes nothing and starts nothing", () => {
  test.each(["revise", "retry", "merge", "stop", "help"])("/afu9 %s", async (word) => {
    const pr = await openFactoryPr();
    const { sim } = e2e.sandbox;
    const from = sim.requests.length;
    const text = word === "revise" ? REVISE_README : `/afu9 ${word}`;
    const id = comment(pr, text, STRANGER);
    await e2e.sandbox.settle();
    // The only write is the stranger's own comment (the simulator's arrange API, not a request).
    const writes = sim.requests
      .slice(from)
      .filter((r) => r.method !== "GET" && !r.route.includes(" /app/"));
    expect(writes).toEqual([]);
    expect(commandRuns(pr)).toEqual([]);
    expect(await reactionsOn(pr, id)).toEqual([]);
    expect(replies(pr)).toEqual([]);
    const answer = sim.events.find(
      (e) => e.event === "issue_comment" && (e.payload.comment as { id: number }).id === id,
    );
    expect(answer?.status).toBe(202);
    expect(e2e.sandbox.factory.deliveries()["command-refused"]).toBeGreaterThan(0);
  });
});

/** Waits until the issue's run waits for CI: its PR is open and the head's wait is registered. */
async function waitingForCi(repo: DemoSeed): Promise<void> {
  const octokit = await octokitOf(repo);
  const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  for (let i = 0; i < 500; i += 1) {
    const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
    if (pull && (await e2e.sandbox.factory.runTable.getItem(ciWaitKey(data.id, pull.headSha)))) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the run never waited for CI");
}

describe("commands and the issue's run lock", () => {
  test("stop while the run waits for CI: the waiting run takes it, ends Stopped, the PR stays open and labelled", async () => {
    const repo = newRepository(e2e, { outcome: "success", delayMs: 3000 });
    const issue = fileIssue(e2e, repo, README_TEST_HINT);
    await waitingForCi(repo);
    const [pull] = e2e.sandbox.sim.listPulls(repo.owner, repo.repo);
    const pr: FactoryPr = { repo, issue, pull: pull.number, run: undefined as never };
    comment(pr, "/afu9 stop");
    await e2e.sandbox.settle();
    const runs = executionsOf(e2e, repo, issue);
    expect(runs).toHaveLength(1);
    const states = statesOf(runs[0]);
    expect(states.slice(-5)).toEqual([
      "CheckCIStatus",
      "TakeWakeCommand",
      "RouteCommand",
      "StopRun",
      "Stopped",
    ]);
    expect(pullOf(pr)).toMatchObject({ state: "open", merged: false });
    expect(labelsOf(e2e, repo, pull.number)).toContain(STOPPED_LABEL);
    expect(replies(pr).at(-1)).toContain("Stopped: AFU-9 ended its run on this pull request");
  });

  test("three commands at once: the first runs, the second queues and runs after it, the third is answered busy", async () => {
    const pr = await openFactoryPr();
    // The first command's run holds the issue's lock while the others arrive.
    let held: (() => void) | undefined;
    const release = new Promise<void>((resolve) => (held = resolve));
    e2e.setTaskWrapper((tasks) => ({
      ...tasks,
      [LOCAL_FUNCTION_ARNS.ciFeedback]: (async (event) => {
        if (event.action === "answerCommand" && event.state.command?.name === "retry") {
          await release;
        }
        return tasks[LOCAL_FUNCTION_ARNS.ciFeedback](event);
      }) as TaskFunction,
    }));
    comment(pr, "/afu9 retry");
    comment(pr, "/afu9 merge");
    comment(pr, "/afu9 stop");
    await e2e.sandbox.sim.waitForWebhooks();
    for (
      let i = 0;
      i < 400 && commandRuns(pr).filter((e) => e.status !== "RUNNING").length < 2;
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    held!();
    await e2e.sandbox.settle();

    const runs = commandRuns(pr);
    const byCommand = (name: string) => runs.filter((e) => e.input.command?.name === name);
    const [retry] = byCommand("retry");
    const merges = byCommand("merge");
    const [stop] = byCommand("stop");
    expect(allStatesOf(stop).at(-1)).toBe("CommandBusy");
    // The queued merge: its own execution ended at the lock, the follow-up ran it after retry.
    expect(allStatesOf(merges[0]).at(-1)).toBe("CommandQueued");
    const followUp = merges.find((e) => e.name.endsWith("-f"))!;
    expect(followUp).toBeDefined();
    expect(statesOf(retry).at(-1)).toBe("Merged");
    expect(statesOf(followUp).at(-1)).toBe("Merged");
    const retryEnd = retry.startDate.getTime() + (retry.report?.durationMs ?? 0);
    expect(followUp.startDate.getTime()).toBeGreaterThanOrEqual(retryEnd - 50);
    expect(pullOf(pr)).toMatchObject({ merged: true });
    const texts = replies(pr);
    expect(texts.find((t) => t.startsWith("> `/afu9 stop`"))).toContain(
      "Not queued: AFU-9 is busy",
    );
    expect(texts.find((t) => t.startsWith("> `/afu9 retry`"))).toContain("automerge is off");
    expect(texts.find((t) => t.startsWith("> `/afu9 merge`"))).toMatch(/merging\./);
  });

  test("state coverage: the command states were visited by the scenarios above", () => {
    const visited = new Set(e2e.sandbox.factory.executions().flatMap(allStatesOf));

    expect(COMMAND_STATES.filter((s) => !visited.has(s))).toEqual([]);
  });
});

defineLockFreeAfterEachEnd(() => e2e, COMMAND_END_STATES);
