// PostFeedback: one CI feedback comment on the PR listing every failing check and status (updated
// in place on later failures), the `afu9:ci-failed` label, and a short note on the issue.
import { upsertMarkedComment } from "../github/marked-comment";
import type { TaskDeps } from "../shared/types";
import type { WorkflowState } from "../../contract/state";
import { CI_FAILED_LABEL } from "../../contract/conventions";
import { prSwitches, repoOf, requireSlice } from "../shared/run-state";
import { COMMENT_KINDS, failureFeedbackComment, failureIssueNote } from "./ci-comments";

export async function postFeedback(
  state: WorkflowState,
  deps: TaskDeps,
): Promise<Record<string, never>> {
  const pr = requireSlice(state, "pr", "postFeedback");
  const ci = requireSlice(state, "ci", "postFeedback");
  if (pr.dryRun) return {}; // no PR exists in a dry run; evaluate never reports a failure then
  const target = repoOf(state);
  const octokit = await deps.github(state.installationId);
  const feedback = await upsertMarkedComment(
    octokit,
    { ...target, issueNumber: pr.number },
    COMMENT_KINDS.ciFeedback,
    failureFeedbackComment(pr, ci),
  );
  if (!prSwitches(state).dryRun) {
    // Read first: the label is added once, so a re-run sends no write at all.
    const { data: labels } = await octokit.rest.issues.listLabelsOnIssue({
      ...target,
      issue_number: pr.number,
      per_page: 100,
    });
    if (!labels.some((label) => label.name === CI_FAILED_LABEL)) {
      await octokit.rest.issues.addLabels({
        ...target,
        issue_number: pr.number,
        labels: [CI_FAILED_LABEL],
      });
    }
  }
  await upsertMarkedComment(
    octokit,
    { ...target, issueNumber: state.issue.number },
    COMMENT_KINDS.ciStatus,
    failureIssueNote(pr, ci, feedback.url),
  );
  deps.logger.info("CI failure reported", { pullRequest: pr.number, failures: ci.failures.length });
  return {};
}
