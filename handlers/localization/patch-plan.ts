// The "patch plan" section of the analysis comment, for issues no patch strategy applies to: the
// files most likely involved (source files, then the tests to extend), each with its reasons.
import type { Localization } from "./rank";

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

export function formatPatchPlan(localization: Localization, limit = 8, testLimit = 3): string {
  const lines = [
    "#### Patch plan",
    "",
    "No patch strategy applies (no diff block, no edit instructions, AI generation off), so AFU-9 " +
      "will not write this change. Files most likely involved, for whoever takes it over:",
    "",
  ];
  const files = localization.files.slice(0, limit);
  const tests = localization.tests.slice(0, testLimit);
  if (files.length === 0 && tests.length === 0) {
    lines.push(
      "_No file could be linked to the issue text. Naming the file (`path/to/file`), quoting a stack " +
        "trace, or adding a ```diff block or a SEARCH/REPLACE block makes the issue actionable._",
    );
  } else {
    lines.push("| File | Score | Why |", "| --- | --- | --- |");
    for (const file of files) {
      lines.push(`| \`${file.path}\` | ${file.score} | ${escapeCell(file.reasons.join("; "))} |`);
    }
    for (const file of tests) {
      lines.push(
        `| \`${file.path}\` (test) | ${file.score} | ${escapeCell(file.reasons.join("; "))} |`,
      );
    }
    lines.push(
      "",
      "To let AFU-9 make the change, add a ```diff block or SEARCH/REPLACE blocks naming these files.",
    );
  }
  for (const note of localization.notes) lines.push("", `_${note}_`);
  return lines.join("\n");
}
