// `GET /repos/{owner}/{repo}/tarball/{ref}`: like GitHub, a 302 to a short-lived download URL (on
// GitHub codeload.github.com, here `/_codeload/<token>` on the simulator itself, served by
// http/codeload.ts). Octokit's fetch follows the redirect.
import { randomUUID } from "node:crypto";
import { fail, repoOf, type RouteTable } from "../http/route-types";
import { resolveCommitish } from "../state/git-objects";
import { repoKey } from "../state/store";

/** GitHub's private-repository archive links expire after five minutes. */
const ARCHIVE_LINK_MS = 5 * 60 * 1000;

export const archiveRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/tarball/{ref}": (request) => {
    const repo = repoOf(request);
    const ref = request.params.ref || repo.defaultBranch;
    const commitSha = resolveCommitish(repo, ref);
    if (!commitSha) fail(404, `No commit found for the ref ${ref}`);
    const token = randomUUID();
    request.ctx.store.archives.set(token, {
      repoKey: repoKey(repo.owner, repo.name),
      commitSha,
      expiresAt: request.ctx.now().getTime() + ARCHIVE_LINK_MS,
    });
    return { status: 302, headers: { location: `${request.ctx.apiUrl}/_codeload/${token}` } };
  },
};
