// CreatePullRequest: point `afu9/issue-<n>` at the patch commit and open (or reuse) the one PR for
// it. Every write is preceded by a read that shows whether it is still needed, so running the state
// twice with the same input creates no second branch, PR, label or comment.
import type { Octokit } from "@octokit/rest";
import { upsertMarkedComment } from "../github/marked-comment";
import type { TaskDeps } from "../shared/types";
import type { PullRequestRef, WorkflowState } from "../../contract/state";
import {
  dryRunComment,
  issueLinkComment,
  pullRequestBody,
  pullRequestTitle,
  readPatchCommitMarker,
} from "./pr-text";
import { CI_FAILED_LABEL, FACTORY_LABEL, branchForIssue } from "../../contract/conventions";
import { effectivePatch, prSwitches, repoOf, requireSlice, shortSha } from "../shared/run-state";
import { gitHubReason, httpStatus } from "../github/errors";
import { labelNames } from "../github/labels";
import { factoryError } from "../../contract/errors";

/** Marker kind of the issue comment that links the PR (or says what a dry run would do). */
export const PR_LINK_COMMENT = "pull-request";

interface PullSummary {
  number: number;
  state: string;
  html_url: string;
  title: string;
  body: string | null;
  draft?: boolean;
  labels: Array<{ name?: string } | string>;
  head: { ref: string; sha: string };
}

