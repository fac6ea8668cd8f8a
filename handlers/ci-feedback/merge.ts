// AutoMerge: merges exactly the head whose CI passed (the merge call pins `sha`), only when the
// repo allows it (or a maintainer's `/afu9 merge` asks), never in dry-run, never when someone else
// pushed, never past the review gate (re-read here, so a review submitted since ProcessCIFeedback
// counts). GitHub's 405 is reported, not retried; 409 (head moved) and `waiting` (the review
// gate) send the run back to the CI loop.
import type { Octokit } from "@octokit/rest";
import { upsertMarkedComment } from "../github/marked-comment";
import type { TaskDeps } from "../shared/types";
import type { MergeResult, PullRequestRef, WorkflowState } from "../../contract/state";
import {
  effectivePatch,
  prSwitches,
  repoOf,
  requireSlice,
  type PrSwitches,
} from "../shared/run-state";
import { gitHubReason, httpStatus } from "../github/errors";
import { markReadyForReview } from "../github/ready-for-review";
import {
  COMMENT_KINDS,
  automergeOffComment,
  dryRunMergeComment,
  foreignHeadComment,
  mergeWaitingComment,
  mergedIssueComment,
  notMergeableComment,
} from "./ci-comments";
import { decideMerge, mergeCommandOf } from "./merge-rules";
import { readApproval } from "./read-reviews";

/** GitHub computes `mergeable` in the background; this bounds how long AFU-9 waits for it. */
export const MERGEABLE_POLL = { attempts: 5, delayMs: 2000 } as const;

interface PullState {
  node_id: string;
  state: string;
  draft?: boolean;
  merged: boolean;
  mergeable: boolean | null;
  merge_commit_sha: string | null;
  head: { sha: string };
}

async function readPull(octokit: Octokit, state: WorkflowState, pr: PullRequestRef) {
  const { data } = await octokit.rest.pulls.get({ ...repoOf(state), pull_number: pr.number });
  return data as PullState;
}

/** Deletes the branch only while it still points at the merged head (nobody pushed after). */
async function deleteMergedBranch(
  octokit: Octokit,
  state: WorkflowState,
  branch: string,
  sha: string,
): Promise<"deleted" | "kept"> {
  const target = repoOf(state);
  let head: string;
  try {
    const { data } = await octokit.rest.git.getRef({ ...target, ref: `heads/${branch}` });
    head = data.object.sha;
  } catch (error) {
    if (httpStatus(error) === 404) return "deleted"; // already gone (re-run, or repo auto-delete)
    throw error;
  }
  if (head !== sha) return "kept";
  try {
    await octokit.rest.git.deleteRef({ ...target, ref: `heads/${branch}` });
  } catch (error) {
    // 422 "Reference does not exist": deleted in between.
    if (httpStatus(error) !== 422 && httpStatus(error) !== 404) throw error;
  }
  return "deleted";
}

async function finishMerged(
  octokit: Octokit,
  state: WorkflowState,
  pr: PullRequestRef,
  switches: PrSwitches,
  sha: string,
  mergeCommitSha: string | null,
): Promise<MergeResult> {
  const branchNote = switches.deleteBranchAfterMerge
    ? await deleteMergedBranch(octokit, state, pr.branch, sha)
    : "not-configured";
  await upsertMarkedComment(
    octokit,
    { ...repoOf(state), issueNumber: state.issue.number },
    COMMENT_KINDS.merge,
    mergedIssueComment({
      prNumber: pr.number,
      sha,
      mergeCommitSha,
      method: switches.mergeMethod,
      branch: pr.branch,
      branchNote,
      withoutCi: Boolean(state.ci?.withoutCi),
    }),
  );
  return { outcome: "merged", sha };
}

