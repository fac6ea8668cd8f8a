// The state document: what the webhook starts an execution with and what each state adds.
// Everything here travels through Step Functions state, so it stays small (256 KiB cap):
// never file contents, never payloads beyond what later states need.

/** Stack-level settings the webhook copies into every execution (from Pulumi stack config). */
export interface FactorySettings {
  /** Stack-wide dry run: no merge, no branch writes; comments say what would happen. */
  dryRun: boolean;
  /** Seconds between CI polls (WaitForCI). */
  ciPollSeconds: number;
  /** Longest time CI may stay pending before PostTimeout. */
  ciMaxWaitSeconds: number;
  /** How long "no checks and no statuses at all" counts as pending before outcome `no-ci`. */
  ciNoChecksGraceSeconds: number;
}

/**
 * How WaitForCI waits (stack config `ciWaitMode`): `events` is a task token that the CI webhook
 * events resume, with an evaluation anyway after a fallback timeout; `poll` a Wait per poll.
 */
export type CiWaitMode = "events" | "poll";

/** What the webhook handler starts an execution with. */
export interface ExecutionInput {
  delivery: {
    id: string;
    event: string;
    action: string;
    /** issues.labeled / issues.unlabeled only: the label's name (payload `label.name`). The
     *  interpreter needs it to know a run was started by the trigger label being applied. */
    label?: string;
    /**
     * Epoch seconds at which the webhook accepted the delivery: the run lock's clock (its expiry
     * and the takeover of an expired lock are measured from it). The webhook always sets it
     * (optional here only for handler tests that build inputs by hand); the run lock needs it.
     */
    receivedAt?: number;
    /**
     * SHA-256 (hex) of what a run acts on: issue title, body and labels, the sender and the
     * comment. A delivery arriving during a run with the same fingerprint needs no follow-up run.
     * Set by the webhook, like receivedAt.
     */
    fingerprint?: string;
  };
  installationId: number;
  repository: { id: number; owner: string; name: string; defaultBranch: string };
  /**
   * The issue by reference: the body is read from GitHub by the tasks that need it (it may be far
   * larger than the 256 KiB execution input); `textSha256` is the hash of title and body as
   * delivered (handlers/shared/issue-text.ts), what the trust rule compares the current text with.
   */
  issue: {
    number: number;
    /** As delivered; GitHub caps titles at 256 characters. */
    title: string;
    textSha256: string;
    user: string;
    authorAssociation: string;
    labels: string[];
  };
  sender: { login: string; id: number };
  /** A run started by a `/afu9` command on the issue's factory PR. */
  command?: PullRequestCommand;
  /** Only for issue_comment deliveries: the comment that triggered the run (by reference). */
  comment?: { id: number; user: string; authorAssociation: string };
  settings: FactorySettings;
}

export type IssueType = "bug" | "feature" | "docs" | "chore" | "question" | "security";
export type Priority = "P0" | "P1" | "P2" | "P3";
export type MergeMethod = "merge" | "squash" | "rebase";

/** Validated `.github/afu9.yml` of the repository (defaults filled in). */
export interface RepoConfig {
  enabled: boolean;
  triggerLabel: string;
  autoTriggerForWriters: boolean;
  labelMapping: Record<string, IssueType>;
  applyLabels: boolean;
  /** `automerge: true|false`, or the mapping form's `enabled` (on unless `enabled: false`). */
  automerge: boolean;
  /**
   * `automerge: { requireApproval: true }`: merge only after an approving review of the current
   * head by someone with write, maintain or admin permission (parsing always fills it; absent in
   * a hand-built config means false).
   */
  requireApproval?: boolean;
  mergeMethod: MergeMethod;
  deleteBranchAfterMerge: boolean;
  mergeWithoutCi: boolean;
  protectedPaths: string[];
  limits: { files: number; lines: number };
  dryRun: boolean;
  /** Self-repair on red CI: at most this many repair commits per run (0 disables). */
  repair?: { maxRounds: number };
  /** Which run outcomes go to which of the stack's notification destinations (absent: defaults). */
  notify?: NotifyConfig;
}

/** Run outcomes a repository can have notified (contract/run-outcome.ts derives them). */
export type NotifyOutcome =
  "merged" | "ci-failed" | "repair-exhausted" | "timed-out" | "needs-approval" | "failed";

/** `notify:` of `.github/afu9.yml`. */
export interface NotifyConfig {
  enabled: boolean;
  /** Outcomes sent to every stack destination (when `destinations` is not set). */
  outcomes: NotifyOutcome[];
  /**
   * Per destination (a name from the stack's notification config) its own outcomes; an empty
   * list silences that destination. When set, only the named destinations are used.
   */
  destinations?: Record<string, NotifyOutcome[]>;
}

