// Test harness for the PR and CI states against the local GitHub simulator: a repository with an
// open issue, a patch commit made through the Git Data API (as the patch generator makes it), the
// real client factory, a controllable clock, and the real lambda.ts handlers.
import type { Octokit } from "@octokit/rest";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import { createCiFeedbackHandler } from "../../../handlers/ci-feedback/lambda";
import { createPrCreatorHandler } from "../../../handlers/pr-creator/lambda";
import type { Clock, TaskDeps } from "../../../handlers/shared/types";
import type {
  CiEvaluation,
  MergeResult,
  PatchResult,
  PullRequestRef,
  RepoConfig,
  WorkflowState,
} from "../../../contract/state";
import type { TaskAction } from "../../../contract/task-actions";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { analysedState } from "../../support/run-state";
import { SILENT_LOGGER } from "../../support/task-deps";

export const OWNER = "acme";
export const REPO = "widgets";

export const BASE_FILES: Record<string, string> = {
  "README.md": "# widgets\n",
  "src/math.ts": "export function add(a: number, b: number): number {\n  return a - b;\n}\n",
};

export function repoConfig(overrides: Partial<RepoConfig> = {}): RepoConfig {
  return {
    enabled: true,
    triggerLabel: "afu9",
    autoTriggerForWriters: false,
    labelMapping: { bug: "bug", enhancement: "feature" },
    applyLabels: true,
    automerge: true,
    mergeMethod: "squash",
    deleteBranchAfterMerge: true,
    mergeWithoutCi: false,
    protectedPaths: [],
    limits: { files: 10, lines: 500 },
    dryRun: false,
    ...overrides,
  };
}

export interface FakeClock extends Clock {
  advance(seconds: number): void;
  sleeps: number[];
}

export function fakeClock(start = Date.parse("2026-11-26T12:00:00Z")): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance(seconds: number) {
      now += seconds * 1000;
    },
    sleeps,
  };
}

export interface Harness {
  sim: GitHubSimulator;
  octokit: Octokit;
  deps: TaskDeps;
  clock: FakeClock;
  issueNumber: number;
  state: WorkflowState;
  pr(state: WorkflowState): Promise<PullRequestRef>;
  ci(action: TaskAction, state: WorkflowState): Promise<unknown>;
  evaluate(state: WorkflowState): Promise<CiEvaluation>;
  merge(state: WorkflowState): Promise<MergeResult>;
  /** Commits `files` on top of `parent` through the Git Data API (unreferenced). */
  commit(parent: string, files: Record<string, string>, message?: string): Promise<string>;
  /** Requests logged since the mark; `writes()` filters to non-GET. */
  since(mark: number): GitHubSimulator["requests"];
  writesSince(mark: number): string[];
  mark(): number;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    config?: RepoConfig | null;
    dryRun?: boolean;
    patchFiles?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const sim = await startGitHubSimulator();
  const installation = sim.createInstallation(OWNER);
  const repo = sim.createRepository({
    owner: OWNER,
    name: REPO,
    installationId: installation.id,
    files: BASE_FILES,
  });
  const issue = sim.createIssue(OWNER, REPO, {
    title: "add() subtracts",
    body: "add(1, 2) returns -1",
    user: "alice",
    labels: ["bug"],
  });
  const github = simulatorClientFactory(sim, { retry: { baseDelayMs: 20 } });
  const clock = fakeClock();
  const deps: TaskDeps = { github, clock, logger: SILENT_LOGGER };
  const octokit = await github(installation.id);

  async function commit(parent: string, files: Record<string, string>, message = "AFU-9 patch") {
    const { data: parentCommit } = await octokit.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: parent,
    });
    const { data: tree } = await octokit.rest.git.createTree({
      owner: OWNER,
      repo: REPO,
      base_tree: parentCommit.tree.sha,
      tree: Object.entries(files).map(([path, content]) => ({
        path,
        mode: "100644" as const,
        type: "blob" as const,
        content,
      })),
    });
    const { data } = await octokit.rest.git.createCommit({
      owner: OWNER,
      repo: REPO,
      message,
      tree: tree.sha,
      parents: [parent],
    });
    return data.sha;
  }

  const patchFiles = options.patchFiles ?? {
    "src/math.ts": "export function add(a: number, b: number): number {\n  return a + b;\n}\n",
  };
  const commitSha = await commit(repo.headSha, patchFiles);
  const patch: PatchResult = {
    commitSha,
    baseSha: repo.headSha,
    strategy: "unified-diff",
    files: [{ path: "src/math.ts", change: "modified", additions: 1, deletions: 1 }],
  };
  const state: WorkflowState = {
    ...analysedState({
      installationId: installation.id,
      repository: { id: repo.id, owner: OWNER, name: REPO, defaultBranch: repo.defaultBranch },
      issue: { number: issue.number, title: issue.title, body: issue.body, labels: ["bug"] },
      delivery: { id: "delivery-1", action: "opened" },
      settings: { dryRun: options.dryRun ?? false },
      analysis: {
        reasons: ["the issue carries a diff"],
        plan: { strategy: "unified-diff", files: ["src/math.ts"] },
        config: options.config === undefined ? repoConfig() : options.config,
        // As AnalyzeIssue marks a dry run (the stack's or the repository's).
        ...(options.dryRun ? { dryRun: true as const } : {}),
      },
    }),
    patch,
    validation: { valid: true, violations: [] },
  };

  const prHandler = createPrCreatorHandler(deps);
  const ciHandler = createCiFeedbackHandler(deps);
  const since = (mark: number) => sim.requests.slice(mark);
  return {
    sim,
    octokit,
    deps,
    clock,
    issueNumber: issue.number,
    state,
    pr: (s) => prHandler({ action: "createPullRequest", state: s }),
    ci: (action, s) => ciHandler({ action, state: s }),
    evaluate: async (s) => (await ciHandler({ action: "evaluate", state: s })) as CiEvaluation,
    merge: async (s) => (await ciHandler({ action: "merge", state: s })) as MergeResult,
    commit,
    since,
    writesSince: (mark) =>
      since(mark)
        .filter((r) => r.method !== "GET" && !r.route.includes("/access_tokens"))
        .map((r) => `${r.route} ${r.status}`),
    mark: () => sim.requests.length,
    close: () => sim.close(),
  };
}

/** AFU-9's marked comments (kind) on an issue or PR. */
export function markedComments(h: Harness, issueNumber: number, kind: string) {
  return h.sim
    .listIssueComments(OWNER, REPO, issueNumber)
    .filter((c) => c.body.includes(`<!-- afu9:${kind} -->`));
}
