// The outcome of one run, derived from how the execution ended and its final state document.
// One pure function, shared by the notifier and anything else that reports on runs, so a run is
// called "merged" or "CI failed" by the same rule everywhere.
import type {
  ApprovalEvaluation,
  CiFailure,
  ExecutionInput,
  NotifyOutcome,
  WorkflowState,
} from "./state";

/** The review gate holds the merge back: an approval is missing or someone requests changes. */
export function approvalBlocksMerge(approval: ApprovalEvaluation | undefined): boolean {
  return approval?.state === "missing" || approval?.state === "changes-requested";
}

function approvalReason(approval: ApprovalEvaluation): string {
  return approval.state === "changes-requested"
    ? `changes requested by ${approval.changesRequestedBy.join(", ")}`
    : "no approving review of the current head by someone with write access";
}

/** Every outcome a repository can have notified, in the order messages and docs list them. */
export const NOTIFY_OUTCOMES: readonly NotifyOutcome[] = [
  "merged",
  "ci-failed",
  "repair-exhausted",
  "timed-out",
  "needs-approval",
  "failed",
];

/**
 * Outcomes that are never notified: nothing happened that a channel needs to hear about (an
 * issue analysed and labelled only, a patch rejected with a comment, a dry run).
 */
export type QuietOutcome =
  | "not-actionable"
  | "patch-rejected"
  | "dry-run"
  /** A maintainer ended the run with `/afu9 stop` (they know; the PR stays open). */
  | "stopped"
  /** `/afu9 revise` pushed nothing; the reply to the command says why. */
  | "revision-refused"
  /**
   * The execution met another run of the issue at the lock and did no work itself: coalesced or
   * queued as the follow-up (which reports on its own), or a command answered busy.
   */
  | "not-run";

export type RunOutcome = NotifyOutcome | QuietOutcome;

/** How a Step Functions execution ended (its Status). */
export type ExecutionEndStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface RunEnd {
  status: ExecutionEndStatus;
  /**
   * The final state document: the execution's output (SUCCEEDED), ReportFailure's input (FAILED,
   * with `error`), or at least the execution input when nothing later is known.
   */
  state: ExecutionInput & Partial<WorkflowState>;
  /** The execution's own error (Fail state, timeout, abort) when the state carries none. */
  error?: { Error: string; Cause?: string };
}

export interface RunOutcomeSummary {
  outcome: RunOutcome;
  /** One line saying why, for people (no secrets, no bodies). */
  reason: string;
  /** Failing checks and statuses (ci-failed only). */
  failingChecks: CiFailure[];
}

/** `repair-exhausted`: CI failed and the self-repair rounds ended without a green CI. */
export function runOutcome(end: RunEnd): RunOutcomeSummary {
  const { state } = end;
  const quiet = (outcome: QuietOutcome, reason: string): RunOutcomeSummary => ({
    outcome,
    reason,
    failingChecks: [],
  });
  const loud = (outcome: NotifyOutcome, reason: string, failingChecks: CiFailure[] = []) => ({
    outcome,
    reason,
    failingChecks,
  });

  if (end.status === "TIMED_OUT") {
    return loud("timed-out", "the execution ran out of time before it reached an end state");
  }
  if (end.status === "ABORTED") return loud("failed", "the execution was stopped (aborted)");
  if (end.status === "FAILED") {
    const error = state.error ?? end.error;
    return loud("failed", error ? `${error.Error}: ${firstLine(error.Cause)}` : "the run failed");
  }

  if (!state.analysis && !state.pr && !state.error) {
    return quiet(
      "not-run",
      state.command
        ? `/afu9 ${state.command.name} met another run of the issue: queued or answered busy`
        : "the delivery met another run of the issue and was coalesced on its lock",
    );
  }
  if (state.stopped) {
    return quiet("stopped", `stopped by @${state.stopped.by} with /afu9 stop; the PR stays open`);
  }
  if (state.revision?.outcome === "refused") {
    return quiet(
      "revision-refused",
      `/afu9 revise pushed nothing: ${state.revision.reason ?? "refused"}`,
    );
  }
  if (state.analysis && !state.analysis.actionable) {
    return quiet("not-actionable", "analysed and labelled; nothing to change");
  }
  if (state.validation && !state.validation.valid) {
    return quiet(
      "patch-rejected",
      "the patch broke the repository's rules; commented on the issue",
    );
  }
  if (state.pr?.dryRun || state.merge?.outcome === "dry-run") {
    return quiet("dry-run", "dry run: nothing was written");
  }
  switch (state.merge?.outcome) {
    case "merged":
      return loud("merged", "CI passed and the pull request was merged");
    case "disabled":
      return loud("needs-approval", "CI passed; automerge is off, so a person merges it");
    case "not-mergeable":
      return loud(
        "needs-approval",
        `CI passed but GitHub refused the merge${state.merge.reason ? `: ${state.merge.reason}` : ""}`,
      );
    default:
      break;
  }
  switch (state.ci?.outcome) {
    case "failure":
      if (state.repair?.outcome === "stopped" && state.repair.rounds.length > 0) {
        return loud(
          "repair-exhausted",
          `CI still failed after ${state.repair.rounds.length} self-repair round(s); ` +
            `stopped: ${state.repair.stop ?? "unknown"}`,
          state.ci.failures,
        );
      }
      return loud("ci-failed", "CI failed on the pull request", state.ci.failures);
    case "timeout":
      if (approvalBlocksMerge(state.ci.approval)) {
        return loud(
          "needs-approval",
          `CI passed but the wait ended without the review gate open: ${approvalReason(state.ci.approval!)}`,
        );
      }
      return loud("timed-out", "CI did not finish in time");
    case "no-ci":
      return loud("timed-out", "no CI reported for the pull request");
    case "pending":
      return loud("timed-out", "CI was still pending when the wait bound was reached");
    default:
      break;
  }
  // AutoMerge kept waiting for the review gate until the poll bound was reached.
  if (state.merge?.outcome === "waiting") {
    return loud(
      "needs-approval",
      `not merged when the wait bound was reached: ${state.merge.reason ?? "the merge was not allowed yet"}`,
    );
  }
  // A head that kept moving reaches PostTimeout at the poll bound with merge outcome head-moved.
  if (state.merge?.outcome === "head-moved") {
    return loud("timed-out", "the pull request head kept moving until the wait bound was reached");
  }
  return loud("failed", "the run ended without a known result");
}

function firstLine(text: string | undefined): string {
  if (!text) return "no details";
  // Lambda errors arrive as {"errorType","errorMessage",...} JSON in Cause.
  try {
    const parsed = JSON.parse(text) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") return parsed.errorMessage.split("\n")[0];
  } catch {
    // Not JSON: plain text.
  }
  return text.split("\n")[0];
}