export type PatchStrategyName = "unified-diff" | "edit-instructions" | "ai";

export interface PatchPlan {
  strategy: PatchStrategyName;
  /** Repository paths the strategy will touch (or, without a strategy, the likely ones). */
  files: string[];
}

/** AnalyzeIssue result, at `$.analysis`. */
export interface Analysis {
  type: IssueType;
  priority: Priority;
  actionable: boolean;
  reasons: string[];
  plan: PatchPlan | null;
  /** Repository config in force for this run (null when the repo has none / it was invalid). */
  config: RepoConfig | null;
  /**
   * Present only when red CI may be repaired: AI is on for the stack and the repository allows
   * at least one round (`repair.maxRounds` in .github/afu9.yml).
   */
  repair?: { maxRounds: number };
  /** Hash of the issue text this analysis read: GeneratePatch acts only on that same text. */
  textSha256: string;
  /**
   * Present (true) only when this run is a dry run (the stack's `dryRun` or the repository's):
   * CheckPatchValid then sends a valid patch to DescribeDryRun instead of CreatePullRequest.
   */
  dryRun?: true;
}

export interface FileChangeSummary {
  path: string;
  change: "added" | "modified" | "deleted" | "renamed";
  previousPath?: string;
  additions: number;
  deletions: number;
}

/** GeneratePatch result, at `$.patch`. The commit exists in GitHub, unreferenced. */
export interface PatchResult {
  commitSha: string;
  baseSha: string;
  strategy: PatchStrategyName;
  files: FileChangeSummary[];
  usage?: { calls: number; inputTokens: number; outputTokens: number };
}

export interface Violation {
  rule: string;
  path?: string;
  message: string;
}

/** ValidatePatch result, at `$.validation`. */
export interface ValidationResult {
  valid: boolean;
  violations: Violation[];
  /**
   * Present only when the default branch moved after GeneratePatch and ValidatePatch regenerated
   * the patch on the new head: this commit supersedes `$.patch` (CreatePullRequest uses it).
   */
  patch?: PatchResult;
}

/** CreatePullRequest result, at `$.pr`. */
export interface PullRequestRef {
  number: number;
  url: string;
  branch: string;
  headSha: string;
  created: boolean;
  /** ISO time the factory opened (or first reused) the PR; CI waiting counts from here. */
  openedAt: string;
  /**
   * Dry run: no branch and no PR were created (number 0, url ""); the PR creator commented what
   * it would do, and the CI states then end the run without further writes.
   */
  dryRun?: true;
}

export type CiOutcome = "success" | "failure" | "pending" | "no-ci" | "timeout";

export interface CiFailure {
  kind: "check" | "status";
  name: string;
  conclusion: string;
  summary?: string;
  url?: string;
}

/** ProcessCIFeedback result, at `$.ci`. */
export interface CiEvaluation {
  outcome: CiOutcome;
  headSha: string;
  /** false when someone else pushed to the branch: CI is evaluated, auto-merge is off. */
  headIsPatchCommit: boolean;
  failures: CiFailure[];
  pendingChecks: string[];
  /**
   * Set on outcome "success" when nothing reported CI for the commit after the grace period and
   * the repo config allows merging without CI (`mergeWithoutCi: true`).
   */
  withoutCi?: true;
  /**
   * The review gate, read when CI is green (also on the `timeout` it turns into when the gate
   * still blocks at the CI bound). Absent: CI was not green, so reviews were not read.
   */
  approval?: ApprovalEvaluation;
}

/**
 * What the pull request's reviews allow, counting only the latest review of each person with
 * write, maintain or admin permission (never a bot's):
 * - `approved`: an approval of the current head counts and no one requests changes;
 * - `not-required`: no approval is required and no one requests changes;
 * - `missing`: `requireApproval` is on and no approval of the current head counts;
 * - `changes-requested`: someone's latest review requests changes (blocks with or without
 *   `requireApproval`, until that person approves or the review is dismissed).
 */
export interface ApprovalEvaluation {
  state: "approved" | "not-required" | "missing" | "changes-requested";
  required: boolean;
  approvedBy: string[];
  changesRequestedBy: string[];
  /** Latest reviews that approved an older commit: they do not count for the current head. */
  staleApprovalsBy: string[];
}

/**
 * AutoMerge result, at `$.merge`. `head-moved` and `waiting` (the review gate does not allow the
 * merge yet) send the run back to WaitForCI.
 */
