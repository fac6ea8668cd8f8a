// Git Data API: blobs, trees (base_tree, deletions via sha:null), commits, refs (fast-forward).
import { isoNow } from "../context";
import {
  fail,
  repoOf,
  validationFailed,
  type RouteRequest,
  type RouteTable,
} from "../http/route-types";
import { renderBlob, renderGitCommit, renderRef, renderTree } from "../render/git";
import {
  getObject,
  isAncestor,
  readFlatTree,
  writeBlob,
  writeCommit,
  writeFlatTree,
  type FlatEntry,
} from "../state/git-objects";
import type { Person } from "../state/store";
import { botLogin } from "./issue-helpers";
import { deleteRef, moveRef } from "./ref-updates";

interface TreeInput {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha?: string | null;
  content?: string;
}

function createTree(request: RouteRequest) {
  const repo = repoOf(request);
  const body = request.body as { tree: TreeInput[]; base_tree?: string };
  let flat = new Map<string, FlatEntry>();
  if (body.base_tree !== undefined) {
    if (!getObject(repo, body.base_tree, "tree")) {
      fail(422, `Invalid base_tree: ${body.base_tree} is not a tree of this repository`);
    }
    flat = readFlatTree(repo, body.base_tree);
  }
  for (const entry of body.tree) {
    if (
      !entry.path ||
      entry.path.startsWith("/") ||
      entry.path.split("/").some((s) => s === "" || s === "." || s === "..")
    ) {
      fail(
        422,
        `tree.path "${entry.path}" must be a relative path without empty, "." or ".." segments`,
      );
    }
    const removeUnder = (prefix: string) => {
      for (const key of [...flat.keys()])
        if (key === prefix || key.startsWith(`${prefix}/`)) flat.delete(key);
    };
    if (entry.sha === null) {
      removeUnder(entry.path);
      continue;
    }
    if (entry.content !== undefined && entry.sha !== undefined) {
      fail(422, `tree entry "${entry.path}": use either sha or content, not both`);
    }
    if (entry.type === "tree") {
      if (!entry.sha || !getObject(repo, entry.sha, "tree"))
        fail(422, `tree.sha ${entry.sha} is not a tree`);
      removeUnder(entry.path);
      for (const [sub, value] of readFlatTree(repo, entry.sha))
        flat.set(`${entry.path}/${sub}`, value);
      continue;
    }
    let sha = entry.sha ?? undefined;
    if (entry.content !== undefined) sha = writeBlob(repo, Buffer.from(entry.content, "utf8"));
    if (!sha) fail(422, `tree entry "${entry.path}" needs sha or content`);
    if (entry.type === "blob" && !getObject(repo, sha, "blob")) {
      fail(422, `tree.sha ${sha} for "${entry.path}" is not a blob of this repository`);
    }
    removeUnder(entry.path);
    flat.set(entry.path, { mode: entry.mode, type: entry.type, sha });
  }
  const sha = writeFlatTree(repo, flat);
  return { status: 201, body: renderTree(request.ctx, repo, sha, false) };
}

function person(request: RouteRequest, input: Partial<Person> | undefined): Person {
  const bot = `${request.ctx.store.app.slug}[bot]`;
  return {
    name: input?.name ?? bot,
    email: input?.email ?? `${request.ctx.store.app.id}+${bot}@users.noreply.github.com`,
    date: input?.date
      ? new Date(input.date).toISOString().replace(/\.\d{3}Z$/, "Z")
      : isoNow(request.ctx),
  };
}

function createCommit(request: RouteRequest) {
  const repo = repoOf(request);
  const body = request.body as {
    message: string;
    tree: string;
    parents?: string[];
    author?: Partial<Person>;
    committer?: Partial<Person>;
  };
  if (!getObject(repo, body.tree, "tree")) fail(422, `Tree SHA does not exist: ${body.tree}`);
  for (const parent of body.parents ?? []) {
    if (!getObject(repo, parent, "commit")) {
      fail(422, `Parent SHA does not exist or is not a commit object: ${parent}`);
    }
  }
  const author = person(request, body.author);
  const sha = writeCommit(repo, {
    tree: body.tree,
    parents: body.parents ?? [],
    message: body.message,
    author,
    committer: body.committer ? person(request, body.committer) : author,
  });
  return { status: 201, body: renderGitCommit(request.ctx, repo, sha) };
}

