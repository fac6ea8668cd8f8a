// The repository at one ref in one request: `GET /repos/{owner}/{repo}/tarball/{ref}`. GitHub
// answers 302 to a codeload URL, which fetch follows; the body is handed to the tarball reader as
// a stream (Octokit's `parseSuccessResponseBody: false`), so the archive is never held whole.
import type { Octokit } from "@octokit/rest";
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from "./bounds";
import type { RepoSnapshot } from "./snapshot";
import { readTarballSnapshot, type TarballSource } from "./tarball";

export interface RepoAtRef {
  owner: string;
  repo: string;
  ref: string;
}

export async function readRepositorySnapshot(
  octokit: Octokit,
  at: RepoAtRef,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): Promise<RepoSnapshot> {
  const response = await octokit.rest.repos.downloadTarballArchive({
    owner: at.owner,
    repo: at.repo,
    ref: at.ref,
    request: { parseSuccessResponseBody: false },
  });
  return readTarballSnapshot(response.data as unknown as TarballSource, limits);
}
