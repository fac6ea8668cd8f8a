// Validated edits -> one new commit on the factory PR's branch, fast-forward only. The branch head
// must be the commit AFU-9 last put there (the PR body's patch-commit marker, or one of the
// commits the caller knows it wrote): AFU-9 never builds on, or overwrites, someone else's push.
// After the push the marker names the new commit, so the next push (and CreatePullRequest on a
// later run) recognise it as AFU-9's own.
import type { Octokit } from "@octokit/rest";
import { factoryError } from "../../contract/errors";
import { httpStatus } from "../github/errors";
import { readCommit, type RepoRef } from "../github/git-trees";
import { readPatchCommitMarker, withPatchCommitMarker } from "../shared/pr-markers";
import type { FileChange } from "./change-set";
import { writePatchCommit } from "./github-repo";

export interface PushToPullRequestInput {
  pullNumber: number;
  /** The head the changes were made against: the push is refused when the branch moved since. */
  expectedHeadSha: string;
  /** Commits AFU-9 wrote to this branch in this run (beside the PR body's marker). */
  ownCommits: string[];
  changes: FileChange[];
  message: string;
  /** Further edits to the PR body, applied together with the marker update. */
  editBody?: (body: string) => string;
}

export interface PushToPullRequestResult {
  commitSha: string;
  parentSha: string;
  branch: string;
}

function branchMoved(branch: string, expected: string, actual: string): Error {
  return factoryError(
    "BranchMoved",
    `branch ${branch} moved from ${expected.slice(0, 7)} to ${actual.slice(0, 7)} while AFU-9 ` +
      `prepared a commit on top of it; nothing was pushed. Trigger AFU-9 again once the branch is quiet.`,
    { branch, expected, actual },
  );
}

export async function pushCommitToPullRequest(
  octokit: Octokit,
  ref: RepoRef,
  input: PushToPullRequestInput,
): Promise<PushToPullRequestResult> {
  const { data: pull } = await octokit.rest.pulls.get({ ...ref, pull_number: input.pullNumber });
  const branch = pull.head.ref;
  const { data: branchRef } = await octokit.rest.git.getRef({ ...ref, ref: `heads/${branch}` });
  const head = branchRef.object.sha;
  const owned = readPatchCommitMarker(pull.body) === head || input.ownCommits.includes(head);
  if (!owned) {
    throw factoryError(
      "BranchNotOwned",
      `branch ${branch} points at ${head}, a commit AFU-9 did not put there (someone pushed to ` +
        `it). AFU-9 does not add commits on top of other people's work; nothing was pushed.`,
      { branch, head },
    );
  }
  if (head !== input.expectedHeadSha) throw branchMoved(branch, input.expectedHeadSha, head);
  const parent = await readCommit(octokit, ref, head);
  const commitSha = await writePatchCommit(octokit, ref, {
    baseSha: head,
    baseTreeSha: parent.treeSha,
    changes: input.changes,
    message: input.message,
  });
  try {
    await octokit.rest.git.updateRef({
      ...ref,
      ref: `heads/${branch}`,
      sha: commitSha,
      force: false,
    });
  } catch (error) {
    // 422 "Update is not a fast forward": someone pushed between our read and this write.
    if (httpStatus(error) !== 422) throw error;
    const { data: now } = await octokit.rest.git.getRef({ ...ref, ref: `heads/${branch}` });
    throw branchMoved(branch, head, now.object.sha);
  }
  const body = withPatchCommitMarker(
    input.editBody ? input.editBody(pull.body ?? "") : pull.body,
    commitSha,
  );
  if (body !== pull.body) {
    await octokit.rest.pulls.update({ ...ref, pull_number: input.pullNumber, body });
  }
  return { commitSha, parentSha: head, branch };
}
