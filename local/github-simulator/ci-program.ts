// Scripted CI: every new commit pushed to a non-default branch gets the programmed check runs (the
// branch's own program, else the repository's), queued at once and completed with the chosen
// outcome after the delay, then its workflow run completes (check_run completed per check,
// check_suite completed, workflow_run completed).
import type { SimContext } from "./context";
import { emitWorkflowRunEvent } from "./payloads";
import { writeCheckRun } from "./routes/checks";
import type { RepoState } from "./state/store";

export const CI_APP_SENDER = "github-actions[bot]";

export function createCiRunner(ctx: () => SimContext) {
  const timers = new Set<NodeJS.Timeout>();
  return {
    onPush(repo: RepoState, ref: string, after: string): void {
      if (!ref.startsWith("heads/") || ref === `heads/${repo.defaultBranch}`) return;
      const program = repo.ciByBranch.get(ref.slice("heads/".length)) ?? repo.ci;
      if (!program) return;
      const runs = program.checks.map((name) =>
        writeCheckRun(ctx(), repo, after, { name, status: "in_progress" }, CI_APP_SENDER),
      );
      const startedAt = ctx().now().toISOString();
      const timer = setTimeout(() => {
        timers.delete(timer);
        for (const run of runs) {
          writeCheckRun(
            ctx(),
            repo,
            after,
            {
              conclusion: program.outcome,
              output: {
                title: `${run.name}: ${program.outcome}`,
                summary: `Scripted CI reported ${program.outcome}.`,
              },
            },
            CI_APP_SENDER,
            run,
          );
        }
        emitWorkflowRunEvent(
          ctx(),
          repo,
          {
            id: runs[0]?.suiteId ?? 1,
            name: "CI",
            headSha: after,
            conclusion: program.outcome,
            startedAt,
          },
          CI_APP_SENDER,
        );
      }, program.delayMs);
      timers.add(timer);
    },
    stop(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