export async function mergePullRequest(state: WorkflowState, deps: TaskDeps): Promise<MergeResult> {
  const pr = requireSlice(state, "pr", "merge");
  const ci = requireSlice(state, "ci", "merge");
  if (ci.outcome !== "success") {
    throw new Error(
      `merge needs CI outcome "success" in $.ci, got "${ci.outcome}": the state machine must ` +
        `route only green CI to AutoMerge`,
    );
  }
  const command = mergeCommandOf(state);
  const switches = prSwitches(state);
  const sha = ci.headSha;
  const octokit = await deps.github(state.installationId);
  const target = repoOf(state);
  // The PR is where a reviewer looks; a dry-run placeholder PR has no page, so the issue then.
  const prTarget = { ...target, issueNumber: pr.dryRun ? state.issue.number : pr.number };
  const comment = (text: string) =>
    upsertMarkedComment(octokit, prTarget, COMMENT_KINDS.merge, text);

  if (switches.dryRun || pr.dryRun) {
    await comment(dryRunMergeComment(sha, switches.mergeMethod));
    return { outcome: "dry-run", sha };
  }
  if (!switches.automerge && !command) {
    await comment(automergeOffComment(sha));
    return { outcome: "disabled", sha, reason: "auto-merge is off for this repository" };
  }
  if (!ci.headIsPatchCommit) {
    await comment(
      foreignHeadComment(sha, effectivePatch(state)?.commitSha ?? pr.headSha, pr.branch),
    );
    return { outcome: "disabled", sha, reason: "the branch has commits AFU-9 did not make" };
  }
  const approval = await readApproval(
    octokit,
    target,
    { number: pr.number, headSha: sha },
    switches.requireApproval,
  );
  const decision = decideMerge({
    ci,
    approval,
    automerge: switches.automerge,
    mergeCommand: command !== undefined,
  });
  if (decision.action === "wait") {
    await comment(mergeWaitingComment({ sha, missing: decision.missing, commandBy: command?.by }));
    deps.logger.info("merge waits", {
      pullRequest: pr.number,
      approval: approval.state,
      ci: ci.outcome,
      command: command !== undefined,
    });
    return { outcome: "waiting", sha, reason: decision.missing.join("; ") };
  }

  for (let attempt = 1; ; attempt += 1) {
    let pull = await readPull(octokit, state, pr);
    const asked = command ?? state.command;
    if (pull.draft && asked && pull.state === "open") {
      // A draft (AFU-9 opens one while automerge is off) that a maintainer's command brought to
      // a merge: `/afu9 merge`, or retry / revise once the config allows the merge.
      await markReadyForReview(octokit, pull.node_id);
      deps.logger.info("draft marked ready for review", { pullRequest: pr.number, by: asked.by });
      pull = await readPull(octokit, state, pr);
    }
    if (pull.merged) {
      // Merged by an earlier attempt of this state (re-run): finish idempotently.
      return finishMerged(octokit, state, pr, switches, sha, pull.merge_commit_sha);
    }
    if (pull.state !== "open") {
      const reason = "the pull request is closed";
      await comment(notMergeableComment(sha, reason));
      return { outcome: "not-mergeable", sha, reason };
    }
    if (pull.head.sha !== sha) {
      return { outcome: "head-moved", sha, reason: `head is now ${pull.head.sha}` };
    }
    if (pull.mergeable !== null || attempt >= MERGEABLE_POLL.attempts) break;
    deps.logger.info("mergeability not computed yet; waiting", { pullRequest: pr.number, attempt });
    await deps.clock.sleep(MERGEABLE_POLL.delayMs);
  }

  try {
    const { data } = await octokit.rest.pulls.merge({
      ...target,
      pull_number: pr.number,
      sha,
      merge_method: switches.mergeMethod,
    });
    if (!data.merged) {
      const reason = data.message || "GitHub did not merge the pull request";
      await comment(notMergeableComment(sha, reason));
      return { outcome: "not-mergeable", sha, reason };
    }
    deps.logger.info("merged", { pullRequest: pr.number, method: switches.mergeMethod });
    return finishMerged(octokit, state, pr, switches, sha, data.sha);
  } catch (error) {
    const status = httpStatus(error);
    if (status === 409) {
      // The sha pin failed: someone pushed between the verdict and the merge. Re-evaluate CI.
      deps.logger.info("merge refused: head moved", { pullRequest: pr.number });
      return { outcome: "head-moved", sha, reason: gitHubReason(error) };
    }
    if (status === 405 || status === 422) {
      // A retried merge whose first attempt succeeded also lands here: check before reporting.
      const pull = await readPull(octokit, state, pr);
      if (pull.merged)
        return finishMerged(octokit, state, pr, switches, sha, pull.merge_commit_sha);
      const reason = gitHubReason(error);
      await comment(notMergeableComment(sha, reason));
      deps.logger.info("merge refused", { pullRequest: pr.number, status });
      return { outcome: "not-mergeable", sha, reason };
    }
    throw error;
  }
}
