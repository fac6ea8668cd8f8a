// What a person sees of a `/afu9` command: a reaction on the comment that carried it (review
// bodies have no reaction API: a reply there), and replies in the same place (a review comment's
// thread, else the PR conversation).
import type { Octokit } from "@octokit/rest";
import type { PullRequestCommand } from "../../contract/state";
import { httpStatus } from "./errors";

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Posts `body` where the command was written. */
export async function replyToCommand(
  octokit: Octokit,
  ref: RepoRef,
  command: PullRequestCommand,
  body: string,
): Promise<void> {
  if (command.source.kind === "review_comment") {
    try {
      await octokit.rest.pulls.createReplyForReviewComment({
        ...ref,
        pull_number: command.pullNumber,
        comment_id: command.source.id,
        body,
      });
      return;
    } catch (error) {
      // The review comment was deleted meanwhile: answer in the conversation instead.
      if (httpStatus(error) !== 404) throw error;
    }
  }
  await octokit.rest.issues.createComment({ ...ref, issue_number: command.pullNumber, body });
}

/** The 👀 reaction that says "seen"; a review body gets a short reply instead. */
export async function acknowledgeCommand(
  octokit: Octokit,
  ref: RepoRef,
  command: PullRequestCommand,
  replyText: string,
): Promise<"reaction" | "reply"> {
  switch (command.source.kind) {
    case "issue_comment":
      await octokit.rest.reactions.createForIssueComment({
        ...ref,
        comment_id: command.source.id,
        content: "eyes",
      });
      return "reaction";
    case "review_comment":
      await octokit.rest.reactions.createForPullRequestReviewComment({
        ...ref,
        comment_id: command.source.id,
        content: "eyes",
      });
      return "reaction";
    case "review":
      await replyToCommand(octokit, ref, command, replyText);
      return "reply";
  }
}
