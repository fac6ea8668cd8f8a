// Helpers the issue, label and comment routes share.
import { fail, type RouteRequest } from "../http/route-types";
import type { IssueState, RepoState } from "../state/store";

/** Who the App acts as: GitHub shows its writes as "<slug>[bot]". */
export function botLogin(request: RouteRequest): string {
  return `${request.ctx.store.app.slug}[bot]`;
}

export function issueOf(request: RouteRequest, repo: RepoState): IssueState {
  const issue = repo.issues.get(Number(request.params.issue_number));
  if (!issue) fail(404, "Not Found");
  return issue;
}

export type LabelInput = string | { name: string };

/** Labels arrive as ["a"], {labels: ["a"]} or {labels: [{name: "a"}]}. */
export function labelNames(body: unknown): string[] {
  const list = (
    Array.isArray(body) ? body : ((body as { labels?: LabelInput[] })?.labels ?? [])
  ) as LabelInput[];
  return list.map((label) => (typeof label === "string" ? label : label.name));
}
