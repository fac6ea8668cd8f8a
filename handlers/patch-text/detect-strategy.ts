// Asked by the issue interpreter (and by GeneratePatch itself): which patch strategy applies to
// this issue, and which files it targets. Strategies in order: a unified diff in a fenced
// ```diff/```patch block, explicit edit instructions, the AI provider (only when enabled). Pure and
// synchronous: no repository access, so `files` are the paths the issue text itself names.
import type { PatchPlan } from "../../contract/state";
import { type EditInstruction, parseEditInstructions } from "./edit-instructions";
import { isPatchError } from "./patch-errors";
import { isDiffBlock } from "./change-blocks";
import { findFencedBlocks } from "./markdown";
import { type FilePatch, parseUnifiedDiff } from "./unified-diff";
import { localize, pathsOnlySnapshot } from "../localization/rank";

export interface StrategyInput {
  title: string;
  body: string;
  /** Bodies of comments from people with write permission, oldest first. */
  trustedComments: string[];
  /** The stack enables the AI provider (AFU9_AI_CONFIG); absent means off. */
  aiEnabled?: boolean;
  /** Repository file paths, when the caller has them: the AI plan then names likely files. */
  repoFiles?: string[];
}

/** The texts strategies read, oldest first: the issue (title is prose only) then trusted comments. */
function sources(input: StrategyInput): string[] {
  return [input.body ?? "", ...input.trustedComments];
}

export interface DiffSource {
  /** The diff text of every diff block of the chosen source, in order. */
  text: string;
  /** Parsed patches, or the parse error (a corrupt diff still selects this strategy). */
  patches: FilePatch[] | null;
  error: string | null;
}

/**
 * The diff to apply: the latest source (a trusted comment supersedes the issue body) with a
 * fenced diff block. A block labelled diff/patch that does not parse still counts, so the run
 * reports the parse error instead of silently finding "nothing to do".
 */
export function findDiffSource(input: StrategyInput): DiffSource | null {
  const all = sources(input);
  for (let i = all.length - 1; i >= 0; i--) {
    const blocks = findFencedBlocks(all[i]).filter(isDiffBlock);
    if (blocks.length === 0) continue;
    const text = blocks.map((block) => block.content).join("");
    try {
      return { text, patches: parseUnifiedDiff(text), error: null };
    } catch (error) {
      if (!isPatchError(error)) throw error;
      return { text, patches: null, error: error.message };
    }
  }
  return null;
}

export interface EditSource {
  edits: EditInstruction[];
  error: string | null;
}

/** Edit instructions of all sources, oldest first; a malformed block is reported, not skipped. */
export function findEditSource(input: StrategyInput): EditSource | null {
  const edits: EditInstruction[] = [];
  for (const text of sources(input)) {
    try {
      edits.push(...parseEditInstructions(text));
    } catch (error) {
      if (!isPatchError(error)) throw error;
      return { edits: [], error: error.message };
    }
  }
  return edits.length > 0 ? { edits, error: null } : null;
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

export function detectPatchStrategy(input: StrategyInput): PatchPlan | null {
  const diff = findDiffSource(input);
  if (diff) {
    const files = (diff.patches ?? []).flatMap((p) =>
      [p.oldPath, p.newPath].filter((path): path is string => path !== null),
    );
    return { strategy: "unified-diff", files: unique(files) };
  }
  const edits = findEditSource(input);
  if (edits)
    return { strategy: "edit-instructions", files: unique(edits.edits.map((e) => e.path)) };
  if (input.aiEnabled && `${input.title}\n${input.body}`.trim().length > 0) {
    const ranked = localize(input, pathsOnlySnapshot(input.repoFiles ?? []), { limit: 5 });
    return { strategy: "ai", files: ranked.files.map((file) => file.path) };
  }
  return null;
}
