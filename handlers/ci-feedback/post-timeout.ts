// PostTimeout: CI never finished (timeout) or never started (no-ci). Says so on the PR, with a
// short note on the issue; nothing is merged.
import { upsertMarkedComment } from "../github/marked-comment";
import type { TaskDeps } from "../shared/types";
import type { WorkflowState } from "../../contract/state";
import { repoOf, requireSlice } from "../shared/run-state";
import { COMMENT_KINDS, ciIssueNote, noCiComment, timeoutComment } from "./ci-comments";

export async function postTimeout(
  state: WorkflowState,
  deps: TaskDeps,
): Promise<Record<string, never>> {
  const pr = requireSlice(state, "pr", "postTimeout");
  const ci = requireSlice(state, "ci", "postTimeout");
  // Dry run: there is no PR and no CI; the PR creator's comment already described the plan.
  if (pr.dryRun) return {};
  const target = repoOf(state);
  const octokit = await deps.github(state.installationId);
  // "pending" arrives here when the state machine's own poll bound ran out first: a timeout too.
  const text =
    ci.outcome === "no-ci"
      ? noCiComment(ci, state.settings.ciNoChecksGraceSeconds)
      : timeoutComment(ci, state.settings.ciMaxWaitSeconds);
  const posted = await upsertMarkedComment(
    octokit,
    { ...target, issueNumber: pr.number },
    COMMENT_KINDS.ciFeedback,
    text,
  );
  await upsertMarkedComment(
    octokit,
    { ...target, issueNumber: state.issue.number },
    COMMENT_KINDS.ciStatus,
    ciIssueNote(pr, ci, posted.url),
  );
  deps.logger.info("CI wait ended without a verdict", {
    pullRequest: pr.number,
    outcome: ci.outcome,
  });
  return {};
}