async function readBranchHead(
  octokit: Octokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

function branchNotOwned(branch: string, head: string): Error {
  return factoryError(
    "BranchNotOwned",
    `branch ${branch} points at ${head}, a commit AFU-9 did not put there (someone pushed to ` +
      `it). AFU-9 does not overwrite other people's work: merge or delete the branch, then ` +
      `trigger AFU-9 again on this issue.`,
  );
}

/**
 * A branch head AFU-9 may move: one of its own earlier patch commits (recorded in a factory PR
 * body), or a commit already contained in the default branch (nothing would be lost).
 */
async function mayMoveBranch(
  octokit: Octokit,
  state: WorkflowState,
  head: string,
  pulls: PullSummary[],
): Promise<boolean> {
  if (pulls.some((pull) => readPatchCommitMarker(pull.body) === head)) return true;
  if (head === effectivePatch(state)?.baseSha) return true;
  const { owner, repo } = repoOf(state);
  try {
    const { data } = await octokit.rest.repos.compareCommits({
      owner,
      repo,
      base: state.repository.defaultBranch,
      head,
    });
    return data.status === "identical" || data.status === "behind";
  } catch (error) {
    // Cannot prove the head is disposable: keep it.
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}

/** Creates the branch at the patch commit or moves it there; returns whether it was written. */
async function pointBranchAtPatch(
  octokit: Octokit,
  state: WorkflowState,
  branch: string,
  commitSha: string,
  pulls: PullSummary[],
): Promise<boolean> {
  const { owner, repo } = repoOf(state);
  let head = await readBranchHead(octokit, owner, repo, branch);
  if (head === null) {
    try {
      await octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${branch}`,
        sha: commitSha,
      });
      return true;
    } catch (error) {
      // 422 "Reference already exists": a concurrent or retried attempt won; decide on its head.
      if (httpStatus(error) !== 422) throw error;
      head = await readBranchHead(octokit, owner, repo, branch);
      if (head === null) throw error;
    }
  }
  if (head === commitSha) return false;
  if (!(await mayMoveBranch(octokit, state, head, pulls))) throw branchNotOwned(branch, head);
  // The new patch is based on the current default branch, not on the old patch: a forced move.
  await octokit.rest.git.updateRef({
    owner,
    repo,
    ref: `heads/${branch}`,
    sha: commitSha,
    force: true,
  });
  return true;
}

async function listBranchPulls(
  octokit: Octokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<PullSummary[]> {
  const pulls = (await octokit.paginate(octokit.rest.pulls.list, {
    owner,
    repo,
    head: `${owner}:${branch}`,
    state: "all",
    per_page: 100,
  })) as PullSummary[];
  // The head filter is exact on GitHub; re-check so a looser server never hands us another branch.
  return pulls.filter((pull) => pull.head.ref === branch);
}

async function openPullRequest(
  octokit: Octokit,
  state: WorkflowState,
  branch: string,
  title: string,
  body: string,
  draft: boolean,
): Promise<{ pull: PullSummary; created: boolean }> {
  const { owner, repo } = repoOf(state);
  const base = state.repository.defaultBranch;
  const create = async (asDraft: boolean) => {
    const { data } = await octokit.rest.pulls.create({
      ...{ owner, repo, title, body, head: branch, base },
      ...(asDraft ? { draft } : {}),
    });
    return { pull: data as PullSummary, created: true };
  };
  try {
    return await create(true);
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    const reason = gitHubReason(error);
    // Draft PRs are unavailable on some plans; an open PR without auto-merge is still safe.
    if (draft && /draft/i.test(reason)) return create(false);
    // "A pull request already exists": a concurrent or retried attempt opened it; reuse it.
    const open = (await listBranchPulls(octokit, owner, repo, branch)).find(
      (pull) => pull.state === "open",
    );
    if (open) return { pull: open, created: false };
    throw factoryError(
      "PullRequestRefused",
      `GitHub refused to open the pull request for ${branch}: ${reason}`,
    );
  }
}

/** The repository's own label for the issue type (reverse of `labelMapping`), if it has one. */
function typeLabel(state: WorkflowState): string | null {
  const type = state.analysis?.type;
  const mapping = state.analysis?.config?.labelMapping ?? {};
  const entry = Object.entries(mapping).find(([, mapped]) => mapped === type);
  return entry ? entry[0] : null;
}

export async function createPullRequest(
  state: WorkflowState,
  deps: TaskDeps,
): Promise<PullRequestRef> {
  const patch = effectivePatch(state) ?? requireSlice(state, "patch", "createPullRequest");
  const switches = prSwitches(state);
  const { owner, repo } = repoOf(state);
  const branch = branchForIssue(state.issue.number);
  const draft = !switches.automerge;
  const openedAt = new Date(deps.clock.now()).toISOString();
  const octokit = await deps.github(state.installationId);
  const issueTarget = { owner, repo, issueNumber: state.issue.number };

  if (switches.dryRun) {
    await upsertMarkedComment(
      octokit,
      issueTarget,
      PR_LINK_COMMENT,
      dryRunComment(state, branch, {
        draft,
        automerge: switches.automerge,
        mergeMethod: switches.mergeMethod,
      }),
    );
    deps.logger.info("dry run: no branch or pull request created", { branch });
    return {
      number: 0,
      url: "",
      branch,
      headSha: patch.commitSha,
      created: false,
      openedAt,
      dryRun: true,
    };
  }

  const pulls = await listBranchPulls(octokit, owner, repo, branch);
  const moved = await pointBranchAtPatch(octokit, state, branch, patch.commitSha, pulls);

  const title = pullRequestTitle(state);
  const body = pullRequestBody(state, switches.automerge);
  const existing = pulls.find((pull) => pull.state === "open");
  let pull: PullSummary;
  let created = false;
  if (existing) {
    pull = existing;
    if (existing.title !== title || (existing.body ?? "") !== body) {
      const { data } = await octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: existing.number,
        title,
        body,
      });
      pull = data as PullSummary;
    }
    // A new patch gets a fresh CI run: the old failure label no longer describes this head.
    if (moved && labelNames(existing.labels).includes(CI_FAILED_LABEL)) {
      await octokit.rest.issues
        .removeLabel({ owner, repo, issue_number: existing.number, name: CI_FAILED_LABEL })
        .catch((error: unknown) => {
          if (httpStatus(error) !== 404) throw error;
        });
    }
  } else {
    ({ pull, created } = await openPullRequest(octokit, state, branch, title, body, draft));
  }

  const wanted = [FACTORY_LABEL, ...(switches.applyLabels ? [typeLabel(state)] : [])].filter(
    (label): label is string => Boolean(label),
  );
  const present = labelNames(pull.labels);
  const missing = wanted.filter((label) => !present.includes(label));
  if (missing.length > 0) {
    await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: pull.number,
      labels: missing,
    });
  }

  await upsertMarkedComment(
    octokit,
    issueTarget,
    PR_LINK_COMMENT,
    issueLinkComment({
      prNumber: pull.number,
      url: pull.html_url,
      branch,
      commitSha: patch.commitSha,
      draft: Boolean(pull.draft),
    }),
  );
  deps.logger.info("pull request ready", {
    pullRequest: pull.number,
    created,
    branchMoved: moved,
    head: shortSha(patch.commitSha),
  });
  return {
    number: pull.number,
    url: pull.html_url,
    branch,
    headSha: patch.commitSha,
    created,
    openedAt,
  };
}
