// The issue interpreter as a pure function: (issue, labels, events, comments, permissions, config,
// open PRs, the delivery that started the run) -> Analysis plus the trust checks behind
// `actionable`. No I/O, so the Lambda, the local factory, the CLI and the tests all run the same
// decision. Facts the caller could not fetch are passed as "unknown" and never guessed: an unknown
// fact makes its check "unknown", and only a run where every check passes is actionable.
import { detectPatchStrategy, type StrategyInput } from "../patch-text/detect-strategy";
import type { Analysis, PatchPlan, RepoConfig } from "../../contract/state";
import { unsafePlanPaths } from "../patch-text/plan-paths";
import { issueTextSha256 } from "../shared/issue-text";
import { classifyIssue } from "./classify";
import {
  defaultRepoConfig,
  effectiveLabelMapping,
  type RepoConfigResult,
} from "../shared/repo-config";
import { branchForIssue } from "../../contract/conventions";
import { labelNames } from "../github/labels";
import { WRITE_LEVELS, type PermissionLevel } from "../github/permissions";

export type Unknown = "unknown";
export type { PermissionLevel };

/** The fields of a GitHub REST issue object the interpreter reads. */
export interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  locked?: boolean;
  pull_request?: unknown;
  user: { login: string; type?: string } | null;
  author_association?: string;
  labels: Array<string | { name?: string | null }>;
  created_at?: string;
}

/** A REST issue event (issues.listEvents); only labeled/unlabeled/renamed matter here. */
export interface IssueEventLike {
  id: number;
  event: string;
  actor: { login: string; type?: string } | null;
  created_at: string;
  label?: { name: string } | null;
  rename?: { from: string; to: string } | null;
}

export interface CommentLike {
  id: number;
  body?: string | null;
  user: { login: string; type?: string } | null;
  created_at: string;
}

/** The webhook delivery that started this run, with the issue text as it was delivered. */
export interface DeliveryLike {
  event: string;
  action: string;
  /** issues.labeled only: the label that was applied. */
  label?: string;
  sender: string;
  /** issueTextSha256 of title and body as delivered. */
  textSha256: string;
}

export interface InterpretInput {
  issue: IssueLike;
  config: RepoConfigResult | Unknown;
  events: IssueEventLike[] | Unknown;
  comments: CommentLike[] | Unknown;
  /** Repository permission per login (collaborator-permission API); a missing login is unknown. */
  permissions: Record<string, PermissionLevel>;
  /** Numbers of open pull requests from the branch `afu9/issue-<n>`. */
  openPullRequests: number[] | Unknown;
  delivery: DeliveryLike | Unknown;
  /** The stack enables the AI patch provider, so the AI strategy may apply. Default false. */
  aiEnabled?: boolean;
  /** Injected for tests; defaults to the patch generator's detection. */
  detectStrategy?: (input: StrategyInput) => PatchPlan | null;
}

export type CheckRule = "repository" | "issue" | "trigger" | "text" | "pull-request" | "plan";
export type CheckStatus = "pass" | "fail" | "unknown" | "skipped";

export interface TrustCheck {
  rule: CheckRule;
  status: CheckStatus;
  detail: string;
}

/** Who and what triggered the factory, as far as it is known. */
export interface TriggerFacts {
  label: string;
  labelPresent: boolean;
  kind: "label" | "author" | "none" | Unknown;
  /** Who applied the trigger label last ("unknown" without the issue's events). */
  labelledBy: string | null | Unknown;
  labellerPermission: PermissionLevel | Unknown | null;
  labelledAt: string | null | Unknown;
  author: string | null;
  authorPermission: PermissionLevel | Unknown;
  /** GitHub's author_association: shown for information only, never trusted (it misreports
   *  private organisation members). */
  authorAssociation: string | null;
}

export interface Interpretation {
  analysis: Analysis;
  checks: TrustCheck[];
  trigger: TriggerFacts;
  /** Comment bodies from people with write permission (what a strategy may read). */
  trustedComments: string[];
}

export function isWriter(permission: PermissionLevel | Unknown | undefined): boolean {
  return permission !== undefined && permission !== "unknown" && WRITE_LEVELS.includes(permission);
}

