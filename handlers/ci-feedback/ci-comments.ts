// Text of every comment the CI states post. Pure and deterministic for the same input (no clock,
// no counters), so a re-run finds its marked comment unchanged instead of rewriting it.
import type { CiEvaluation, CiFailure, MergeMethod, PullRequestRef } from "../../contract/state";
import { shortSha } from "../shared/run-state";
import { CI_LIST_LIMIT } from "./ci-status";
import { approvalBlocksMerge } from "../../contract/run-outcome";

/** Marker kinds: one comment per purpose and target, updated in place. */
export const COMMENT_KINDS = {
  /** On the PR: the CI verdict (failure list, timeout, no CI). */
  ciFeedback: "ci-feedback",
  /** On the issue: a short CI note pointing at the PR comment. */
  ciStatus: "ci-status",
  /** On the PR (and, once merged, the issue): what AutoMerge did or would do. */
  merge: "merge",
} as const;

/**
 * Keeps text from CI or GitHub (check names, summaries, reasons) from breaking the Markdown table
 * or smuggling in an HTML comment, which could carry another AFU-9 comment marker.
 */
export function cell(text: string): string {
  return text
    .replace(/<!--/g, "&lt;!--")
    .replace(/\r?\n+/g, " ")
    .replace(/\|/g, "\\|")
    .replace(/\s+/g, " ")
    .trim();
}

function link(url: string | undefined): string {
  return url && /^https?:\/\//.test(url) ? `[details](${url})` : "";
}

function failureRow(failure: CiFailure): string {
  const kind = failure.kind === "check" ? "check" : "status";
  return (
    `| ${cell(failure.name)} | ${kind} | \`${cell(failure.conclusion)}\` | ` +
    `${cell(failure.summary ?? "")} | ${link(failure.url)} |`
  );
}

export function failureFeedbackComment(pr: PullRequestRef, ci: CiEvaluation): string {
  const lines = [
    `**CI failed** for ${ci.headSha}:`,
    "",
    "| Name | Kind | Result | Summary | Link |",
    "| --- | --- | --- | --- | --- |",
    ...ci.failures.map(failureRow),
  ];
  if (ci.failures.length >= CI_LIST_LIMIT) {
    lines.push("", `Only the first ${CI_LIST_LIMIT} failures are listed.`);
  }
  if (ci.pendingChecks.length > 0) {
    lines.push("", `Still running when AFU-9 looked: ${ci.pendingChecks.map(cell).join(", ")}.`);
  }
  if (!ci.headIsPatchCommit) {
    lines.push("", `The branch \`${pr.branch}\` has commits AFU-9 did not make.`);
  }
  lines.push(
    "",
    "AFU-9 did not merge. Push a fix to the branch or update the issue and trigger again.",
  );
  return lines.join("\n");
}

