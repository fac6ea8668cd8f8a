// Git objects with real git SHA-1 ids (`git hash-object` gives the same blob ids), nested trees,
// commit ancestry. File-level only: no packfiles, no submodule contents.
import { createHash } from "node:crypto";
import type { GitObject, Person, RepoState, TreeEntry } from "./store";

export interface FlatEntry {
  mode: string;
  type: "blob" | "commit";
  sha: string;
}

function hashObject(type: string, body: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest("hex");
}

export function writeBlob(repo: RepoState, content: Buffer): string {
  const sha = hashObject("blob", content);
  repo.objects.set(sha, { type: "blob", sha, content });
  return sha;
}

function sortKey(entry: TreeEntry): string {
  return entry.type === "tree" ? `${entry.name}/` : entry.name;
}

export function writeTreeObject(repo: RepoState, entries: TreeEntry[]): string {
  const sorted = [...entries].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const body = Buffer.concat(
    sorted.map((entry) =>
      Buffer.concat([
        Buffer.from(`${entry.mode.replace(/^0/, "")} ${entry.name}\0`),
        Buffer.from(entry.sha, "hex"),
      ]),
    ),
  );
  const sha = hashObject("tree", body);
  repo.objects.set(sha, { type: "tree", sha, entries: sorted });
  return sha;
}

/** Builds nested trees from "a/b/c.txt" -> entry; returns the root tree sha. */
export function writeFlatTree(repo: RepoState, flat: Map<string, FlatEntry>): string {
  const children = new Map<string, Map<string, FlatEntry>>();
  const entries: TreeEntry[] = [];
  for (const [path, entry] of flat) {
    const slash = path.indexOf("/");
    if (slash === -1) {
      entries.push({ name: path, ...entry });
      continue;
    }
    const dir = path.slice(0, slash);
    if (!children.has(dir)) children.set(dir, new Map());
    children.get(dir)!.set(path.slice(slash + 1), entry);
  }
  for (const [dir, sub] of children) {
    entries.push({ name: dir, mode: "040000", type: "tree", sha: writeFlatTree(repo, sub) });
  }
  return writeTreeObject(repo, entries);
}

export function getObject<T extends GitObject["type"]>(
  repo: RepoState,
  sha: string,
  type: T,
): Extract<GitObject, { type: T }> | undefined {
  const object = repo.objects.get(sha);
  return object?.type === type ? (object as Extract<GitObject, { type: T }>) : undefined;
}

/** path -> blob entry for every file below the tree. */
export function readFlatTree(
  repo: RepoState,
  treeSha: string,
  prefix = "",
): Map<string, FlatEntry> {
  const flat = new Map<string, FlatEntry>();
  const tree = getObject(repo, treeSha, "tree");
  if (!tree) throw new Error(`tree ${treeSha} not found`);
  for (const entry of tree.entries) {
    const path = prefix + entry.name;
    if (entry.type === "tree") {
      for (const [sub, value] of readFlatTree(repo, entry.sha, `${path}/`)) flat.set(sub, value);
    } else {
      flat.set(path, { mode: entry.mode, type: entry.type, sha: entry.sha });
    }
  }
  return flat;
}

export function writeCommit(
  repo: RepoState,
  input: { tree: string; parents: string[]; message: string; author: Person; committer?: Person },
): string {
  const committer = input.committer ?? input.author;
  const stamp = (p: Person) =>
    `${p.name} <${p.email}> ${Math.floor(Date.parse(p.date) / 1000)} +0000`;
  const text = [
    `tree ${input.tree}`,
    ...input.parents.map((parent) => `parent ${parent}`),
    `author ${stamp(input.author)}`,
    `committer ${stamp(committer)}`,
    "",
    input.message,
  ].join("\n");
  const sha = hashObject("commit", Buffer.from(text));
  repo.objects.set(sha, {
    type: "commit",
    sha,
    tree: input.tree,
    parents: input.parents,
    message: input.message,
    author: input.author,
    committer,
  });
  return sha;
}

/** Every commit reachable from `sha` (including it), nearest first. */
export function ancestors(repo: RepoState, sha: string): string[] {
  const seen = new Set<string>();
  const queue = [sha];
  const order: string[] = [];
  while (queue.length) {
    const current = queue.shift()!;
    if (seen.has(current)) continue;
    seen.add(current);
    order.push(current);
    const commit = getObject(repo, current, "commit");
    if (commit) queue.push(...commit.parents);
  }
  return order;
}

export function isAncestor(repo: RepoState, maybeAncestor: string, of: string): boolean {
  return ancestors(repo, of).includes(maybeAncestor);
}

export function mergeBase(repo: RepoState, a: string, b: string): string | undefined {
  const ofA = new Set(ancestors(repo, a));
  return ancestors(repo, b).find((sha) => ofA.has(sha));
}

/** Resolves a branch name, "heads/x", "refs/heads/x", tag or (abbreviated) commit sha. */
export function resolveCommitish(repo: RepoState, ref: string): string | undefined {
  const name = ref.replace(/^refs\//, "");
  for (const candidate of [name, `heads/${name}`, `tags/${name}`]) {
    const sha = repo.refs.get(candidate);
    if (sha) return sha;
  }
  if (/^[0-9a-f]{7,40}$/.test(ref)) {
    if (getObject(repo, ref, "commit")) return ref;
    for (const [sha, object] of repo.objects) {
      if (object.type === "commit" && sha.startsWith(ref)) return sha;
    }
  }
  return undefined;
}

export function commitTree(repo: RepoState, commitSha: string): Map<string, FlatEntry> {
  const commit = getObject(repo, commitSha, "commit");
  if (!commit) throw new Error(`commit ${commitSha} not found`);
  return readFlatTree(repo, commit.tree);
}

/**
 * File-level three-way merge (what GitHub's mergeability check boils down to for AFU-9's
 * purposes): a path changed differently on both sides is a conflict.
 */
export function mergeTrees(
  repo: RepoState,
  baseSha: string | undefined,
  ours: string,
  theirs: string,
): { flat: Map<string, FlatEntry>; conflicts: string[] } {
  const base = baseSha ? commitTree(repo, baseSha) : new Map<string, FlatEntry>();
  const o = commitTree(repo, ours);
  const t = commitTree(repo, theirs);
  const flat = new Map<string, FlatEntry>();
  const conflicts: string[] = [];
  for (const path of new Set([...base.keys(), ...o.keys(), ...t.keys()])) {
    const [b, x, y] = [base.get(path), o.get(path), t.get(path)];
    const same = (p?: FlatEntry, q?: FlatEntry) => p?.sha === q?.sha && p?.mode === q?.mode;
    let pick: FlatEntry | undefined;
    if (same(x, y)) pick = x;
    else if (same(x, b)) pick = y;
    else if (same(y, b)) pick = x;
    else {
      conflicts.push(path);
      pick = x;
    }
    if (pick) flat.set(path, pick);
  }
  return { flat, conflicts };
}
