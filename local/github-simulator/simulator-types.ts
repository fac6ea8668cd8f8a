// The simulator's programmatic API types (the base API, plus extensions marked "Extension").
import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { RepositoryViewApi } from "./api/repository-view";
import type { FaultSpec } from "./faults";
import type { RecordedRequest } from "./http/server";
import type { CiProgram, Permission } from "./state/store";
import type { EmittedEvent, WebhookTarget } from "./webhooks";

export type IssueRestObject = RestEndpointMethodTypes["issues"]["get"]["response"]["data"];

/** An issue a person opens (`createIssue`; the issues route builds its state from it too). */
export interface NewIssue {
  title: string;
  body: string;
  user: string;
  labels?: string[];
  authorAssociation?: string;
}

export interface GitHubSimulatorOptions {
  /** Default 0 = random; the server always listens on 127.0.0.1. */
  port?: number;
  /** Test mode (default true): every JSON response is checked against GitHub's schema (500 if not). */
  validateResponses?: boolean;
  /** Signed deliveries for repository events. */
  webhooks?: WebhookTarget;
  /** Clock for JWT / token expiry checks and timestamps (default Date.now). */
  now?: () => number;
  /**
   * Extension: how many reads of a PR answer `mergeable: null` ("computing") after it is opened
   * or its head/base branch moves, as GitHub does in the background. Default 0 (always known).
   */
  mergeableComputeReads?: number;
  appId?: number;
  appSlug?: string;
}

export interface SimCheckRun {
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?: string;
  output?: { title?: string; summary?: string };
  details_url?: string;
}

export interface GitHubSimulator extends RepositoryViewApi {
  url: string;
  app: { id: number; slug: string; privateKey: string };
  createInstallation(account: string): { id: number };
  createRepository(input: {
    owner: string;
    name: string;
    installationId: number;
    defaultBranch?: string;
    files: Record<string, string>;
    private?: boolean;
  }): { id: number; owner: string; name: string; defaultBranch: string; headSha: string };
  setPermission(owner: string, repo: string, login: string, permission: Permission): void;
  createIssue(owner: string, repo: string, input: NewIssue): IssueRestObject;
  addLabel(owner: string, repo: string, issueNumber: number, label: string, actor: string): void;
  /** Extension: a person edits an issue's title or body (emits issues.edited, sender = actor). */
  editIssue(
    owner: string,
    repo: string,
    issueNumber: number,
    edit: { title?: string; body?: string },
    actor: string,
  ): void;
  /** Extension: a person comments on an issue or PR (emits issue_comment.created). */
  addComment(
    owner: string,
    repo: string,
    issueNumber: number,
    input: { body: string; user: string; authorAssociation?: string },
  ): { id: number };
  /** Extension: a person pushes a commit to a branch (creates the branch from default if new). */
  pushCommit(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    message?: string,
  ): string;
  setCheckRun(owner: string, repo: string, sha: string, run: SimCheckRun): void;
  setStatus(
    owner: string,
    repo: string,
    sha: string,
    status: {
      context: string;
      state: "pending" | "success" | "failure" | "error";
      description?: string;
      target_url?: string;
    },
  ): void;
  /** With `branch`: only commits pushed to that branch (extension; e.g. one issue's branch). */
  programCi(owner: string, repo: string, program: CiProgram, options?: { branch?: string }): void;
  setRequiredChecks(owner: string, repo: string, branch: string, contexts: string[]): void;
  /**
   * Extension: the repository ruleset for `branch` requires these status checks (GET
   * .../rules/branches/{branch} + merge gate); `[]` removes the rule.
   */
  setRulesetRequiredChecks(owner: string, repo: string, branch: string, contexts: string[]): void;
  /**
   * Extension: the ruleset's pull_request rule requires `count` approving reviews by people with
   * write access (0..10); `null` removes the rule.
   */
  setRulesetRequiredApprovals(
    owner: string,
    repo: string,
    branch: string,
    count: number | null,
  ): void;
  /**
   * Extension: a person reviews a PR at its current head (emits pull_request_review.submitted,
   * sender = user).
   */
  submitReview(
    owner: string,
    repo: string,
    pullNumber: number,
    input: {
      user: string;
      state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
      body?: string;
      authorAssociation?: string;
    },
  ): { id: number };
  /**
   * Extension: a person comments on a line of a PR's diff (emits
   * pull_request_review_comment.created, then pull_request_review.submitted of its review).
   */
  addReviewComment(
    owner: string,
    repo: string,
    pullNumber: number,
    input: { user: string; body: string; path: string; line?: number; authorAssociation?: string },
  ): { id: number };
  /** Extension: reviews of a PR in submission order. */
  listReviews(
    owner: string,
    repo: string,
    pullNumber: number,
  ): Array<{ id: number; user: string; state: string; body: string; commitId: string }>;
  /** Extension: reactions on an issue comment or a review comment, oldest first. */
  listReactions(
    owner: string,
    repo: string,
    subject: { kind: "issue_comment" | "review_comment"; id: number },
  ): Array<{ id: number; content: string; user: string }>;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests: RecordedRequest[];
  /** Extension: every event emitted (delivered or not), with delivery status. */
  events: EmittedEvent[];
  /** Extension: resolves when all webhook deliveries so far were answered. */
  waitForWebhooks(): Promise<void>;
  /** Extension (fault): the next `count` deliveries of these events are lost (never sent). */
  dropWebhooks(spec: { events: string[]; count: number }): void;
  getRef(owner: string, repo: string, ref: string): string | undefined;
  readTree(owner: string, repo: string, commitSha: string): Record<string, string>;
  listIssueComments(
    owner: string,
    repo: string,
    issueNumber: number,
  ): Array<{ id: number; body: string; user: string }>;
  listPulls(
    owner: string,
    repo: string,
  ): Array<{ number: number; head: string; state: string; merged: boolean; headSha: string }>;
  /** Extension: the issue as the REST API renders it (state, labels, locked, ...). */
  getIssue(owner: string, repo: string, issueNumber: number): IssueRestObject;
  close(): Promise<void>;
}
