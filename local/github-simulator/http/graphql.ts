// Extension: `POST /graphql` for the one mutation AFU-9 uses, `markPullRequestReadyForReview`
// (GitHub's REST API cannot turn a draft into a ready pull request; `/afu9 merge` of a draft PR
// needs it). Authenticated like REST (installation token, the pull request's installation only);
// any other document is answered with GitHub's GraphQL error shape, so a new use shows up.
import { emitPullEvent } from "../payloads";
import { nodeId } from "../render/people";
import type { SimContext } from "../context";
import type { RouteResult } from "./route-types";

export const GRAPHQL_PATH = "/graphql";

const MUTATION =
  /^\s*mutation\b[^{]*\{\s*markPullRequestReadyForReview\s*\(\s*input\s*:\s*\{\s*pullRequestId\s*:\s*\$(\w+)\s*\}\s*\)/;

function graphqlError(message: string, type = "UNPROCESSABLE"): RouteResult {
  return { status: 200, body: { data: null, errors: [{ type, message }] } };
}

export function answerGraphql(
  ctx: SimContext,
  installationId: number,
  rawBody: string,
): RouteResult {
  let document: { query?: unknown; variables?: Record<string, unknown> };
  try {
    document = JSON.parse(rawBody) as typeof document;
  } catch {
    return { status: 400, body: { message: "Problems parsing JSON" } };
  }
  const match = typeof document.query === "string" ? MUTATION.exec(document.query) : null;
  if (!match) {
    return graphqlError(
      "the simulator implements only mutation markPullRequestReadyForReview(input: { pullRequestId })",
    );
  }
  const id = document.variables?.[match[1]];
  for (const repo of ctx.store.repos.values()) {
    if (repo.installationId !== installationId) continue;
    for (const pull of repo.pulls.values()) {
      if (nodeId("011:PullRequest", pull.id) !== id) continue;
      if (pull.merged || repo.issues.get(pull.number)?.state !== "open") {
        return graphqlError("Pull request is closed");
      }
      if (pull.draft) {
        pull.draft = false;
        emitPullEvent(ctx, repo, pull, "ready_for_review", `${ctx.store.app.slug}[bot]`);
      }
      return {
        status: 200,
        body: { data: { markPullRequestReadyForReview: { pullRequest: { isDraft: false } } } },
      };
    }
  }
  return graphqlError(
    `Could not resolve to a node with the global id of '${String(id)}'`,
    "NOT_FOUND",
  );
}
