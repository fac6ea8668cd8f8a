// Git Data API objects (commits, refs, trees, blobs) and repository contents.
import type { SimContext } from "../context";
import { fill } from "../openapi/fill";
import { getObject } from "../state/git-objects";
import type { FileDiff } from "../state/pull-logic";
import type { GitObject, RepoState, TreeEntry } from "../state/store";

const repoApi = (ctx: SimContext, repo: RepoState) =>
  `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}`;
const nodeId = (kind: string, sha: string) => Buffer.from(`${kind}${sha}`).toString("base64");

export function renderGitCommit(ctx: SimContext, repo: RepoState, sha: string) {
  const commit = getObject(repo, sha, "commit")!;
  const api = repoApi(ctx, repo);
  return fill("git-commit", {
    sha,
    node_id: nodeId("06:Commit", sha),
    url: `${api}/git/commits/${sha}`,
    html_url: `${ctx.webUrl}/${repo.owner}/${repo.name}/commit/${sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${api}/git/commits/${parent}`,
      html_url: `${ctx.webUrl}/${repo.owner}/${repo.name}/commit/${parent}`,
    })),
    verification: {
      verified: false,
      reason: "unsigned",
      signature: null,
      payload: null,
      verified_at: null,
    },
  });
}

export function renderRef(ctx: SimContext, repo: RepoState, ref: string, sha: string) {
  const type = repo.objects.get(sha)?.type ?? "commit";
  return fill("git-ref", {
    ref: `refs/${ref}`,
    node_id: nodeId("03:Ref", ref),
    url: `${repoApi(ctx, repo)}/git/refs/${ref}`,
    object: { type, sha, url: `${repoApi(ctx, repo)}/git/${type}s/${sha}` },
  });
}

function entrySize(repo: RepoState, entry: TreeEntry): number | undefined {
  const blob = entry.type === "blob" ? getObject(repo, entry.sha, "blob") : undefined;
  return blob?.content.length;
}

/** A tree listing; `recursive` lists every level with full paths (GitHub's ?recursive=1). */
export function renderTree(ctx: SimContext, repo: RepoState, sha: string, recursive: boolean) {
  const rows: Record<string, unknown>[] = [];
  const walk = (treeSha: string, prefix: string) => {
    const tree = getObject(repo, treeSha, "tree")!;
    for (const entry of tree.entries) {
      const size = entrySize(repo, entry);
      rows.push({
        path: prefix + entry.name,
        mode: entry.mode,
        type: entry.type,
        sha: entry.sha,
        ...(size === undefined ? {} : { size }),
        url: `${repoApi(ctx, repo)}/git/${entry.type}s/${entry.sha}`,
      });
      if (recursive && entry.type === "tree") walk(entry.sha, `${prefix}${entry.name}/`);
    }
  };
  walk(sha, "");
  return fill("git-tree", {
    sha,
    url: `${repoApi(ctx, repo)}/git/trees/${sha}`,
    tree: rows,
    truncated: false,
  });
}

export function renderBlob(
  ctx: SimContext,
  repo: RepoState,
  blob: Extract<GitObject, { type: "blob" }>,
) {
  return fill("blob", {
    sha: blob.sha,
    node_id: nodeId("04:Blob", blob.sha),
    url: `${repoApi(ctx, repo)}/git/blobs/${blob.sha}`,
    size: blob.content.length,
    content: blob.content.toString("base64").replace(/(.{60})/g, "$1\n"),
    encoding: "base64",
  });
}

export function renderContentEntry(
  ctx: SimContext,
  repo: RepoState,
  ref: string,
  path: string,
  entry: { type: "file" | "dir"; sha: string; size: number },
  content?: Buffer,
) {
  const api = `${repoApi(ctx, repo)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const web = `${ctx.webUrl}/${repo.owner}/${repo.name}/${entry.type === "dir" ? "tree" : "blob"}/${ref}/${path}`;
  const git = `${repoApi(ctx, repo)}/git/${entry.type === "dir" ? "trees" : "blobs"}/${entry.sha}`;
  const download =
    entry.type === "file" ? `${ctx.apiUrl}/raw/${repo.owner}/${repo.name}/${ref}/${path}` : null;
  return {
    type: entry.type,
    size: entry.size,
    name: path.split("/").pop() ?? path,
    path,
    sha: entry.sha,
    url: api,
    git_url: git,
    html_url: web,
    download_url: download,
    _links: { self: api, git, html: web },
    ...(content
      ? { content: content.toString("base64").replace(/(.{60})/g, "$1\n"), encoding: "base64" }
      : {}),
  };
}

/** The REST `commit` object (compare, commits/{ref}, status payloads), optionally with files. */
export function renderCommit(
  ctx: SimContext,
  repo: RepoState,
  sha: string,
  extra: Record<string, unknown> = {},
) {
  const git = renderGitCommit(ctx, repo, sha);
  const api = repoApi(ctx, repo);
  return fill("commit", {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: git.node_id,
    html_url: git.html_url,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: { ...git, comment_count: 0 },
    author: null,
    committer: null,
    parents: (git.parents as Array<Record<string, unknown>>).map((p) => ({
      sha: p.sha,
      url: p.url,
      html_url: p.html_url,
    })),
    ...extra,
  });
}

/** One changed file as the REST API lists it (PR files, compare, commit), its links at `ref`. */
export function renderDiffEntry(ctx: SimContext, repo: RepoState, file: FileDiff, ref: string) {
  const web = `${ctx.webUrl}/${repo.owner}/${repo.name}`;
  return fill("diff-entry", {
    ...file,
    changes: file.additions + file.deletions,
    blob_url: `${web}/blob/${ref}/${file.filename}`,
    raw_url: `${web}/raw/${ref}/${file.filename}`,
    contents_url: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}/contents/${file.filename}?ref=${ref}`,
  });
}
