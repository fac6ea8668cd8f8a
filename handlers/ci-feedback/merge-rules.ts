// Whether AutoMerge may merge, as one pure function. A maintainer's `/afu9 merge` (on the run it
// started, or on this wake of the CI wait) is a human decision that replaces `automerge: false`,
// and only that: it never replaces `requireApproval`, never an outstanding "changes requested"
// review, and never green CI. What is missing is named, so the refusal can say it (AutoMerge
// meets green CI only; the CI part serves an answer to the command on CI that is not green).
import type {
  ApprovalEvaluation,
  CiEvaluation,
  PullRequestCommand,
  WorkflowState,
} from "../../contract/state";
import { shortSha } from "../shared/run-state";

/** The `/afu9 merge` this evaluation acts on: this wake's command first, else the run's. */
export function mergeCommandOf(state: WorkflowState): PullRequestCommand | undefined {
  const wake = state.ciWake;
  const woken = wake && "source" in wake ? wake.command : undefined;
  if (woken?.name === "merge") return woken;
  return state.command?.name === "merge" ? state.command : undefined;
}

export type MergeDecision =
  | { action: "merge" }
  /** Auto-merge is off and no maintainer asked to merge: a person merges. */
  | { action: "disabled" }
  /** Not yet: the run keeps waiting; `missing` says for what, one item per line. */
  | { action: "wait"; missing: string[] };

export interface MergeFacts {
  /** The CI verdict for the current head. */
  ci: Pick<CiEvaluation, "outcome" | "headSha" | "failures" | "pendingChecks">;
  /** The review gate for that head, read just before the merge. */
  approval: ApprovalEvaluation;
  automerge: boolean;
  mergeCommand: boolean;
}

function ciMissing(ci: MergeFacts["ci"]): string[] {
  const names = (list: string[]) => list.map((name) => `\`${name}\``).join(", ");
  switch (ci.outcome) {
    case "success":
      return [];
    case "failure":
      return [`green CI: failed ${names(ci.failures.map((f) => f.name))}`];
    case "pending":
      return [
        ci.pendingChecks.length > 0
          ? `green CI: still pending ${names(ci.pendingChecks)}`
          : "green CI: no check has reported yet",
      ];
    case "no-ci":
      return ["green CI: no check run or commit status reported"];
    case "timeout":
      return ["green CI: CI did not finish in time"];
  }
}

function approvalMissing(approval: ApprovalEvaluation, headSha: string): string[] {
  const people = (logins: string[]) => logins.map((login) => `@${login}`).join(", ");
  const missing: string[] = [];
  if (approval.state === "changes-requested") {
    missing.push(
      `${people(approval.changesRequestedBy)} requested changes: merged only after they approve ` +
        `${shortSha(headSha)} or the review is dismissed`,
    );
  }
  if (approval.required && approval.approvedBy.length === 0) {
    const stale =
      approval.staleApprovalsBy.length > 0
        ? ` (${people(approval.staleApprovalsBy)} approved an older commit, which does not count)`
        : "";
    missing.push(
      `an approving review of ${shortSha(headSha)} by someone with write access ` +
        `(\`automerge.requireApproval\`)${stale}`,
    );
  }
  return missing;
}

export function decideMerge(facts: MergeFacts): MergeDecision {
  if (!facts.automerge && !facts.mergeCommand) return { action: "disabled" };
  const missing = [...ciMissing(facts.ci), ...approvalMissing(facts.approval, facts.ci.headSha)];
  return missing.length > 0 ? { action: "wait", missing } : { action: "merge" };
}
