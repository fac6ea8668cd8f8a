// Ref moves and deletions with their side effects, as on GitHub: a push notifies (CI programs,
// pull_request.synchronize); deleting a PR's head branch closes the PR.
import { isoNow, type SimContext } from "../context";
import { emitPullEvent } from "../payloads";
import { closePullState } from "../state/pull-logic";
import type { RepoState } from "../state/store";
import type { RouteRequest } from "../http/route-types";

export function moveRef(
  request: Pick<RouteRequest, "ctx">,
  repo: RepoState,
  ref: string,
  sha: string,
  pusher = `${request.ctx.store.app.slug}[bot]`,
): void {
  const before = repo.refs.get(ref) ?? null;
  repo.refs.set(ref, sha);
  if (before === sha) return;
  // GitHub recomputes mergeability in the background after either side of a PR moves.
  for (const pull of repo.pulls.values()) {
    if (ref === `heads/${pull.head}` || ref === `heads/${pull.base}`) {
      pull.mergeableComputingReads = request.ctx.mergeableComputeReads;
    }
  }
  request.ctx.onPush(repo, ref, before, sha, pusher);
}

export function deleteRef(ctx: SimContext, repo: RepoState, ref: string, sender: string): void {
  for (const pull of repo.pulls.values()) {
    if (`heads/${pull.head}` !== ref || repo.issues.get(pull.number)?.state !== "open") continue;
    closePullState(repo, pull, isoNow(ctx));
    emitPullEvent(ctx, repo, pull, "closed", sender);
  }
  repo.refs.delete(ref);
}
