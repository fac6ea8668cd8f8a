// What GitHub does when a pull request with closing keywords ("Closes #12") is merged into the
// default branch: each referenced open issue of the repository is closed as completed, with a
// "closed" timeline event and an issues.closed delivery (sender: the merger).
import { isoNow, type SimContext } from "../context";
import { emitIssueEvent } from "../payloads";
import { recordIssueEvent } from "../render/issues";
import { closedIssueNumbers } from "../state/closing-keywords";
import type { PullState, RepoState } from "../state/store";

export function closeReferencedIssues(
  ctx: SimContext,
  repo: RepoState,
  pull: PullState,
  pullBody: string,
): void {
  const merger = pull.mergedBy ?? repo.owner;
  for (const number of closedIssueNumbers(pullBody)) {
    const issue = repo.issues.get(number);
    if (!issue || issue.isPull || issue.state === "closed") continue;
    const now = isoNow(ctx);
    issue.state = "closed";
    issue.stateReason = "completed";
    issue.closedAt = now;
    issue.updatedAt = now;
    recordIssueEvent(ctx, issue, { event: "closed", actor: merger });
    emitIssueEvent(ctx, repo, issue, "closed", merger);
  }
}