export interface MergeResult {
  outcome: "merged" | "dry-run" | "disabled" | "not-mergeable" | "head-moved" | "waiting";
  sha?: string;
  reason?: string;
}

/** Why the repair loop ended without a green CI (the feedback comment says it in words). */
export type RepairStop =
  | "rounds-used-up"
  | "same-failure"
  | "budget"
  | "tests-weakened"
  | "refused"
  | "no-usable-edits"
  | "no-evidence";

/** One repair round: what failed, what the repair commit changed, what the model cost. */
export interface RepairRound {
  round: number;
  /** Short hash of the failure (failing checks, annotations, error lines). */
  signature: string;
  /** The failing checks and statuses, by name (at most 10). */
  failed: string[];
  /** Paths the repair commit changed (empty when nothing was pushed). */
  files: string[];
  tokens: number;
  calls: number;
  /** The repair commit (absent when the round stopped before pushing). */
  commitSha?: string;
}

/** RepairPatch result, at `$.repair`. Small: names, hashes and counts, never logs or contents. */
export interface RepairState {
  outcome: "pushed" | "stopped";
  rounds: RepairRound[];
  /** The latest repair commit on the PR branch (what CI evaluates next). */
  headSha?: string;
  stop?: RepairStop;
  /** One sentence on why the loop stopped. */
  stopReason?: string;
  /** Model usage of the first patch plus every round: the per-issue budget's count. */
  usage: { calls: number; inputTokens: number; outputTokens: number };
  /** The budget that applies to `usage`. */
  budget: { maxCalls: number; maxTokens: number };
}

/** The `/afu9` commands a maintainer can give on a factory PR. */
export type PullRequestCommandName = "revise" | "retry" | "merge" | "stop" | "help";

/**
 * A `/afu9` command from a person whose repository permission (read through the API) is write,
 * maintain or admin. It travels by reference, like the issue: `args` is what followed the
 * command word, capped by the webhook; the task that acts on it re-reads the comment.
 */
export interface PullRequestCommand {
  name: PullRequestCommandName;
  /** The word as written when it is not a known command (`help` answers it). */
  word?: string;
  args: string;
  by: string;
  pullNumber: number;
  /** Where it was written: a comment on the PR, a review comment (diff line) or a review body. */
  source: { kind: "issue_comment" | "review_comment" | "review"; id: number };
}

/**
 * What resumes WaitForCI's task token, at `$.ciWake` (the webhook sends it with SendTaskSuccess;
 * the fallback timeout's catch puts the error there instead). `source` is the event that woke
 * the run: a CI event name, `pull_request_review`, or `command`.
 */
export interface CiWake {
  source: string;
  headSha?: string;
  deliveryId?: string;
  /** `source: "command"` only: the command the waiting run acts on now (retry, merge, stop). */
  command?: PullRequestCommand;
}

/**
 * RevisePullRequest result, at `$.revision`: `/afu9 revise` pushed one commit on the PR branch,
 * or refused (nothing usable, or the change broke a ValidatePatch rule) with a reply saying why.
 */
export interface RevisionResult {
  outcome: "pushed" | "refused";
  /** How the change was made: the comment's diff or SEARCH/REPLACE blocks, or the model. */
  strategy?: PatchStrategyName;
  /** The revision commit (outcome pushed): AFU-9's own head from now on. */
  headSha?: string;
  /** Paths the revision commit changed (empty when refused). */
  files: string[];
  /** One sentence on why nothing was pushed (outcome refused). */
  reason?: string;
  usage?: { calls: number; inputTokens: number; outputTokens: number };
}

/** The error Step Functions' Catch puts at `$.error`. */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

/** The whole state document as it grows through the workflow. */
export interface WorkflowState extends ExecutionInput {
  analysis?: Analysis;
  patch?: PatchResult;
  /** GeneratePatch refused the issue's change (PATCH_REFUSAL_ERRORS): ValidatePatch reports it. */
  patchRefusal?: CaughtError;
  validation?: ValidationResult;
  pr?: PullRequestRef;
  ci?: CiEvaluation;
  /** The CI loop's count (StartCIWait, CountCIPoll). */
  ciWait?: { polls: number };
  /** What resumed the last CI wait (absent before the first). */
  ciWake?: CiWake | CaughtError;
  merge?: MergeResult;
  repair?: RepairState;
  revision?: RevisionResult;
  /** StopRun's result: `/afu9 stop` ended the run (the PR stays open, labelled). */
  stopped?: { by: string };
  error?: CaughtError;
}