function sameLabel(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function permissionOf(input: InterpretInput, login: string | null | undefined) {
  if (!login) return "unknown" as const;
  return input.permissions[login] ?? ("unknown" as const);
}

function isBot(user: { login: string; type?: string } | null): boolean {
  return user === null || user.type === "Bot" || user.login.endsWith("[bot]");
}

// AFU-9's own `type:`/`priority:` labels are its output, not evidence: counting them would make
// the second run explain itself differently ("from label type:bug"). A person who changes them
// overrides the analysis, so labels a human applied still count.
function appliedByBot(name: string, events: IssueEventLike[] | Unknown): boolean {
  if (events === "unknown" || !/^(type|priority):/i.test(name)) return false;
  const last = [...events]
    .reverse()
    .find((e) => e.event === "labeled" && e.label && sameLabel(e.label.name, name));
  return last !== undefined && isBot(last.actor);
}

/** Labels ordered by when they were last applied (unknown order first), so the latest wins. */
function labelsInApplicationOrder(names: string[], events: IssueEventLike[] | Unknown): string[] {
  if (events === "unknown") return names;
  const lastApplied = (name: string) => {
    let at = -1;
    events.forEach((e, index) => {
      if (e.event === "labeled" && e.label && sameLabel(e.label.name, name)) at = index;
    });
    return at;
  };
  return [...names].sort((a, b) => lastApplied(a) - lastApplied(b));
}

function check(rule: CheckRule, status: CheckStatus, detail: string): TrustCheck {
  return { rule, status, detail };
}

function repositoryCheck(config: RepoConfigResult | Unknown): TrustCheck {
  if (config === "unknown") {
    return check("repository", "unknown", "repository config (.github/afu9.yml) unknown offline");
  }
  switch (config.status) {
    case "missing":
      return check(
        "repository",
        "fail",
        "AFU-9 is not enabled here: there is no .github/afu9.yml on the default branch",
      );
    case "invalid":
      return check(
        "repository",
        "fail",
        `.github/afu9.yml is invalid at key "${config.key}": ${config.message}`,
      );
    case "ok":
      return config.config.enabled
        ? check("repository", "pass", "AFU-9 is enabled (.github/afu9.yml)")
        : check("repository", "fail", "AFU-9 is disabled (.github/afu9.yml has enabled: false)");
  }
}

function issueCheck(issue: IssueLike): TrustCheck {
  if (issue.pull_request) return check("issue", "fail", "this is a pull request, not an issue");
  if (issue.state !== "open") return check("issue", "fail", `the issue is ${issue.state}`);
  if (issue.locked) return check("issue", "fail", "the issue is locked");
  return check("issue", "pass", "open issue, not locked");
}

interface TriggerDecision {
  check: TrustCheck;
  facts: TriggerFacts;
  /** When the accepted trigger happened (events after it are "after the trigger"). */
  since: { kind: "label" | "author"; at: string | null; by: string } | null;
}

/** Who applied the trigger label last: unknown offline, null when no event says so. */
type Labelling = Unknown | null | { by: string; permission: PermissionLevel | Unknown; at: string };

interface TriggerEvidence {
  label: string;
  labelPresent: boolean;
  autoTriggerForWriters: boolean;
  author: string | null;
  authorPermission: PermissionLevel | Unknown;
  openedAt: string | null;
  labelling: Labelling;
  configUnknown: boolean;
}

function gatherTriggerEvidence(input: InterpretInput, config: RepoConfig | null): TriggerEvidence {
  const label = config?.triggerLabel ?? defaultRepoConfig().triggerLabel;
  const author = input.issue.user?.login ?? null;
  const labelPresent = labelNames(input.issue.labels).some((l) => sameLabel(l, label));
  // Who labelled it only matters while the label is on the issue.
  let labelling: Labelling = labelPresent ? "unknown" : null;
  if (labelPresent && input.events !== "unknown") {
    const applied = [...input.events]
      .reverse()
      .find((e) => e.event === "labeled" && e.label && sameLabel(e.label.name, label));
    labelling = applied?.actor
      ? {
          by: applied.actor.login,
          permission: permissionOf(input, applied.actor.login),
          at: applied.created_at,
        }
      : null;
  }
  return {
    label,
    labelPresent,
    autoTriggerForWriters: config?.autoTriggerForWriters ?? false,
    author,
    authorPermission: permissionOf(input, author),
    openedAt: input.issue.created_at ?? null,
    labelling,
    configUnknown: input.config === "unknown",
  };
}

type TriggerVerdict = Omit<TriggerDecision, "facts"> & { kind: TriggerFacts["kind"] };

/** The trigger rule: a writer applied the label, or a writer opened it where that auto-triggers. */
function decideTrigger(e: TriggerEvidence): TriggerVerdict {
  const fail = (reason: string): TriggerVerdict => ({
    kind: "none",
    check: check("trigger", "fail", reason),
    since: null,
  });
  const unknown = (reason: string): TriggerVerdict => ({
    kind: "unknown",
    check: check("trigger", "unknown", reason),
    since: null,
  });
  const byAuthor: TriggerVerdict | null =
    e.autoTriggerForWriters && e.author && isWriter(e.authorPermission)
      ? {
          kind: "author",
          check: check(
            "trigger",
            "pass",
            `opened by \`${e.author}\` (permission ${e.authorPermission}); the repository auto-triggers for writers`,
          ),
          since: { kind: "author", at: e.openedAt, by: e.author },
        }
      : null;

  if (!e.labelPresent) {
    if (byAuthor) return byAuthor;
    if (e.autoTriggerForWriters && e.authorPermission === "unknown") {
      return unknown(`author \`${e.author}\`'s permission is unknown`);
    }
    return fail(
      `label \`${e.label}\` is not on the issue (someone with write permission can add it)`,
    );
  }
  if (e.labelling === "unknown") {
    return (
      byAuthor ??
      unknown(
        `label \`${e.label}\` is present, but who applied it (and their permission) is unknown offline` +
          (e.configUnknown ? " (and the repository may configure another trigger label)" : ""),
      )
    );
  }
  if (e.labelling === null) {
    return (
      byAuthor ??
      fail(`label \`${e.label}\` is present but no event says who applied it; re-apply the label`)
    );
  }
  const { by, permission, at } = e.labelling;
  if (isWriter(permission)) {
    return {
      kind: "label",
      check: check(
        "trigger",
        "pass",
        `label \`${e.label}\` applied by \`${by}\` (permission ${permission})`,
      ),
      since: { kind: "label", at, by },
    };
  }
  if (byAuthor) return byAuthor;
  if (permission === "unknown") {
    return unknown(`label \`${e.label}\` applied by \`${by}\`, whose permission is unknown`);
  }
  return fail(
    `label \`${e.label}\` was applied by \`${by}\` (permission ${permission}); only people with write, maintain or admin permission can trigger AFU-9`,
  );
}

function triggerCheck(input: InterpretInput, config: RepoConfig | null): TriggerDecision {
  const evidence = gatherTriggerEvidence(input, config);
  const { kind, ...verdict } = decideTrigger(evidence);
  const labelling = evidence.labelling;
  const facts: TriggerFacts = {
    label: evidence.label,
    labelPresent: evidence.labelPresent,
    kind,
    labelledBy: labelling === "unknown" ? "unknown" : (labelling?.by ?? null),
    labellerPermission: labelling === "unknown" ? "unknown" : (labelling?.permission ?? null),
    labelledAt: labelling === "unknown" ? "unknown" : (labelling?.at ?? null),
    author: evidence.author,
    authorPermission: evidence.authorPermission,
    authorAssociation: input.issue.author_association ?? null,
  };
  return { ...verdict, facts };
}

// Text that arrived after the trigger from people without write permission must not steer a
// patch. Title edits are visible as `renamed` events (with the editor). Body edits are not in the
// REST events at all; only the author and writers can edit an issue body, so they can only be
// untrusted when the author is not a writer, and then the run must be the one started by the
// trigger label itself, with the text unchanged since that delivery.
function textCheck(
  input: InterpretInput,
  since: NonNullable<TriggerDecision["since"]>,
  label: string,
): TrustCheck {
  if (input.events === "unknown") {
    return check("text", "unknown", "edits after the trigger are unknown offline");
  }
  const after = since.at;
  for (const e of input.events) {
    if (e.event !== "renamed" || !e.actor || (after !== null && e.created_at < after)) continue;
    if (!isWriter(permissionOf(input, e.actor.login))) {
      return check(
        "text",
        "fail",
        `the title was changed by \`${e.actor.login}\` (no write permission) after the trigger; a writer must re-apply \`${label}\``,
      );
    }
  }
  const author = input.issue.user?.login ?? null;
  if (isWriter(permissionOf(input, author))) {
    return check(
      "text",
      "pass",
      `the author \`${author}\` has write permission; no untrusted edits`,
    );
  }
  const delivery = input.delivery;
  if (delivery === "unknown") {
    return check(
      "text",
      "unknown",
      "the issue's author has no (known) write permission and the triggering delivery is unknown, so edits after labelling cannot be ruled out",
    );
  }
  if (
    delivery.event === "issues" &&
    delivery.action === "labeled" &&
    delivery.label === undefined
  ) {
    return check(
      "text",
      "fail",
      `the author \`${author}\` has no write permission and this labeled delivery does not say which label was applied (execution input delivery.label is missing), so edits after labelling cannot be ruled out`,
    );
  }
  const startedByTrigger =
    delivery.event === "issues" &&
    delivery.action === "labeled" &&
    delivery.label !== undefined &&
    sameLabel(delivery.label, label) &&
    delivery.sender === since.by;
  if (!startedByTrigger) {
    return check(
      "text",
      "fail",
      `the author \`${author}\` has no write permission, so AFU-9 acts only in the run started by applying \`${label}\` (this run: ${delivery.event}.${delivery.action}); re-apply the label to act on the current text`,
    );
  }
  if (delivery.textSha256 !== issueTextSha256(input.issue.title, input.issue.body)) {
    return check(
      "text",
      "fail",
      `the issue text changed after \`${since.by}\` applied \`${label}\`; a writer must re-apply the label to approve the current text`,
    );
  }
  return check("text", "pass", `text unchanged since \`${since.by}\` applied \`${label}\``);
}

function pullRequestCheck(open: number[] | Unknown, issueNumber: number): TrustCheck {
  if (open === "unknown")
    return check("pull-request", "unknown", "open pull requests unknown offline");
  if (open.length > 0) {
    return check(
      "pull-request",
      "fail",
      `AFU-9 pull request #${open[0]} (branch ${branchForIssue(issueNumber)}) is already open`,
    );
  }
  return check("pull-request", "pass", "no open AFU-9 pull request for this issue");
}

function planCheck(plan: PatchPlan | null): TrustCheck {
  if (!plan) return check("plan", "fail", "no patch strategy applies to this issue");
  const unsafe = unsafePlanPaths(plan);
  if (unsafe.length > 0) {
    return check(
      "plan",
      "fail",
      `the change names paths AFU-9 never writes (outside the repository, or with hidden characters): ${unsafe.map((p) => `\`${p}\``).join(", ")}`,
    );
  }
  return check(
    "plan",
    "pass",
    `patch strategy ${plan.strategy} for ${plan.files.join(", ") || "(no files named)"}`,
  );
}

/** The whole decision. */
export function interpretIssue(input: InterpretInput): Interpretation {
  const config =
    input.config !== "unknown" && input.config.status === "ok" ? input.config.config : null;
  const names = labelNames(input.issue.labels);
  const trigger = triggerCheck(input, config);
  const classification = classifyIssue({
    title: input.issue.title,
    body: input.issue.body ?? "",
    labels: labelsInApplicationOrder(
      names.filter((n) => !sameLabel(n, trigger.facts.label) && !appliedByBot(n, input.events)),
      input.events,
    ),
    labelMapping: effectiveLabelMapping(config),
  });

  const trustedComments =
    input.comments === "unknown"
      ? []
      : [...input.comments]
          .filter((c) => !isBot(c.user) && isWriter(permissionOf(input, c.user?.login)))
          .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
          .map((c) => c.body ?? "");
  const detect = input.detectStrategy ?? detectPatchStrategy;
  const plan = detect({
    title: input.issue.title,
    body: input.issue.body ?? "",
    trustedComments,
    aiEnabled: input.aiEnabled ?? false,
  });

  const checks: TrustCheck[] = [repositoryCheck(input.config), issueCheck(input.issue)];
  checks.push(trigger.check);
  checks.push(
    trigger.since
      ? textCheck(input, trigger.since, trigger.facts.label)
      : trigger.check.status === "unknown"
        ? check("text", "unknown", "edits after the trigger are unknown while the trigger is")
        : check("text", "skipped", "no accepted trigger"),
  );
  checks.push(pullRequestCheck(input.openPullRequests, input.issue.number));
  checks.push(planCheck(plan));
  const actionable = checks.every((c) => c.status === "pass");
  const reasons = [
    ...classification.reasons,
    ...checks.map((c) => `${c.rule} ${c.status}: ${c.detail}`),
  ];
  return {
    analysis: {
      type: classification.type,
      priority: classification.priority,
      actionable,
      reasons,
      plan,
      config,
      textSha256: issueTextSha256(input.issue.title, input.issue.body),
    },
    checks,
    trigger: trigger.facts,
    trustedComments,
  };
}
