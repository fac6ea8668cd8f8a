// The "violations" comment ValidatePatch posts on the issue (one marked comment, updated in place):
// every violation on its own row, so the reporter sees everything to fix at once.
import type { PatchResult, Violation } from "../../contract/state";

export const VIOLATIONS_COMMENT_KIND = "violations";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function formatViolationsComment(
  violations: Violation[],
  patch: Pick<PatchResult, "strategy" | "commitSha"> | null,
): string {
  const source = patch
    ? ` (strategy \`${patch.strategy}\`, commit \`${patch.commitSha.slice(0, 7)}\`)`
    : "";
  const rows = violations.map(
    (v) => `| \`${v.rule}\` | ${v.path ? `\`${cell(v.path)}\`` : "-"} | ${cell(v.message)} |`,
  );
  return [
    "### AFU-9: the patch failed validation, no pull request was opened",
    "",
    `The patch generated for this issue${source} breaks ${violations.length} rule${violations.length === 1 ? "" : "s"}:`,
    "",
    "| Rule | Path | Problem |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "Change the issue (or the diff / edit instructions in it) and apply the trigger label again to retry.",
  ].join("\n");
}

/** Replaces an earlier violations comment once a later run validates. */
export function formatResolvedComment(patch: Pick<PatchResult, "commitSha">): string {
  return `### AFU-9: the patch now passes validation\n\nThe earlier violations are resolved; commit \`${patch.commitSha.slice(0, 7)}\` passed every rule.`;
}
