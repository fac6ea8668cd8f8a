// The localization engine: which files of a repository an issue is about, best first, each with
// its score and the reasons a person can check. Two parts:
// 1. Text relevance: BM25 (MiniSearch) over every kept file's path and contents, with code-aware
//    terms (tokenize.ts); the title is searched on its own and weighs twice the body.
// 2. Strong signals added on top: a path the issue names, a stack-trace frame, a file name it
//    mentions, identifiers it mentions that a file defines (a definition outweighs a mention).
// Test files come back in their own list. Without file contents (paths only) the same signals
// work on the paths.
// `import = require`: the CommonJS build exports the class itself, and a serialized Lambda
// callback then captures the module (a `require("minisearch")`), not the class by value.
import minisearch = require("minisearch");
import { skipReasonForPath } from "./bounds";
import { identifierUses } from "./definitions";
import { identifiersIn, pathMentions, type PathMention } from "./issue-signals";
import type { RepoSnapshot } from "./snapshot";
import { isTestPath } from "./test-files";
import { createIndexTermizer, createTermizer, stopWords, termSources } from "./tokenize";

export interface IssueText {
  title: string;
  body: string;
  /** Comments by people with write permission: read like the body. */
  trustedComments?: string[];
}

export interface RankedFile {
  path: string;
  score: number;
  reasons: string[];
}

export interface Localization {
  /** Source (non-test) files, best first. */
  files: RankedFile[];
  /** Test files, best first. */
  tests: RankedFile[];
  /** What the ranking could not see (caps, skipped files). */
  notes: string[];
  /** How many files were ranked by content. */
  indexedFiles: number;
}

export interface LocalizeOptions {
  /** Results per list; default 20. */
  limit?: number;
}

/** Points each signal adds; the text relevance contributes up to TEXT_POINTS. */
const TEXT_POINTS = 10;
const TITLE_WEIGHT = 2;
const POINTS = {
  namedPath: 12,
  stackFrame: 10,
  fileName: 5,
  defines: 6,
  definesMax: 12,
  mentions: 1,
  mentionsMax: 3,
};

interface Entry {
  path: string;
  score: number;
  reasons: string[];
}

function pathMatches(mention: PathMention, path: string): "full" | "suffix" | "name" | null {
  const token = mention.token;
  if (token === path) return "full";
  if (token.includes("/") && (token.endsWith(`/${path}`) || path.endsWith(`/${token}`)))
    return "suffix";
  const name = path.slice(path.lastIndexOf("/") + 1);
  const tokenName = token.slice(token.lastIndexOf("/") + 1);
  return tokenName === name ? "name" : null;
}

function quoteList(items: string[], max = 4): string {
  const shown = items.slice(0, max).map((item) => `\`${item}\``);
  return items.length > max ? `${shown.join(", ")} (+${items.length - max})` : shown.join(", ");
}

/** Paths worth ranking: vendored, generated, lock and binary files are not, even by name. */
function rankablePaths(snapshot: RepoSnapshot): string[] {
  return snapshot.paths.filter((path) => skipReasonForPath(path) === null);
}

/** BM25 scores of every file for the issue's title and body (0..TEXT_POINTS), with matched terms. */
function textRelevance(
  issue: IssueText,
  snapshot: RepoSnapshot,
): Map<string, { points: number; terms: string[] }> {
  const stops = stopWords();
  const tokenize = createTermizer(stops);
  const bodyText = [issue.body, ...(issue.trustedComments ?? [])].join("\n");
  const titleTerms = [...new Set(tokenize(issue.title))];
  const bodyTerms = [...new Set(tokenize(bodyText))];
  // Only the query's terms are stored: BM25 scores depend on them alone (and on each field's
  // length, which MiniSearch counts before processTerm), so the index stays small and fast.
  const wanted: Record<string, true> = {};
  for (const term of [...titleTerms, ...bodyTerms]) wanted[term] = true;
  const contentByPath = new Map(snapshot.files.map((file) => [file.path, file.content]));
  const MiniSearch = minisearch as unknown as typeof minisearch.default;
  const index = new MiniSearch<{ id: string; path: string; content: string }>({
    fields: ["path", "content"],
    tokenize: createIndexTermizer(wanted, stops),
    // Terms are already normalized by the tokenizer; the query's pass through unchanged.
    processTerm: (term: string) => (wanted[term] ? term : null),
    searchOptions: {
      boost: { path: 2 },
      combineWith: "OR",
      tokenize: (query: string) => query.split(" "),
      processTerm: (term: string) => term,
    },
  });
  const docs = rankablePaths(snapshot).map((path) => ({
    id: path,
    path: path.replace(/[/.]/g, " "),
    content: contentByPath.get(path) ?? "",
  }));
  index.addAll(docs);
  const combined = new Map<string, { raw: number; terms: Set<string> }>();
  const run = (terms: string[], weight: number) => {
    if (terms.length === 0) return;
    for (const result of index.search(terms.join(" "))) {
      const entry = combined.get(result.id) ?? { raw: 0, terms: new Set<string>() };
      entry.raw += weight * result.score;
      for (const term of result.terms) entry.terms.add(term);
      combined.set(result.id, entry);
    }
  };
  run(titleTerms, TITLE_WEIGHT);
  run(bodyTerms, 1);
  let best = 0;
  for (const { raw } of combined.values()) best = Math.max(best, raw);
  const relevance = new Map<string, { points: number; terms: string[] }>();
  for (const [path, { raw, terms }] of combined) {
    relevance.set(path, { points: best > 0 ? (TEXT_POINTS * raw) / best : 0, terms: [...terms] });
  }
  return relevance;
}

