// Strategy 3: ask the configured model for SEARCH/REPLACE edits. It is shown the issue, the trusted
// comments, the repository's file list and the files most likely involved (named in the issue or
// found by searching the tree for the issue's identifiers); its answer must consist of
// SEARCH/REPLACE blocks that apply exactly. A bad answer (no edits, malformed blocks, edits to a
// missing file, SEARCH text not found) is sent back once per remaining call with the reason;
// when calls or tokens run out the strategy fails cleanly with the last reason and the usage.
import type { FileChange } from "../change-set";
import type { StrategyInput } from "../../patch-text/detect-strategy";
import { parseSearchReplaceBlocks } from "../../patch-text/edit-instructions";
import { isPatchError, patchError } from "../../patch-text/patch-errors";
import {
  type AiChangeSource,
  applyEditsToRepo,
  type RepoReader,
  type Usage,
} from "../generate-changes";
import { identifiersIn, rankRelevantFiles, type RankedFile } from "../../localization/patch-plan";
import { type AiMessage, type AiProvider, estimateTokens } from "./provider";

export interface AiLimits {
  maxCalls: number;
  maxTokens: number;
  maxOutputTokens: number;
  maxFiles: number;
  maxFileBytes: number;
}

export const SYSTEM_PROMPT = [
  "You are AFU-9, a careful software engineer. You change a repository to resolve a GitHub issue.",
  "Answer ONLY with SEARCH/REPLACE blocks, nothing else. Each block is:",
  "path/of/the/file.ext",
  "<<<<<<< SEARCH",
  "the exact existing lines to replace (copied character for character, enough to be unique)",
  "=======",
  "the new lines",
  ">>>>>>> REPLACE",
  "To create a new file, use an empty SEARCH section. Only edit files that exist unless you create",
  "them. Never edit .github/workflows, lock files or secrets. Keep the change minimal.",
].join("\n");

const SEARCHABLE =
  /\.(ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|rb|php|cs|c|h|cpp|hpp|swift|md|json|ya?ml|toml|sh|css|scss|html|vue|svelte|sql)$/i;
// Each searched file is one blob read through the API: bounded, and read ten at a time, so the
// search stays within a few seconds of the function's time budget.
const CONTENT_SEARCH_FILES = 80;
const CONTENT_SEARCH_PARALLEL = 10;

/** Files for the prompt: ranked by the issue text, then by identifiers found in file contents. */
export async function selectRelevantFiles(
  input: StrategyInput,
  repo: RepoReader,
  limits: Pick<AiLimits, "maxFiles" | "maxFileBytes">,
): Promise<Array<RankedFile & { content: string }>> {
  const paths = await repo.listFiles();
  const ranked = rankRelevantFiles(input, paths);
  const byPath = new Map(ranked.map((file) => [file.path, file]));
  const identifiers = identifiersIn([input.title, input.body, ...input.trustedComments].join("\n"))
    .filter((id) => id.length >= 4)
    .slice(0, 20);
  if (identifiers.length > 0 && byPath.size < limits.maxFiles) {
    // Search the tree's text files for the identifiers (bounded: this reads blobs).
    // Source files under directories the issue's words name come first.
    const words = new Set(
      `${input.title} ${input.body}`
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length >= 4),
    );
    const searchable = paths
      .filter((p) => SEARCHABLE.test(p) && !byPath.has(p) && !p.includes("node_modules/"))
      .map((p) => ({
        p,
        hint: p
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter((w) => words.has(w)).length,
      }))
      .sort((a, b) => b.hint - a.hint)
      .slice(0, CONTENT_SEARCH_FILES)
      .map(({ p }) => p);
    for (let i = 0; i < searchable.length; i += CONTENT_SEARCH_PARALLEL) {
      const batch = searchable.slice(i, i + CONTENT_SEARCH_PARALLEL);
      const read = await Promise.all(batch.map((path) => repo.readFile(path).catch(() => null)));
      read.forEach((file, index) => {
        if (!file || file.content.length > limits.maxFileBytes) return;
        const hits = identifiers.filter((id) => file.content.includes(id));
        if (hits.length > 0) {
          byPath.set(batch[index], {
            path: batch[index],
            score: hits.length * 2,
            reasons: [`contains \`${hits.join("`, `")}\``],
          });
        }
      });
    }
  }
  const chosen = [...byPath.values()].sort((a, b) => b.score - a.score).slice(0, limits.maxFiles);
  const withContent: Array<RankedFile & { content: string }> = [];
  for (const file of chosen) {
    const tree = await repo.readFile(file.path).catch(() => null);
    if (tree && tree.content.length <= limits.maxFileBytes && tree.mode.startsWith("100")) {
      withContent.push({ ...file, content: tree.content });
    }
  }
  return withContent;
}

