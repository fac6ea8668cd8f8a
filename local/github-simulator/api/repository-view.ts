// Extension: a repository as a person sees it on github.com (issues with labels and comments, pull
// requests with commits, diff, checks and merge state, branches), read from the in-memory state
// without HTTP or a token. The local dashboard renders it.
import { structuredPatch } from "diff";
import type { SimContext } from "../context";
import { latestCheckRuns, latestStatuses } from "../state/ci-state";
import { commitTree, getObject, mergeBase } from "../state/git-objects";
import {
  commitsBetween,
  diffCommits,
  mergeability,
  pullHeadSha,
  type FileDiff,
} from "../state/pull-logic";
import type { PullState, RepoState } from "../state/store";
import { findRepo } from "./lookup";

export interface ViewComment {
  id: number;
  user: string;
  body: string;
  createdAt: string;
}

export interface ViewIssue {
  number: number;
  title: string;
  body: string;
  user: string;
  state: "open" | "closed";
  labels: string[];
  isPull: boolean;
  createdAt: string;
  comments: ViewComment[];
}

export interface ViewFile extends FileDiff {
  /** Unified diff hunks (no file header), "" for a binary-looking or empty change. */
  patch: string;
}

export interface ViewPull {
  number: number;
  title: string;
  body: string;
  user: string;
  head: string;
  base: string;
  headSha: string;
  state: "open" | "closed";
  merged: boolean;
  mergedBy: string | null;
  draft: boolean;
  /** GitHub's mergeable_state for an open PR; "merged" / "closed" otherwise. */
  mergeState: string;
  commits: Array<{ sha: string; message: string; author: string; date: string }>;
  files: ViewFile[];
  checks: Array<{
    name: string;
    status: string;
    conclusion: string | null;
    summary: string | null;
  }>;
  statuses: Array<{ context: string; state: string; description: string | null }>;
  comments: ViewComment[];
}

export interface RepositoryView {
  owner: string;
  name: string;
  defaultBranch: string;
  branches: Array<{ name: string; sha: string }>;
  issues: ViewIssue[];
  pulls: ViewPull[];
}

export interface RepositoryViewApi {
  listRepositories(): Array<{ owner: string; name: string }>;
  describeRepository(owner: string, name: string): RepositoryView;
}

function commentsOf(repo: RepoState, issueNumber: number): ViewComment[] {
  return [...repo.comments.values()]
    .filter((c) => c.issueNumber === issueNumber)
    .sort((a, b) => a.id - b.id)
    .map((c) => ({ id: c.id, user: c.user, body: c.body, createdAt: c.createdAt }));
}

function blobText(repo: RepoState, sha: string | undefined): string {
  return sha ? (getObject(repo, sha, "blob")?.content.toString("utf8") ?? "") : "";
}

/** A hunk range as git writes it: an empty side starts at the line before (`-0,0` for a new file). */
function range(start: number, lines: number): string {
  return `${lines === 0 ? Math.max(0, start - 1) : start},${lines}`;
}

function filesOf(repo: RepoState, baseSha: string, headSha: string): ViewFile[] {
  const before = commitTree(repo, baseSha);
  const after = commitTree(repo, headSha);
  return diffCommits(repo, baseSha, headSha).map((file) => {
    const patch = structuredPatch(
      file.filename,
      file.filename,
      blobText(repo, before.get(file.filename)?.sha),
      blobText(repo, after.get(file.filename)?.sha),
      "",
      "",
      { context: 3 },
    );
    const text = patch.hunks
      .map((h) => [
        `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`,
        ...h.lines,
      ])
      .flat()
      .join("\n");
    return { ...file, patch: text };
  });
}

function describePull(repo: RepoState, pull: PullState): ViewPull {
  const issue = repo.issues.get(pull.number)!;
  const open = issue.state === "open";
  const headSha = pullHeadSha(repo, pull, open);
  const baseSha = open ? (repo.refs.get(`heads/${pull.base}`) ?? pull.baseSha) : pull.baseSha;
  // GitHub's three-dot diff: against the merge base; a merged PR's base as it was before the merge.
  const baseBefore =
    pull.merged && pull.mergeCommitSha
      ? (getObject(repo, pull.mergeCommitSha, "commit")?.parents[0] ?? baseSha)
      : baseSha;
  const diffBase = mergeBase(repo, baseBefore, headSha) ?? baseBefore;
  const commits = commitsBetween(repo, diffBase, headSha).map((sha) => {
    const commit = getObject(repo, sha, "commit")!;
    return { sha, message: commit.message, author: commit.author.name, date: commit.author.date };
  });
  return {
    number: pull.number,
    title: issue.title,
    body: issue.body,
    user: issue.user,
    head: pull.head,
    base: pull.base,
    headSha,
    state: issue.state,
    merged: pull.merged,
    mergedBy: pull.mergedBy,
    draft: pull.draft,
    mergeState: pull.merged ? "merged" : open ? mergeability(repo, pull).state : "closed",
    commits,
    files: filesOf(repo, diffBase, headSha),
    checks: latestCheckRuns(repo, headSha).map((run) => ({
      name: run.name,
      status: run.status,
      conclusion: run.conclusion,
      summary: run.output.summary,
    })),
    statuses: latestStatuses(repo, headSha).map((s) => ({
      context: s.context,
      state: s.state,
      description: s.description,
    })),
    comments: commentsOf(repo, pull.number),
  };
}

export function createRepositoryViewApi(ctx: SimContext): RepositoryViewApi {
  return {
    listRepositories() {
      return [...ctx.store.repos.values()].map((r) => ({ owner: r.owner, name: r.name }));
    },
    describeRepository(owner, name) {
      const repo = findRepo(ctx, owner, name);
      return {
        owner: repo.owner,
        name: repo.name,
        defaultBranch: repo.defaultBranch,
        branches: [...repo.refs.entries()]
          .filter(([ref]) => ref.startsWith("heads/"))
          .map(([ref, sha]) => ({ name: ref.slice("heads/".length), sha }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        issues: [...repo.issues.values()]
          .sort((a, b) => b.number - a.number)
          .map((issue) => ({
            number: issue.number,
            title: issue.title,
            body: issue.body,
            user: issue.user,
            state: issue.state,
            labels: [...issue.labels],
            isPull: issue.isPull,
            createdAt: issue.createdAt,
            comments: commentsOf(repo, issue.number),
          })),
        pulls: [...repo.pulls.values()]
          .sort((a, b) => b.number - a.number)
          .map((pull) => describePull(repo, pull)),
      };
    },
  };
}