export function localize(
  issue: IssueText,
  snapshot: RepoSnapshot,
  options: LocalizeOptions = {},
): Localization {
  const limit = options.limit ?? 20;
  const text = [issue.title, issue.body, ...(issue.trustedComments ?? [])].join("\n");
  const entries = new Map<string, Entry>();
  const entry = (path: string) => {
    let found = entries.get(path);
    if (!found) {
      found = { path, score: 0, reasons: [] };
      entries.set(path, found);
    }
    return found;
  };

  const sources = termSources(text);
  for (const [path, { points, terms }] of textRelevance(issue, snapshot)) {
    if (points < 0.05) continue;
    const e = entry(path);
    e.score += points;
    const words = [...new Set(terms.map((term) => sources.get(term) ?? term))].sort();
    e.reasons.push(`words of the issue: ${quoteList(words, 5)}`);
  }

  const mentions = pathMentions(text);
  const paths = rankablePaths(snapshot);
  const nameCounts = new Map<string, number>();
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
  }
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    let best: { points: number; reason: string } | null = null;
    for (const mention of mentions) {
      const match = pathMatches(mention, path);
      if (!match) continue;
      let candidate: { points: number; reason: string };
      if (mention.inStackTrace && match !== "name") {
        candidate = {
          points: POINTS.stackFrame - Math.min(mention.frameIndex, 5) * 0.5,
          reason: `named in the stack trace${mention.line ? ` at line ${mention.line}` : ""}`,
        };
      } else if (match === "full" || match === "suffix") {
        candidate = {
          points: POINTS.namedPath,
          reason: `path named in the issue${mention.line ? ` (line ${mention.line})` : ""}`,
        };
      } else {
        candidate = {
          points: POINTS.fileName / (nameCounts.get(name) ?? 1),
          reason: `file name \`${name}\` mentioned${mention.inStackTrace ? " in the stack trace" : ""}`,
        };
      }
      if (!best || candidate.points > best.points) best = candidate;
    }
    if (best) {
      const e = entry(path);
      e.score += best.points;
      e.reasons.push(best.reason);
    }
  }

  const identifiers = identifiersIn(text);
  if (identifiers.length > 0) {
    for (const file of snapshot.files) {
      const uses = identifierUses(file.content, identifiers);
      if (uses.size === 0) continue;
      const defined = [...uses].filter(([, use]) => use === "defines").map(([id]) => id);
      const mentioned = [...uses].filter(([, use]) => use === "mentions").map(([id]) => id);
      const e = entry(file.path);
      if (defined.length > 0) {
        e.score += Math.min(POINTS.definesMax, POINTS.defines * defined.length);
        e.reasons.push(`defines ${quoteList(defined)}`);
      }
      if (mentioned.length > 0) {
        e.score += Math.min(POINTS.mentionsMax, POINTS.mentions * mentioned.length);
        e.reasons.push(`mentions ${quoteList(mentioned)}`);
      }
    }
  }

  const ranked = [...entries.values()]
    .map((e) => ({ path: e.path, score: Math.round(e.score * 100) / 100, reasons: e.reasons }))
    .filter((e) => e.score > 0)
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return {
    files: ranked.filter((e) => !isTestPath(e.path)).slice(0, limit),
    tests: ranked.filter((e) => isTestPath(e.path)).slice(0, limit),
    notes: snapshot.notes,
    indexedFiles: snapshot.files.length,
  };
}

/** A snapshot of paths only (no contents): the path signals and path terms still rank. */
export function pathsOnlySnapshot(paths: string[]): RepoSnapshot {
  return {
    files: [],
    paths: [...paths].sort(),
    skipped: {},
    keptBytes: 0,
    truncated: false,
    notes: [],
  };
}
