// The simulator's in-memory GitHub: plain data, one store per simulator instance.
export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface Person {
  name: string;
  email: string;
  date: string;
}

export type GitObject =
  | { type: "blob"; sha: string; content: Buffer }
  | { type: "tree"; sha: string; entries: TreeEntry[] }
  | {
      type: "commit";
      sha: string;
      tree: string;
      parents: string[];
      message: string;
      author: Person;
      committer: Person;
    };

export interface TreeEntry {
  name: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
}

/** Timeline entries GitHub keeps for an issue (GET .../issues/{n}/events). */
export interface IssueEventState {
  id: number;
  event: "labeled" | "unlabeled" | "renamed" | "closed" | "reopened" | "locked" | "unlocked";
  actor: string;
  createdAt: string;
  label?: string;
  rename?: { from: string; to: string };
}

export interface IssueState {
  number: number;
  id: number;
  title: string;
  body: string;
  user: string;
  authorAssociation: string;
  state: "open" | "closed";
  stateReason: string | null;
  locked: boolean;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  isPull: boolean;
  events: IssueEventState[];
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  authorAssociation: string;
  createdAt: string;
  updatedAt: string;
}

/** A submitted (or the App's pending) pull request review; REST states are upper case. */
export interface ReviewState {
  id: number;
  pullNumber: number;
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  body: string;
  /** The PR's head SHA when the review was submitted. */
  commitId: string;
  submittedAt: string | null;
  authorAssociation: string;
}

/** A comment on a line of a pull request's diff; every one belongs to a review. */
export interface ReviewCommentState {
  id: number;
  pullNumber: number;
  reviewId: number;
  /** The thread's first comment, for replies. */
  inReplyTo: number | null;
  user: string;
  body: string;
  path: string;
  line: number | null;
  commitId: string;
  diffHunk: string;
  authorAssociation: string;
  createdAt: string;
  updatedAt: string;
}

export type ReactionContent =
  "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** A reaction on an issue comment or a review comment. */
export interface ReactionState {
  id: number;
  kind: "issue_comment" | "review_comment";
  subjectId: number;
  user: string;
  content: ReactionContent;
  createdAt: string;
}

/** The active repository ruleset's rules for one branch (one ruleset per branch here). */
export interface BranchRulesState {
  rulesetId: number;
  requiredChecks: string[];
  /** pull_request rule's required_approving_review_count; undefined: no pull_request rule. */
  requiredApprovals?: number;
}

export interface PullState {
  number: number;
  id: number;
  head: string;
  base: string;
  /** Head SHA frozen at close/merge; while open the branch ref is the truth. */
  headSha: string;
  baseSha: string;
  draft: boolean;
  maintainerCanModify: boolean;
  /** Reads left that report mergeability as still being computed (after a head/base change). */
  mergeableComputingReads: number;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
}

export interface StatusState {
  id: number;
  sha: string;
  context: string;
  state: "pending" | "success" | "failure" | "error";
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

export interface CheckRunState {
  id: number;
  suiteId: number;
  headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  /** Annotations written with the output (GET .../check-runs/{id}/annotations lists them). */
  annotations?: CheckAnnotation[];
  /** "github-actions" for runs GitHub Actions writes (their id is the job id). */
  appSlug?: string;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface CiProgram {
  checks: string[];
  outcome: "success" | "failure";
  delayMs: number;
  /**
   * Content rules: the named check fails while the file still contains the marker, with check
   * output, an annotation at the marker's line and a job log; otherwise it succeeds. Checks
   * without a rule conclude with `outcome`.
   */
  rules?: CiContentRule[];
}

export interface CiContentRule {
  check: string;
  path: string;
  failWhileContains: string;
  /** What the failing check reports (output text, annotation and `##[error]` log line). */
  message: string;
  /** Further lines of the job log (before the error line), as a test runner would print them. */
  logLines?: string[];
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  installationId: number;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  objects: Map<string, GitObject>;
  /** "heads/main" -> sha */
  refs: Map<string, string>;
  issues: Map<number, IssueState>;
  pulls: Map<number, PullState>;
  comments: Map<number, CommentState>;
  labels: Map<string, LabelState>;
  statuses: StatusState[];
  checkRuns: Map<number, CheckRunState>;
  checkSuites: Map<string, number>;
  permissions: Map<string, Permission>;
  requiredChecks: Map<string, string[]>;
  /** Repository ruleset rules by branch name (GET .../rules/branches/{branch}). */
  rulesets: Map<string, BranchRulesState>;
  reviews: Map<number, ReviewState>;
  reviewComments: Map<number, ReviewCommentState>;
  reactions: ReactionState[];
  ci?: CiProgram;
  /** GitHub Actions job logs by job id (= check run id). */
  jobLogs?: Map<number, string>;
  /** Extension: scripted CI for one branch, instead of the repository's program. */
  ciByBranch: Map<string, CiProgram>;
  nextNumber: number;
}

export interface InstallationState {
  id: number;
  account: string;
  accountId: number;
}

export interface Store {
  app: { id: number; slug: string; name: string; owner: string };
  installations: Map<number, InstallationState>;
  tokens: Map<string, { installationId: number; expiresAt: number }>;
  repos: Map<string, RepoState>;
  users: Map<string, number>;
  /** Archive downloads handed out by the tarball route (302 to /_codeload/<token>). */
  archives: Map<string, { repoKey: string; commitSha: string; expiresAt: number }>;
  nextId: number;
}

export function createStore(appId: number, slug: string): Store {
  return {
    app: { id: appId, slug, name: slug, owner: "afu9-sim" },
    installations: new Map(),
    tokens: new Map(),
    repos: new Map(),
    users: new Map(),
    archives: new Map(),
    nextId: 1000,
  };
}

/** Ids are unique across the whole store (GitHub ids are global too). */
export function nextId(store: Store): number {
  store.nextId += 1;
  return store.nextId;
}

export function userId(store: Store, login: string): number {
  let id = store.users.get(login.toLowerCase());
  if (id === undefined) {
    id = nextId(store);
    store.users.set(login.toLowerCase(), id);
  }
  return id;
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
