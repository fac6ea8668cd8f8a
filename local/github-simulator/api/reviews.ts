// People reviewing pull requests: reviews, line comments, and reading reactions and reviews.
import type { SimContext } from "../context";
import { recordReview, recordReviewComment, reviewCommentProblem } from "../routes/review-records";
import type { GitHubSimulator } from "../simulator-types";
import type { PullState, RepoState } from "../state/store";
import { findRepo } from "./lookup";

type ReviewApi = Pick<
  GitHubSimulator,
  "submitReview" | "addReviewComment" | "listReactions" | "listReviews"
>;

function pullIn(repo: RepoState, pullNumber: number): PullState {
  const pull = repo.pulls.get(pullNumber);
  if (!pull)
    throw new Error(`simulator: no pull request #${pullNumber} in ${repo.owner}/${repo.name}`);
  return pull;
}

const STATES = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED"];

export function createReviewApi(ctx: SimContext): ReviewApi {
  const repoOf = (owner: string, name: string) => findRepo(ctx, owner, name);
  return {
    submitReview(owner, name, pullNumber, input) {
      const repo = repoOf(owner, name);
      const pull = pullIn(repo, pullNumber);
      if (!STATES.includes(input.state)) {
        throw new Error(`simulator submitReview: state must be one of ${STATES.join(", ")}`);
      }
      const review = recordReview(ctx, repo, pull, {
        user: input.user,
        state: input.state,
        body: input.body ?? "",
        authorAssociation: input.authorAssociation,
      });
      return { id: review.id };
    },

    addReviewComment(owner, name, pullNumber, input) {
      const repo = repoOf(owner, name);
      const pull = pullIn(repo, pullNumber);
      const line = input.line ?? null;
      const problem = reviewCommentProblem(repo, pull, input.path, line);
      if (problem) throw new Error(`simulator addReviewComment: ${problem}`);
      const { id } = recordReviewComment(ctx, repo, pull, {
        user: input.user,
        body: input.body,
        path: input.path,
        line,
        authorAssociation: input.authorAssociation,
      });
      return { id };
    },

    listReviews(owner, name, pullNumber) {
      const repo = repoOf(owner, name);
      pullIn(repo, pullNumber);
      return [...repo.reviews.values()]
        .filter((review) => review.pullNumber === pullNumber)
        .map((review) => ({
          id: review.id,
          user: review.user,
          state: review.state,
          body: review.body,
          commitId: review.commitId,
        }));
    },

    listReactions(owner, name, subject) {
      const repo = repoOf(owner, name);
      const known =
        subject.kind === "issue_comment"
          ? repo.comments.has(subject.id)
          : repo.reviewComments.has(subject.id);
      if (!known) throw new Error(`simulator listReactions: no ${subject.kind} ${subject.id}`);
      return repo.reactions
        .filter((r) => r.kind === subject.kind && r.subjectId === subject.id)
        .map((r) => ({ id: r.id, content: r.content, user: r.user }));
    },
  };
}
