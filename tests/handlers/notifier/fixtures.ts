// Final state documents of the runs the notifier reports on, shaped as the workflow leaves them.
import type { RunEnd } from "../../../contract/run-outcome";
import type { CiFailure, ExecutionInput, WorkflowState } from "../../../contract/state";

export const INPUT: ExecutionInput = {
  delivery: { id: "d-1", event: "issues", action: "labeled", label: "afu9" },
  installationId: 7,
  repository: { id: 1, owner: "acme", name: "web", defaultBranch: "main" },
  issue: {
    number: 42,
    title: "Fix the *greeting* <!channel> [click](https://evil.example)",
    textSha256: "0".repeat(64),
    user: "dev",
    authorAssociation: "MEMBER",
    labels: ["afu9"],
  },
  sender: { login: "dev", id: 9 },
  settings: {
    dryRun: false,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 1800,
    ciNoChecksGraceSeconds: 300,
  },
};

const PR = {
  number: 43,
  url: "https://github.com/acme/web/pull/43",
  branch: "afu9/issue-42",
  headSha: "abc",
  created: true,
  openedAt: "2026-01-01T00:00:00Z",
};

export function failures(n: number, summaryLength = 80): CiFailure[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: "check" as const,
    name: `check-${i} <b>`,
    conclusion: "failure",
    summary: "x".repeat(summaryLength),
    url: `https://github.com/acme/web/runs/${i}`,
  }));
}

export function succeeded(extra: Partial<WorkflowState>): RunEnd {
  return { status: "SUCCEEDED", state: { ...INPUT, pr: PR, ...extra } };
}

export const MERGED = succeeded({
  ci: {
    outcome: "success",
    headSha: "abc",
    headIsPatchCommit: true,
    failures: [],
    pendingChecks: [],
  },
  merge: { outcome: "merged", sha: "def" },
});

export const CI_FAILED = succeeded({
  ci: {
    outcome: "failure",
    headSha: "abc",
    headIsPatchCommit: true,
    failures: failures(2),
    pendingChecks: [],
  },
});