export function failureIssueNote(
  pr: PullRequestRef,
  ci: CiEvaluation,
  feedbackUrl: string,
): string {
  const shown = ci.failures.slice(0, 10).map((failure) => `\`${cell(failure.name)}\``);
  const more =
    ci.failures.length > shown.length ? ` and ${ci.failures.length - shown.length} more` : "";
  const names = `${shown.join(", ")}${more}`;
  return (
    `CI failed on pull request #${pr.number} (${shortSha(ci.headSha)}): ${names}. ` +
    `Details: ${feedbackUrl}`
  );
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** The review gate's part of a timeout: who must approve or who requested changes. */
function approvalTimeoutLine(ci: CiEvaluation): string | undefined {
  const approval = ci.approval;
  if (!approvalBlocksMerge(approval)) return undefined;
  const people = (logins: string[]) => logins.map((l) => `@${cell(l)}`).join(", ");
  if (approval!.state === "changes-requested") {
    return `Changes requested by ${people(approval!.changesRequestedBy)} and not resolved.`;
  }
  const stale =
    approval!.staleApprovalsBy.length > 0
      ? ` (${people(approval!.staleApprovalsBy)} approved an older commit, which does not count)`
      : "";
  return `No approving review of ${ci.headSha} by someone with write access${stale}; \`automerge.requireApproval\` is on.`;
}

export function timeoutComment(ci: CiEvaluation, maxWaitSeconds: number): string {
  const approvalLine = approvalTimeoutLine(ci);
  if (approvalLine) {
    return [
      `**CI passed** for ${ci.headSha}, but the review AFU-9 waited for did not come within ` +
        `${minutes(maxWaitSeconds)}. ${approvalLine}`,
      "",
      "AFU-9 stopped waiting and did not merge. Merge by hand once it is approved, or trigger AFU-9 again.",
    ].join("\n");
  }
  const pending =
    ci.pendingChecks.length > 0
      ? `Still pending: ${ci.pendingChecks.map((name) => `\`${cell(name)}\``).join(", ")}.`
      : "";
  return [
    `**CI did not finish** for ${ci.headSha} within ${minutes(maxWaitSeconds)}. ${pending}`.trim(),
    "",
    "AFU-9 stopped waiting and did not merge. Merge by hand once CI is green, or trigger AFU-9 again.",
  ].join("\n");
}

export function noCiComment(ci: CiEvaluation, graceSeconds: number): string {
  const required =
    ci.pendingChecks.length > 0
      ? ` The base branch requires: ${ci.pendingChecks.map((name) => `\`${cell(name)}\``).join(", ")}.`
      : "";
  return [
    `**No CI** reported a check run or commit status for ${ci.headSha} within ` +
      `${minutes(graceSeconds)}.${required}`,
    "",
    "AFU-9 does not merge without CI. Add a workflow that runs on pull requests, or set " +
      "`mergeWithoutCi: true` in `.github/afu9.yml` to allow it.",
  ].join("\n");
}

export function ciIssueNote(pr: PullRequestRef, ci: CiEvaluation, commentUrl: string): string {
  const what =
    ci.outcome === "no-ci"
      ? "No CI ran"
      : approvalBlocksMerge(ci.approval)
        ? "CI passed but no approval came in time"
        : "CI did not finish in time";
  return `${what} on pull request #${pr.number} (${shortSha(ci.headSha)}); nothing was merged. Details: ${commentUrl}`;
}

export function dryRunMergeComment(sha: string, method: MergeMethod): string {
  return `**Dry run**: CI passed; AFU-9 would merge ${sha} (${method}). Nothing was merged.`;
}

export function automergeOffComment(sha: string): string {
  return (
    `CI passed for ${sha}. Auto-merge is off for this repository (\`automerge\` in ` +
    "`.github/afu9.yml`): the pull request waits for a human to review and merge it."
  );
}

/** AutoMerge held back: each missing thing on its own line; the run keeps waiting for it. */
export function mergeWaitingComment(input: {
  sha: string;
  missing: string[];
  /** Set when a maintainer's `/afu9 merge` asked for this merge. */
  commandBy?: string;
}): string {
  const head = input.commandBy
    ? `@${cell(input.commandBy)} asked to merge ${input.sha} (\`/afu9 merge\`); not merged, missing:`
    : `**Not merged yet**: ${input.sha} needs:`;
  return [
    head,
    "",
    ...input.missing.map((item) => `- ${cell(item)}`),
    "",
    "AFU-9 keeps waiting and checks again on every review and CI event; it merges once nothing " +
      "is missing, or stops at the end of the CI wait.",
  ].join("\n");
}

export function foreignHeadComment(sha: string, patchSha: string, branch: string): string {
  return (
    `CI passed for ${sha}, but branch \`${branch}\` no longer points at AFU-9's patch commit ` +
    `${shortSha(patchSha)}: someone pushed to it, so AFU-9 does not merge automatically. ` +
    "A human reviews and merges."
  );
}

export function notMergeableComment(sha: string, reason: string): string {
  return `AFU-9 could not merge ${sha}. GitHub said: "${cell(reason)}". AFU-9 will not retry; resolve it and merge by hand.`;
}

export function mergedIssueComment(input: {
  prNumber: number;
  sha: string;
  mergeCommitSha: string | null;
  method: MergeMethod;
  branch: string;
  branchNote: "deleted" | "kept" | "not-configured";
  withoutCi: boolean;
}): string {
  const commit = input.mergeCommitSha ? `, merge commit ${input.mergeCommitSha}` : "";
  const branch =
    input.branchNote === "deleted"
      ? ` Branch \`${input.branch}\` deleted.`
      : input.branchNote === "kept"
        ? ` Branch \`${input.branch}\` kept: it has commits pushed after the merge.`
        : "";
  const ci = input.withoutCi
    ? " No CI reported on it; merged because `mergeWithoutCi: true` in `.github/afu9.yml`."
    : "";
  return `Merged pull request #${input.prNumber} at ${input.sha} (${input.method}${commit}).${ci}${branch}`;
}
