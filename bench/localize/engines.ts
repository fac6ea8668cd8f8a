// The three rankings the localize bench compares, each from the same repository snapshot to a
// list of paths, best first: the old path ranking (paths only), a plain BM25 baseline (MiniSearch
// with its default tokenizer over path and contents, title and body as one query, no boosts, no
// signals) and the localization engine.
import minisearch = require("minisearch");
import { localize } from "../../handlers/localization/rank";
import type { RepoSnapshot } from "../../handlers/localization/snapshot";
import { rankRelevantFiles } from "./old-path-ranking";

export const ENGINES = ["old path ranking", "plain BM25", "new engine"] as const;
export type EngineName = (typeof ENGINES)[number];

export interface IssueInput {
  title: string;
  body: string;
}

const LIST_LENGTH = 100;

function plainBm25(issue: IssueInput, snapshot: RepoSnapshot): string[] {
  const MiniSearch = minisearch as unknown as typeof minisearch.default;
  const index = new MiniSearch<{ id: string; path: string; content: string }>({
    fields: ["path", "content"],
  });
  index.addAll(snapshot.files.map((f) => ({ id: f.path, path: f.path, content: f.content })));
  return index
    .search(`${issue.title}\n${issue.body}`, { combineWith: "OR" })
    .slice(0, LIST_LENGTH)
    .map((r) => String(r.id));
}

export function rankWith(engine: EngineName, issue: IssueInput, snapshot: RepoSnapshot): string[] {
  switch (engine) {
    case "old path ranking":
      return rankRelevantFiles({ ...issue, trustedComments: [] }, snapshot.paths)
        .slice(0, LIST_LENGTH)
        .map((f) => f.path);
    case "plain BM25":
      return plainBm25(issue, snapshot);
    case "new engine":
      return localize(issue, snapshot, { limit: LIST_LENGTH }).files.map((f) => f.path);
  }
}
