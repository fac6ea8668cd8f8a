// The review gate, as pure functions of what GitHub reports: each person's latest review counts
// (GitHub's rule: a later COMMENTED review changes nothing, a DISMISSED one withdraws that
// person's verdict), and only people with write, maintain or admin permission count, never a bot
// (the App itself included). Strict on purpose, because AutoMerge trusts it:
// - only an approval of the CURRENT head counts: AFU-9 itself pushes new commits (repair rounds,
//   revisions), and an approval of an older commit never covered them (GitHub's "dismiss stale
//   approvals" applied always);
// - a CHANGES_REQUESTED review blocks on any commit, until that person approves the current head
//   or the review is dismissed, with or without `requireApproval`.
import type { ApprovalEvaluation } from "../../contract/state";

/** One pull request review as GitHub lists it (only the fields the gate needs). */
export interface ReviewSignal {
  id: number;
  /** null for a deleted ("ghost") account. */
  login: string | null;
  isBot: boolean;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state: string;
  /** The commit the review was made on (null when GitHub does not know it any more). */
  commitId: string | null;
  /** null for a PENDING (not yet submitted) review. */
  submittedAt: string | null;
}

/** A person's verdict: their latest review that approved or requested changes. */
export interface ReviewVerdict {
  login: string;
  state: "APPROVED" | "CHANGES_REQUESTED";
  commitId: string | null;
}

/** Submitted reviews in the order they were submitted (ids grow with time: the tie-breaker). */
function inSubmissionOrder(reviews: ReviewSignal[]): ReviewSignal[] {
  return reviews
    .filter((r) => r.submittedAt !== null)
    .sort((a, b) => {
      const byTime = Date.parse(a.submittedAt!) - Date.parse(b.submittedAt!);
      return byTime !== 0 && !Number.isNaN(byTime) ? byTime : a.id - b.id;
    });
}

/**
 * Each human reviewer's standing verdict, sorted by login. COMMENTED and PENDING reviews leave a
 * verdict as it was; DISMISSED withdraws it; bots and deleted accounts have none.
 */
export function latestVerdictPerReviewer(reviews: ReviewSignal[]): ReviewVerdict[] {
  const verdicts = new Map<string, ReviewVerdict>();
  for (const review of inSubmissionOrder(reviews)) {
    if (review.login === null || review.isBot) continue;
    if (review.state === "APPROVED" || review.state === "CHANGES_REQUESTED") {
      verdicts.set(review.login, {
        login: review.login,
        state: review.state,
        commitId: review.commitId,
      });
    } else if (review.state === "DISMISSED") {
      verdicts.delete(review.login);
    }
  }
  return [...verdicts.values()].sort((a, b) => a.login.localeCompare(b.login));
}

export interface ApprovalRule {
  /** `automerge.requireApproval` of `.github/afu9.yml`. */
  required: boolean;
  /** The pull request's current head: only approvals of this commit count. */
  headSha: string;
}

/**
 * The gate's verdict. `writers` holds the reviewers whose permission (read through the API) is
 * write, maintain or admin; everyone else's verdict is ignored.
 */
export function decideApproval(
  verdicts: ReviewVerdict[],
  writers: ReadonlySet<string>,
  rule: ApprovalRule,
): ApprovalEvaluation {
  const counted = verdicts.filter((v) => writers.has(v.login));
  const changesRequestedBy = counted
    .filter((v) => v.state === "CHANGES_REQUESTED")
    .map((v) => v.login);
  const approvals = counted.filter((v) => v.state === "APPROVED");
  const approvedBy = approvals.filter((v) => v.commitId === rule.headSha).map((v) => v.login);
  const staleApprovalsBy = approvals.filter((v) => v.commitId !== rule.headSha).map((v) => v.login);
  let state: ApprovalEvaluation["state"];
  if (changesRequestedBy.length > 0) state = "changes-requested";
  else if (approvedBy.length > 0) state = "approved";
  else state = rule.required ? "missing" : "not-required";
  return { state, required: rule.required, approvedBy, changesRequestedBy, staleApprovalsBy };
}
