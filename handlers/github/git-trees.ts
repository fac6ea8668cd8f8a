// Reading a branch's tree through the Git Data API: the head commit, its tree, every entry.
import type { Octokit } from "@octokit/rest";

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

export async function readBranchHead(
  octokit: Octokit,
  ref: RepoRef,
  branch: string,
): Promise<string> {
  const { data } = await octokit.rest.git.getRef({ ...ref, ref: `heads/${branch}` });
  return data.object.sha;
}

export async function readCommit(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
): Promise<{ treeSha: string; parents: string[] }> {
  const { data } = await octokit.rest.git.getCommit({ ...ref, commit_sha: sha });
  return { treeSha: data.tree.sha, parents: data.parents.map((p) => p.sha) };
}

/** Every entry (files, symlinks, submodules) of a tree, by path; walks subtrees when truncated. */
export async function readTreeEntries(
  octokit: Octokit,
  ref: RepoRef,
  treeSha: string,
): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  const { data } = await octokit.rest.git.getTree({ ...ref, tree_sha: treeSha, recursive: "1" });
  if (!data.truncated) {
    for (const item of data.tree) {
      if (item.type !== "tree" && item.path && item.sha && item.mode) {
        entries.set(item.path, {
          path: item.path,
          mode: item.mode,
          type: item.type ?? "blob",
          sha: item.sha,
        });
      }
    }
    return entries;
  }
  // Very large trees come back truncated: read them one directory at a time instead.
  const walk = async (sha: string, prefix: string): Promise<void> => {
    const { data: level } = await octokit.rest.git.getTree({ ...ref, tree_sha: sha });
    for (const item of level.tree) {
      if (!item.path || !item.sha) continue;
      const path = prefix ? `${prefix}/${item.path}` : item.path;
      if (item.type === "tree") await walk(item.sha, path);
      else
        entries.set(path, {
          path,
          mode: item.mode ?? "100644",
          type: item.type ?? "blob",
          sha: item.sha,
        });
    }
  };
  await walk(treeSha, "");
  return entries;
}

/**
 * Every file path on a branch's head (for the interpreter's patch plan and detectPatchStrategy's
 * `repoFiles`): one ref read, one commit read, one recursive tree read.
 */
export async function listBranchFiles(
  octokit: Octokit,
  ref: RepoRef,
  branch: string,
): Promise<string[]> {
  const head = await readBranchHead(octokit, ref, branch);
  const { treeSha } = await readCommit(octokit, ref, head);
  return [...(await readTreeEntries(octokit, ref, treeSha)).keys()].sort();
}
