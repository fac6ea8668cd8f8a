// Reading the in-memory state for assertions, without HTTP.
import type { SimContext } from "../context";
import { renderIssue } from "../render/issues";
import { getObject, readFlatTree } from "../state/git-objects";
import { pullHeadSha } from "../state/pull-logic";
import type { GitHubSimulator, IssueRestObject } from "../simulator-types";
import { findRepo } from "./lookup";

type InspectApi = Pick<
  GitHubSimulator,
  "getRef" | "readTree" | "listIssueComments" | "listPulls" | "getIssue"
>;

export function createInspectApi(ctx: SimContext): InspectApi {
  const repoOf = (owner: string, name: string) => findRepo(ctx, owner, name);
  return {
    getRef(owner, name, ref) {
      return repoOf(owner, name).refs.get(ref.replace(/^refs\//, ""));
    },

    readTree(owner, name, commitSha) {
      const repo = repoOf(owner, name);
      const commit = getObject(repo, commitSha, "commit");
      if (!commit) throw new Error(`simulator: no commit ${commitSha} in ${owner}/${name}`);
      const files: Record<string, string> = {};
      for (const [path, entry] of readFlatTree(repo, commit.tree)) {
        files[path] = getObject(repo, entry.sha, "blob")?.content.toString("utf8") ?? "";
      }
      return files;
    },

    listIssueComments(owner, name, issueNumber) {
      return [...repoOf(owner, name).comments.values()]
        .filter((c) => c.issueNumber === issueNumber)
        .map((c) => ({ id: c.id, body: c.body, user: c.user }));
    },

    listPulls(owner, name) {
      const repo = repoOf(owner, name);
      return [...repo.pulls.values()].map((p) => {
        const state = repo.issues.get(p.number)!.state;
        return {
          number: p.number,
          head: p.head,
          state,
          merged: p.merged,
          headSha: pullHeadSha(repo, p, state === "open"),
        };
      });
    },

    getIssue(owner, name, issueNumber) {
      const repo = repoOf(owner, name);
      const issue = repo.issues.get(issueNumber);
      if (!issue) throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      return renderIssue(ctx, repo, issue) as unknown as IssueRestObject;
    },
  };
}
