// ProcessCIFeedback: the CI verdict for the PR's CURRENT head (which may no longer be the patch
// commit if someone pushed), with the wall clock from $.pr.openedAt deciding no-ci and timeout.
// Read-only: it never writes to GitHub.
import type { TaskDeps } from "../shared/types";
import type { CiEvaluation, WorkflowState } from "../../contract/state";
import { ownCommits, prSwitches, repoOf, requireSlice } from "../shared/run-state";
import { decideCiOutcome } from "./ci-status";
import { readCiSignals } from "./read-ci-signals";
import { factoryError } from "../../contract/errors";
import { approvalBlocksMerge } from "../../contract/run-outcome";
import { mergeCommandOf } from "./merge-rules";
import { readApproval } from "./read-reviews";

export async function evaluateCi(state: WorkflowState, deps: TaskDeps): Promise<CiEvaluation> {
  const pr = requireSlice(state, "pr", "evaluate");
  // AFU-9's own commits on the branch (patch, repair rounds, revision); a run that wrote none (a
  // command run) knows the PR's head as AFU-9 last put it (the PR body's patch-commit marker).
  const own = ownCommits(state);
  if (own.length === 0) own.push(pr.headSha);
  if (pr.dryRun) {
    // No PR exists in a dry run, so no CI can report: end the CI loop at once (PostTimeout is
    // silent for a dry-run PR; the PR creator's comment already said what would happen).
    return {
      outcome: "no-ci",
      headSha: pr.headSha,
      headIsPatchCommit: true,
      failures: [],
      pendingChecks: [],
    };
  }
  const openedAt = Date.parse(pr.openedAt);
  if (Number.isNaN(openedAt)) {
    throw new Error(`$.pr.openedAt is not an ISO time: "${pr.openedAt}"`);
  }
  const target = repoOf(state);
  const octokit = await deps.github(state.installationId);
  const { data: pull } = await octokit.rest.pulls.get({ ...target, pull_number: pr.number });
  if (pull.state === "closed" && !pull.merged) {
    throw factoryError(
      "PullRequestClosed",
      `pull request #${pr.number} was closed without merging while AFU-9 waited for CI; ` +
        `reopen it or trigger AFU-9 again on the issue`,
    );
  }
  const headSha = pull.head.sha;
  const signals = await readCiSignals(octokit, target, headSha, pull.base.ref);
  const elapsedSeconds = Math.max(0, (deps.clock.now() - openedAt) / 1000);
  const verdict = decideCiOutcome(signals, {
    elapsedSeconds,
    ciNoChecksGraceSeconds: state.settings.ciNoChecksGraceSeconds,
    ciMaxWaitSeconds: state.settings.ciMaxWaitSeconds,
  });
  const evaluation: CiEvaluation = {
    outcome: verdict.outcome,
    headSha,
    headIsPatchCommit: own.includes(headSha),
    failures: verdict.failures,
    pendingChecks: verdict.pendingChecks,
  };
  // Merging without CI is an explicit repo choice, and never when protection requires checks.
  if (
    verdict.outcome === "no-ci" &&
    prSwitches(state).mergeWithoutCi &&
    signals.requiredChecks.length === 0
  ) {
    evaluation.outcome = "success";
    evaluation.withoutCi = true;
  }
  if (evaluation.outcome === "success") {
    // Green CI: the review gate decides the rest. Reviews are read only now (they cannot matter
    // before), so a pending CI costs no review reads.
    const switches = prSwitches(state);
    evaluation.approval = await readApproval(
      octokit,
      target,
      { number: pr.number, headSha },
      switches.requireApproval,
    );
    // Waiting for a review shares the CI bound: at its end the run stops waiting (PostTimeout
    // names the missing review), unless no merge would happen anyway (auto-merge off).
    const wouldMerge = switches.automerge || mergeCommandOf(state) !== undefined;
    if (
      wouldMerge &&
      approvalBlocksMerge(evaluation.approval) &&
      elapsedSeconds >= state.settings.ciMaxWaitSeconds
    ) {
      evaluation.outcome = "timeout";
    }
  }
  deps.logger.info("CI evaluated", {
    pullRequest: pr.number,
    outcome: evaluation.outcome,
    headIsPatchCommit: evaluation.headIsPatchCommit,
    failures: evaluation.failures.length,
    pending: evaluation.pendingChecks.length,
    ...(evaluation.approval ? { approval: evaluation.approval.state } : {}),
    elapsedSeconds: Math.round(elapsedSeconds),
  });
  return evaluation;
}