export function buildPrompt(
  input: StrategyInput,
  paths: string[],
  files: Array<{ path: string; content: string; reasons: string[] }>,
): string {
  const parts = [
    `# Issue: ${input.title}`,
    "",
    input.body || "(no description)",
    ...input.trustedComments.map((c, i) => `\n## Comment ${i + 1} (by a maintainer)\n\n${c}`),
    "",
    `# Repository files (${paths.length}${paths.length > 200 ? ", first 200" : ""})`,
    paths.slice(0, 200).join("\n"),
    "",
    "# Relevant files",
  ];
  for (const file of files) {
    parts.push("", `## ${file.path} (${file.reasons.join("; ")})`, "````", file.content, "````");
  }
  parts.push("", "Answer with SEARCH/REPLACE blocks only.");
  return parts.join("\n");
}

function rejected(reason: string, usage: Usage): Error {
  return Object.assign(
    patchError(
      "AiOutputRejected",
      `the AI answer could not be used: ${reason} (after ${usage.calls} call(s), ${usage.inputTokens + usage.outputTokens} tokens)`,
    ),
    { usage },
  );
}

export function createAiChangeSource(
  provider: AiProvider,
  limits: AiLimits,
  spent?: Usage,
): AiChangeSource {
  return async (input, repo) => {
    const usage: Usage = {
      calls: spent?.calls ?? 0,
      inputTokens: spent?.inputTokens ?? 0,
      outputTokens: spent?.outputTokens ?? 0,
    };
    const paths = await repo.listFiles();
    const files = await selectRelevantFiles(input, repo, limits);
    const messages: AiMessage[] = [{ role: "user", content: buildPrompt(input, paths, files) }];
    let lastReason = "";
    for (;;) {
      const remaining = limits.maxTokens - usage.inputTokens - usage.outputTokens;
      const promptTokens = estimateTokens(SYSTEM_PROMPT + messages.map((m) => m.content).join(""));
      if (usage.calls >= limits.maxCalls || promptTokens + 256 > remaining) {
        const limit =
          usage.calls >= limits.maxCalls
            ? `the per-issue limit of ${limits.maxCalls} AI call(s) is reached`
            : `the per-issue token budget is spent (prompt needs ~${promptTokens}, ${Math.max(0, remaining)} left of ${limits.maxTokens})`;
        throw Object.assign(
          patchError(
            "AiLimitExceeded",
            lastReason ? `${limit}; last answer: ${lastReason}` : limit,
          ),
          { usage },
        );
      }
      const answer = await provider.complete({
        system: SYSTEM_PROMPT,
        messages,
        maxOutputTokens: Math.min(limits.maxOutputTokens, remaining - promptTokens),
      });
      usage.calls++;
      usage.inputTokens += answer.inputTokens;
      usage.outputTokens += answer.outputTokens;
      let changes: FileChange[] | null = null;
      try {
        const edits = parseSearchReplaceBlocks(answer.text);
        if (edits.length === 0)
          throw patchError("AiOutputRejected", "it contains no SEARCH/REPLACE block");
        changes = await applyEditsToRepo(edits, repo);
        if (changes.length === 0) throw patchError("AiOutputRejected", "its edits change nothing");
      } catch (error) {
        if (!isPatchError(error)) throw error;
        lastReason = error.message;
      }
      if (changes) return { changes, usage };
      if (usage.calls >= limits.maxCalls) throw rejected(lastReason, usage);
      messages.push(
        { role: "assistant", content: answer.text },
        {
          role: "user",
          content: `Your answer could not be applied: ${lastReason}. Answer again with corrected SEARCH/REPLACE blocks only; SEARCH must copy existing lines exactly.`,
        },
      );
    }
  };
}
