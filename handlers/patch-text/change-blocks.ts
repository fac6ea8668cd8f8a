// What marks issue text as a change request: a fenced diff block, a SEARCH/REPLACE edit block, or
// an `/afu9` command line. The patch generator parses these markers; the webhook uses the same
// ones to start a run for a comment only when the comment can change the outcome.
import { type FencedBlock, findFencedBlocks, markdownLines } from "./markdown";

// Arrays, not Sets: Pulumi serializes module-level values by value and a Set arrives as `{}`.
const DIFF_LANGS = ["diff", "patch", "udiff", "git-diff"];

export const SEARCH_START = /^\s*<{5,9} ?SEARCH\s*$/;
export const DIVIDER = /^\s*={5,9}\s*$/;
export const REPLACE_END = /^\s*>{5,9} ?REPLACE\s*$/;

/** A line addressing the factory, e.g. "/afu9 retry". */
const AFU9_COMMAND = /^\s*\/afu9\b/i;

function looksLikeDiff(content: string): boolean {
  return /^diff --git /m.test(content) || /^--- .*\n\+\+\+ .*\n@@ -/m.test(content);
}

/** A fenced block labelled diff/patch, or unlabelled with diff headers. */
export function isDiffBlock(block: FencedBlock): boolean {
  return DIFF_LANGS.includes(block.lang) || (block.lang === "" && looksLikeDiff(block.content));
}

export type ChangeRequestKind = "diff" | "edit-blocks" | "command";

/** The first kind of change request the text carries, or null for plain conversation. */
export function changeRequestIn(text: string): ChangeRequestKind | null {
  if (findFencedBlocks(text).some(isDiffBlock)) return "diff";
  const lines = markdownLines(text);
  if (lines.some((line) => SEARCH_START.test(line))) return "edit-blocks";
  if (lines.some((line) => AFU9_COMMAND.test(line))) return "command";
  return null;
}
