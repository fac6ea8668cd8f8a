// GitHub side of the patch generator, all through the Git Data API: read the default branch head
// and its tree, write the patch as blobs + a tree on `base_tree` + a commit whose parent is that
// head (no ref is created or moved: the commit stays unreferenced until CreatePullRequest), and
// read a patch commit back as a change set for ValidatePatch.
import type { Octokit } from "@octokit/rest";
import type { SnapshotLimits } from "../localization/bounds";
import { readRepositorySnapshot } from "../localization/github-tarball";
import type { TreeFile } from "../patch-text/tree-file";
import type { FileChange } from "./change-set";
import { patchError } from "../patch-text/patch-errors";
import type { RepoReader } from "./generate-changes";
import { readTreeEntries, type RepoRef, type TreeEntry } from "../github/git-trees";

const UTF8 = () => new TextDecoder("utf-8", { fatal: true });

async function readEntry(octokit: Octokit, ref: RepoRef, entry: TreeEntry): Promise<TreeFile> {
  if (entry.mode === "160000") {
    // What git shows for a submodule: the commit it pins.
    return { content: `Subproject commit ${entry.sha}\n`, mode: entry.mode };
  }
  const { data } = await octokit.rest.git.getBlob({ ...ref, file_sha: entry.sha });
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  try {
    return { content: UTF8().decode(bytes), mode: entry.mode };
  } catch {
    throw patchError(
      "PatchUnsupported",
      `${entry.path} is not UTF-8 text (binary?): AFU-9 only patches text files`,
    );
  }
}

/**
 * A RepoReader over one commit's tree (the default branch head the patch is based on). With the
 * commit SHA, `readSnapshot` reads the whole tree in one tarball request (for the AI's context).
 */
export function createGitHubRepoReader(
  octokit: Octokit,
  ref: RepoRef,
  treeSha: string,
  commitSha?: string,
): RepoReader & { entries(): Promise<Map<string, TreeEntry>> } {
  let tree: Promise<Map<string, TreeEntry>> | undefined;
  const entries = () => (tree ??= readTreeEntries(octokit, ref, treeSha));
  return {
    entries,
    ...(commitSha
      ? {
          readSnapshot: (limits: SnapshotLimits) =>
            readRepositorySnapshot(octokit, { ...ref, ref: commitSha }, limits),
        }
      : {}),
    async readFile(path) {
      const entry = (await entries()).get(path);
      return entry ? readEntry(octokit, ref, entry) : null;
    },
    async listFiles() {
      return [...(await entries()).keys()].sort();
    },
  };
}

/**
 * Writes the change set as git objects: one blob per new or changed file, a tree on `base_tree`
 * (deletions as `sha: null`), and a commit whose only parent is `baseSha`. Returns the commit SHA.
 */
export async function writePatchCommit(
  octokit: Octokit,
  ref: RepoRef,
  input: { baseSha: string; baseTreeSha: string; changes: FileChange[]; message: string },
): Promise<string> {
  type NewEntry = {
    path: string;
    mode: "100644" | "100755" | "040000" | "160000" | "120000";
    type: "blob" | "tree" | "commit";
    sha: string | null;
  };
  const tree: NewEntry[] = [];
  for (const change of input.changes) {
    if (change.previousPath) {
      tree.push({ path: change.previousPath, mode: "100644", type: "blob", sha: null });
    }
    if (change.newFile === null) {
      tree.push({ path: change.path, mode: "100644", type: "blob", sha: null });
      continue;
    }
    const mode = change.newFile.mode as NewEntry["mode"];
    if (mode === "160000") {
      const pinned = /^Subproject commit ([0-9a-f]{40})/.exec(change.newFile.content);
      if (!pinned)
        throw patchError("PatchUnsupported", `${change.path}: submodule entry without a commit`);
      tree.push({ path: change.path, mode, type: "commit", sha: pinned[1] });
      continue;
    }
    const { data: blob } = await octokit.rest.git.createBlob({
      ...ref,
      content: Buffer.from(change.newFile.content, "utf8").toString("base64"),
      encoding: "base64",
    });
    tree.push({ path: change.path, mode, type: "blob", sha: blob.sha });
  }
  let treeSha = input.baseTreeSha;
  if (tree.length > 0) {
    const { data } = await octokit.rest.git.createTree({
      ...ref,
      base_tree: input.baseTreeSha,
      tree,
    });
    treeSha = data.sha;
  }
  const { data: commit } = await octokit.rest.git.createCommit({
    ...ref,
    message: input.message,
    tree: treeSha,
    parents: [input.baseSha],
  });
  return commit.sha;
}

/**
 * The change set between two commits' trees (for ValidatePatch), read from GitHub: every path
 * whose mode or content differs. A deleted and an added path with the same blob form a rename.
 */
export async function readCommitChanges(
  octokit: Octokit,
  ref: RepoRef,
  baseTreeSha: string,
  headTreeSha: string,
): Promise<FileChange[]> {
  const [before, after] = await Promise.all([
    readTreeEntries(octokit, ref, baseTreeSha),
    readTreeEntries(octokit, ref, headTreeSha),
  ]);
  const added: TreeEntry[] = [];
  const deleted: TreeEntry[] = [];
  const changes: FileChange[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) added.push(entry);
    else if (old.sha !== entry.sha || old.mode !== entry.mode) {
      changes.push({
        path,
        change: "modified",
        oldFile: await readEntry(octokit, ref, old),
        newFile: await readEntry(octokit, ref, entry),
      });
    }
  }
  for (const [path, entry] of before) if (!after.has(path)) deleted.push(entry);
  for (const entry of added) {
    const source = deleted.findIndex((d) => d.sha === entry.sha);
    const newFile = await readEntry(octokit, ref, entry);
    if (source !== -1) {
      const [from] = deleted.splice(source, 1);
      changes.push({
        path: entry.path,
        change: "renamed",
        previousPath: from.path,
        oldFile: { content: newFile.content, mode: from.mode },
        newFile,
      });
    } else changes.push({ path: entry.path, change: "added", oldFile: null, newFile });
  }
  for (const entry of deleted) {
    changes.push({
      path: entry.path,
      change: "deleted",
      oldFile: await readEntry(octokit, ref, entry),
      newFile: null,
    });
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}
