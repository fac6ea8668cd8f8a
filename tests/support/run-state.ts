// State documents the task handlers receive, built the way the webhook and AnalyzeIssue build
// them, so a test states only what it is about (its issue, its analysis) and nothing drifts.
import type {
  Analysis,
  ExecutionInput,
  FactorySettings,
  WorkflowState,
} from "../../contract/state";
import { issueTextSha256 } from "../../handlers/shared/issue-text";
import { defaultRepoConfig } from "../../handlers/shared/repo-config";

/** Stack settings as the dev stack ships them (no dry run, CI waited for up to an hour). */
export const TEST_SETTINGS: FactorySettings = {
  dryRun: false,
  ciPollSeconds: 60,
  ciMaxWaitSeconds: 3600,
  ciNoChecksGraceSeconds: 300,
};

export interface RunInputSpec {
  installationId?: number;
  repository?: Partial<ExecutionInput["repository"]>;
  issue: { number: number; title: string; body?: string | null; labels?: string[] };
  /** Who opened the issue (and sent the delivery); default alice, the repository's OWNER. */
  author?: { login: string; association: string };
  /** Who sent the delivery (applied the label), when not the author. */
  sender?: string;
  delivery?: Partial<ExecutionInput["delivery"]>;
  settings?: Partial<FactorySettings>;
}

/** What the webhook starts an execution with for this issue. */
export function runInput(spec: RunInputSpec): ExecutionInput {
  const author = spec.author ?? { login: "alice", association: "OWNER" };
  return {
    delivery: {
      id: `d-${spec.issue.number}`,
      event: "issues",
      action: "labeled",
      ...spec.delivery,
    },
    installationId: spec.installationId ?? 1,
    repository: {
      id: 1,
      owner: "acme",
      name: "widgets",
      defaultBranch: "main",
      ...spec.repository,
    },
    issue: {
      number: spec.issue.number,
      title: spec.issue.title,
      textSha256: issueTextSha256(spec.issue.title, spec.issue.body ?? ""),
      user: author.login,
      authorAssociation: author.association,
      labels: spec.issue.labels ?? ["afu9"],
    },
    sender: { login: spec.sender ?? author.login, id: 1 },
    settings: { ...TEST_SETTINGS, ...spec.settings },
  };
}

/** The state after AnalyzeIssue found the issue actionable (a bug with a diff, by default). */
export function analysedState(
  spec: RunInputSpec & { analysis?: Partial<Analysis> },
): WorkflowState {
  const input = runInput(spec);
  return {
    ...input,
    analysis: {
      type: "bug",
      priority: "P2",
      actionable: true,
      reasons: [],
      plan: { strategy: "unified-diff", files: [] },
      config: defaultRepoConfig(),
      textSha256: input.issue.textSha256,
      ...spec.analysis,
    },
  };
}