function refName(raw: string): string {
  return raw.replace(/^refs\//, "");
}

export const gitRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/git/blobs": (request) => {
    const repo = repoOf(request);
    const body = request.body as { content: string; encoding?: string };
    const encoding = body.encoding ?? "utf-8";
    if (!["utf-8", "utf8", "base64"].includes(encoding)) {
      validationFailed(
        "Blob",
        "encoding",
        "invalid",
        `encoding must be utf-8 or base64, got ${encoding}`,
      );
    }
    const sha = writeBlob(
      repo,
      Buffer.from(body.content, encoding === "base64" ? "base64" : "utf8"),
    );
    return {
      status: 201,
      body: { url: `${request.ctx.apiUrl}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`, sha },
    };
  },

  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": (request) => {
    const repo = repoOf(request);
    const blob = getObject(repo, request.params.file_sha, "blob");
    if (!blob) fail(404, "Not Found");
    return { status: 200, body: renderBlob(request.ctx, repo, blob) };
  },

  "POST /repos/{owner}/{repo}/git/trees": createTree,

  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": (request) => {
    const repo = repoOf(request);
    let sha = request.params.tree_sha;
    const commit = getObject(repo, sha, "commit");
    if (commit) sha = commit.tree;
    else if (!getObject(repo, sha, "tree")) {
      const branch = repo.refs.get(`heads/${sha}`);
      if (!branch) fail(404, "Not Found");
      sha = getObject(repo, branch, "commit")!.tree;
    }
    const recursive = request.query.has("recursive");
    return { status: 200, body: renderTree(request.ctx, repo, sha, recursive) };
  },

  "POST /repos/{owner}/{repo}/git/commits": createCommit,

  "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": (request) => {
    const repo = repoOf(request);
    if (!getObject(repo, request.params.commit_sha, "commit")) fail(404, "Not Found");
    return { status: 200, body: renderGitCommit(request.ctx, repo, request.params.commit_sha) };
  },

  "GET /repos/{owner}/{repo}/git/ref/{ref}": (request) => {
    const repo = repoOf(request);
    const ref = refName(request.params.ref);
    const sha = repo.refs.get(ref);
    if (!sha) fail(404, "Not Found");
    return { status: 200, body: renderRef(request.ctx, repo, ref, sha) };
  },

  "GET /repos/{owner}/{repo}/git/matching-refs/{ref}": (request) => {
    const repo = repoOf(request);
    const prefix = refName(request.params.ref);
    const refs = [...repo.refs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, sha]) => renderRef(request.ctx, repo, name, sha));
    return { status: 200, body: refs };
  },

  "POST /repos/{owner}/{repo}/git/refs": (request) => {
    const repo = repoOf(request);
    const body = request.body as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(body.ref)) {
      fail(422, "ref must start with 'refs' and have at least two slashes.");
    }
    const ref = refName(body.ref);
    if (repo.refs.has(ref)) fail(422, "Reference already exists");
    if (!repo.objects.has(body.sha)) fail(422, "Object does not exist");
    moveRef(request, repo, ref, body.sha);
    return { status: 201, body: renderRef(request.ctx, repo, ref, body.sha) };
  },

  "PATCH /repos/{owner}/{repo}/git/refs/{ref}": (request) => {
    const repo = repoOf(request);
    const ref = refName(request.params.ref);
    const body = request.body as { sha: string; force?: boolean };
    const current = repo.refs.get(ref);
    if (!current) fail(422, "Reference does not exist");
    if (!getObject(repo, body.sha, "commit")) fail(422, "Object does not exist");
    if (!body.force && !isAncestor(repo, current, body.sha))
      fail(422, "Update is not a fast forward");
    moveRef(request, repo, ref, body.sha);
    return { status: 200, body: renderRef(request.ctx, repo, ref, body.sha) };
  },

  "DELETE /repos/{owner}/{repo}/git/refs/{ref}": (request) => {
    const repo = repoOf(request);
    const ref = refName(request.params.ref);
    if (!repo.refs.has(ref)) fail(422, "Reference does not exist");
    deleteRef(request.ctx, repo, ref, botLogin(request));
    return { status: 204 };
  },
};
