// Pull request facts derived from the git state: live head SHA, mergeability, diff stats.
import { getObject, isAncestor, mergeBase, mergeTrees, commitTree } from "./git-objects";
import { rulesetViolations } from "./branch-rules";
import { unsatisfiedRequiredChecks } from "./ci-state";
import type { PullState, RepoState } from "./store";

export function pullHeadSha(repo: RepoState, pull: PullState, open: boolean): string {
  return open ? (repo.refs.get(`heads/${pull.head}`) ?? pull.headSha) : pull.headSha;
}

/** Closes a PR, freezing the head/base SHAs it had (the branches may move or vanish later). */
export function closePullState(repo: RepoState, pull: PullState, nowIso: string): void {
  const issue = repo.issues.get(pull.number)!;
  pull.headSha = pullHeadSha(repo, pull, true);
  pull.baseSha = repo.refs.get(`heads/${pull.base}`) ?? pull.baseSha;
  issue.state = "closed";
  issue.closedAt = nowIso;
  issue.updatedAt = nowIso;
}

export interface Mergeability {
  mergeable: boolean;
  /** GitHub's mergeable_state: clean | dirty (conflicts) | blocked (required checks) | behind */
  state: "clean" | "dirty" | "blocked" | "unknown";
  conflicts: string[];
  missingChecks: string[];
  /** Repository ruleset violations (required checks, approvals), as merge message lines. */
  ruleViolations: string[];
}

export function mergeability(repo: RepoState, pull: PullState): Mergeability {
  const head = repo.refs.get(`heads/${pull.head}`);
  const base = repo.refs.get(`heads/${pull.base}`);
  if (!head || !base)
    return {
      mergeable: false,
      state: "dirty",
      conflicts: [],
      missingChecks: [],
      ruleViolations: [],
    };
  const missingChecks = unsatisfiedRequiredChecks(repo, pull.base, head);
  const ruleViolations = rulesetViolations(repo, pull, head);
  let conflicts: string[] = [];
  if (!isAncestor(repo, base, head)) {
    conflicts = mergeTrees(repo, mergeBase(repo, base, head), base, head).conflicts;
  }
  const blocked = missingChecks.length > 0 || ruleViolations.length > 0;
  const state = conflicts.length ? "dirty" : blocked ? "blocked" : "clean";
  return { mergeable: conflicts.length === 0, state, conflicts, missingChecks, ruleViolations };
}

export interface FileDiff {
  filename: string;
  status: "added" | "removed" | "modified";
  sha: string | null;
  additions: number;
  deletions: number;
}

/** Changed lines by longest common subsequence (small files) or a line-multiset estimate. */
function lineChanges(before: string, after: string): { additions: number; deletions: number } {
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  if (a.length * b.length > 4_000_000) {
    const counts = new Map<string, number>();
    for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
    let common = 0;
    for (const line of b) {
      const n = counts.get(line) ?? 0;
      if (n > 0) {
        common += 1;
        counts.set(line, n - 1);
      }
    }
    return { additions: b.length - common, deletions: a.length - common };
  }
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], row[j - 1]);
    }
    previous = row;
  }
  const common = previous[b.length];
  return { additions: b.length - common, deletions: a.length - common };
}

export function diffCommits(repo: RepoState, fromSha: string, toSha: string): FileDiff[] {
  const from = commitTree(repo, fromSha);
  const to = commitTree(repo, toSha);
  const text = (sha?: string) =>
    sha ? (getObject(repo, sha, "blob")?.content.toString() ?? "") : "";
  const files: FileDiff[] = [];
  for (const path of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const [x, y] = [from.get(path), to.get(path)];
    if (x?.sha === y?.sha) continue;
    const status = !x ? "added" : !y ? "removed" : "modified";
    files.push({
      filename: path,
      status,
      sha: y?.sha ?? null,
      ...lineChanges(text(x?.sha), text(y?.sha)),
    });
  }
  return files;
}

/** Commits reachable from head but not from base, oldest first (what a PR or compare lists). */
export function commitsBetween(repo: RepoState, baseSha: string, headSha: string): string[] {
  const onBase = new Set<string>();
  const stack = [baseSha];
  while (stack.length) {
    const sha = stack.pop()!;
    if (onBase.has(sha)) continue;
    onBase.add(sha);
    stack.push(...(getObject(repo, sha, "commit")?.parents ?? []));
  }
  const result: string[] = [];
  const seen = new Set<string>();
  const walk = [headSha];
  while (walk.length) {
    const sha = walk.pop()!;
    if (seen.has(sha) || onBase.has(sha)) continue;
    seen.add(sha);
    result.push(sha);
    walk.push(...(getObject(repo, sha, "commit")?.parents ?? []));
  }
  return result.reverse();
}
