// Strategy 3: ask the configured model for SEARCH/REPLACE edits. It is shown the issue, the trusted
// comments, the files the localization engine ranks highest (in full) and a compact map of the
// rest of the tree; its answer must consist of
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
import { localize, type RankedFile } from "../../localization/rank";
import { buildTreeMap } from "../../localization/tree-map";
import { type AiMessage, type AiProvider, estimateTokens } from "./provider";
import { readSnapshotOf } from "./repo-snapshot";

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

/** Files below this share of the best file's score are not shown in full. */
const MIN_SHARE_OF_BEST = 0.25;

export interface PromptContext {
  /** The top files with their contents, best first. */
  files: Array<RankedFile & { content: string }>;
  /** A compact map of the rest of the tree. */
  treeMap: string;
  /** Every path of the tree. */
  paths: string[];
  /** What the ranking could not see (read limits). */
  notes: string[];
}

/** The prompt's context: the localization engine's top files plus a map of the rest of the tree. */
export async function selectRelevantFiles(
  input: StrategyInput,
  repo: RepoReader,
  limits: Pick<AiLimits, "maxFiles" | "maxFileBytes">,
): Promise<PromptContext> {
  const snapshot = await readSnapshotOf(repo);
  const localization = localize(input, snapshot, { limit: limits.maxFiles });
  const best = localization.files[0]?.score ?? 0;
  const contentOf = new Map(snapshot.files.map((file) => [file.path, file.content]));
  const files: Array<RankedFile & { content: string }> = [];
  for (const file of localization.files) {
    if (files.length >= limits.maxFiles || file.score < best * MIN_SHARE_OF_BEST) break;
    const content = contentOf.get(file.path);
    if (content !== undefined && content.length <= limits.maxFileBytes)
      files.push({ ...file, content });
  }
  const treeMap = buildTreeMap(snapshot.paths, { shown: files.map((file) => file.path) });
  return { files, treeMap, paths: snapshot.paths, notes: localization.notes };
}

export function buildPrompt(input: StrategyInput, context: PromptContext): string {
  const parts = [
    `# Issue: ${input.title}`,
    "",
    input.body || "(no description)",
    ...input.trustedComments.map((c, i) => `\n## Comment ${i + 1} (by a maintainer)\n\n${c}`),
    "",
    `# Repository map (${context.paths.length} files; folder/ (count): file names)`,
    context.treeMap,
    ...context.notes.map((note) => `(${note})`),
    "",
    "# Relevant files (ranked by how strongly the issue points at them)",
  ];
  for (const file of context.files) {
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
    const context = await selectRelevantFiles(input, repo, limits);
    const messages: AiMessage[] = [{ role: "user", content: buildPrompt(input, context) }];
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
