// WaitForCI in events mode (a `.waitForTaskToken` task): register the task token under the pull
// request's repository and head SHA, THEN read CI once. The order closes the race that matters:
// CI that finished before the registration sent its events to nobody, so the read sees it and the
// task resumes itself; CI that finishes after the registration finds the token through the
// webhook. Either way ProcessCIFeedback evaluates next (events are hints, GitHub is the truth).
import { SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { factoryError } from "../../contract/errors";
import type { CiEvaluation, WorkflowState } from "../../contract/state";
import type { TaskEvent } from "../../contract/task-actions";
import { registerCiWait, type RunTable } from "../run-table/ci-wait-registry";
import { repoOf, requireSlice } from "../shared/run-state";
import type { TaskDeps } from "../shared/types";
import { evaluateCi } from "./evaluate";
import { approvalBlocksMerge } from "../../contract/run-outcome";

export interface CiWaitDeps {
  runTable(): RunTable;
  sfn(): SFNClient;
}

export interface AwaitCiResult {
  /** The head SHA the token is registered under ("" for a dry run: nothing to wait for). */
  registeredHead: string;
  /** true when CI was already final and the task resumed itself. */
  resumed: boolean;
}

/** Registrations outlive the longest CI wait by a day; the table's TTL removes them. */
const REGISTRATION_MARGIN_SECONDS = 24 * 60 * 60;

/** SendTaskSuccess errors that mean the task no longer waits: nothing left to resume. */
const CLOSED_TOKEN_ERRORS = ["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"];

async function resume(
  wait: CiWaitDeps,
  deps: TaskDeps,
  token: string,
  output: Record<string, unknown>,
): Promise<void> {
  try {
    await wait
      .sfn()
      .send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (!CLOSED_TOKEN_ERRORS.includes(name)) throw error;
    // A CI event resumed the task between our registration and this call: it runs on already.
    deps.logger.info("CI wait already resumed", { errorName: name });
  }
}

/**
 * AutoMerge already said what the review gate misses on this head, and the reviews say the same
 * now: nothing new to act on, so the run waits. Otherwise (CI turned green before this
 * registration, or a review arrived since) ProcessCIFeedback and AutoMerge must run now.
 */
function autoMergeAlreadyWaits(state: WorkflowState, evaluation: CiEvaluation): boolean {
  return (
    state.merge?.outcome === "waiting" &&
    state.merge.sha === evaluation.headSha &&
    state.ci?.headSha === evaluation.headSha &&
    JSON.stringify(state.ci.approval) === JSON.stringify(evaluation.approval)
  );
}

export async function awaitCi(
  event: TaskEvent,
  deps: TaskDeps,
  wait: CiWaitDeps,
): Promise<AwaitCiResult> {
  const state: WorkflowState = event.state;
  const token = event.taskToken;
  if (typeof token !== "string" || token === "") {
    throw factoryError(
      "StateIncomplete",
      `awaitCi needs the task token: WaitForCI's Parameters must pass "taskToken.$": "$$.Task.Token"`,
    );
  }
  const pr = requireSlice(state, "pr", "awaitCi");
  if (pr.dryRun) {
    // No pull request, no CI: ProcessCIFeedback ends the loop at once.
    await resume(wait, deps, token, { source: "dry-run" });
    return { registeredHead: "", resumed: true };
  }
  const octokit = await deps.github(state.installationId);
  const { data: pull } = await octokit.rest.pulls.get({ ...repoOf(state), pull_number: pr.number });
  const headSha = pull.head.sha;
  await registerCiWait(wait.runTable(), {
    repositoryId: state.repository.id,
    headSha,
    taskToken: token,
    issue: `${state.repository.owner}/${state.repository.name}#${state.issue.number}`,
    pullRequest: pr.number,
    expiresAt:
      Math.floor(deps.clock.now() / 1000) +
      state.settings.ciMaxWaitSeconds +
      REGISTRATION_MARGIN_SECONDS,
  });
  const evaluation = await evaluateCi(state, deps);
  // Final already, the head moved since the registration, or the loop bound is reached (then
  // CheckCIStatus sends the run to PostTimeout): evaluate now instead of waiting. Green CI held
  // back by the review gate is not final: the run waits for a review event like for CI.
  const boundReached =
    typeof event.maxPolls === "number" && (state.ciWait?.polls ?? 0) >= event.maxPolls;
  const waitsForReviews =
    evaluation.outcome === "success" &&
    approvalBlocksMerge(evaluation.approval) &&
    autoMergeAlreadyWaits(state, evaluation);
  const resumeNow =
    (evaluation.outcome !== "pending" && !waitsForReviews) ||
    evaluation.headSha !== headSha ||
    boundReached;
  if (resumeNow) {
    await resume(wait, deps, token, {
      source:
        boundReached && (evaluation.outcome === "pending" || waitsForReviews)
          ? "loop-bound"
          : "registration-check",
      outcome: evaluation.outcome,
    });
  }
  deps.logger.info("CI wait registered", {
    pullRequest: pr.number,
    headSha,
    resumedAtOnce: resumeNow,
  });
  return { registeredHead: headSha, resumed: resumeNow };
}
