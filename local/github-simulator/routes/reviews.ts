// Pull request reviews: list (submission order) and create as the App (APPROVE, REQUEST_CHANGES,
// COMMENT, or pending without an event).
import { fail, paginate, repoOf, type RouteTable } from "../http/route-types";
import { renderReview } from "../render/reviews";
import { getObject } from "../state/git-objects";
import type { ReviewState } from "../state/store";
import { botLogin } from "./issue-helpers";
import { pullOf } from "./pulls";
import { recordReview } from "./review-records";

const STATE_OF: Record<string, ReviewState["state"]> = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
};

/** GitHub's 422 for a review it refuses (validation-error-simple). */
function refuse(reason: string): never {
  return fail(422, "Unprocessable Entity", { errors: [reason] });
}

export const reviewRoutes: RouteTable = {
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const reviews = [...repo.reviews.values()]
      .filter((review) => review.pullNumber === pull.number)
      .map((review) => renderReview(request.ctx, repo, review));
    const page = paginate(request, reviews);
    return { status: 200, body: page.items, headers: page.headers };
  },

  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": (request) => {
    const repo = repoOf(request);
    const pull = pullOf(request, repo);
    const body = (request.body ?? {}) as {
      commit_id?: string;
      body?: string;
      event?: "APPROVE" | "REQUEST_CHANGES" | "COMMENT";
      comments?: unknown[];
    };
    if (body.comments?.length) {
      fail(501, "The simulator does not implement line comments inside a review body.");
    }
    const bot = botLogin(request);
    const author = repo.issues.get(pull.number)!.user;
    if (body.event === "APPROVE" && author === bot) {
      refuse("Review Can not approve your own pull request");
    }
    if (body.event === "REQUEST_CHANGES" && author === bot) {
      refuse("Review Can not request changes on your own pull request");
    }
    if ((body.event === "REQUEST_CHANGES" || body.event === "COMMENT") && !body.body) {
      refuse(`Review body is required when the event is ${body.event}`);
    }
    if (body.commit_id !== undefined && !getObject(repo, body.commit_id, "commit")) {
      refuse(`Review commit_id ${body.commit_id} is not a commit of this repository`);
    }
    if (
      body.event === undefined &&
      [...repo.reviews.values()].some(
        (r) => r.pullNumber === pull.number && r.user === bot && r.state === "PENDING",
      )
    ) {
      refuse("Review User can only have one pending review per pull request");
    }
    const review = recordReview(request.ctx, repo, pull, {
      user: bot,
      state: body.event ? STATE_OF[body.event] : "PENDING",
      body: body.body ?? "",
      commitId: body.commit_id,
      authorAssociation: "NONE",
    });
    return { status: 200, body: renderReview(request.ctx, repo, review) };
  },
};
