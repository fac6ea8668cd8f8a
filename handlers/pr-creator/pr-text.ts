// Title and body of the factory PR and the issue comment linking it. Pure text: deterministic for
// the same state, so re-running CreatePullRequest finds nothing to update.
import type { WorkflowState } from "../../contract/state";
import { effectivePatch, shortSha } from "../shared/run-state";

const TITLE_LIMIT = 200;
const FILE_ROWS_LIMIT = 50;

export { patchCommitMarker, readPatchCommitMarker } from "../shared/pr-markers";
import { patchCommitMarker } from "../shared/pr-markers";

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Issue text in a comment must not open an HTML comment (it could carry an AFU-9 marker). */
function noHtmlComment(text: string): string {
  return text.replace(/<!--/g, "&lt;!--");
}

/** Markdown table cells must not break the table. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

export function pullRequestTitle(state: WorkflowState): string {
  const title = oneLine(state.issue.title) || `issue #${state.issue.number}`;
  const full = `AFU-9: ${title}`;
  return full.length > TITLE_LIMIT ? `${full.slice(0, TITLE_LIMIT - 1)}…` : full;
}

export function pullRequestBody(state: WorkflowState, automerge: boolean): string {
  const patch = effectivePatch(state);
  const analysis = state.analysis;
  const lines: string[] = [
    patchCommitMarker(patch?.commitSha ?? ""),
    `Closes #${state.issue.number}`,
    "",
    "## What changed",
  ];
  const files = patch?.files ?? [];
  if (files.length === 0) {
    lines.push("No file summary available.");
  } else {
    lines.push("| File | Change | + | - |", "| --- | --- | ---: | ---: |");
    for (const file of files.slice(0, FILE_ROWS_LIMIT)) {
      const path = file.previousPath
        ? `\`${cell(file.previousPath)}\` → \`${cell(file.path)}\``
        : `\`${cell(file.path)}\``;
      lines.push(`| ${path} | ${file.change} | ${file.additions} | ${file.deletions} |`);
    }
    if (files.length > FILE_ROWS_LIMIT) {
      lines.push("", `…and ${files.length - FILE_ROWS_LIMIT} more files.`);
    }
  }
  if (patch) {
    lines.push(
      "",
      `Patch strategy: \`${patch.strategy}\`, commit ${patch.commitSha} on base ${shortSha(patch.baseSha)}.`,
    );
  }
  lines.push("", "## Why", `Issue #${state.issue.number}: ${oneLine(state.issue.title)}`);
  if (analysis) {
    lines.push("", `Analysis: type **${analysis.type}**, priority **${analysis.priority}**.`);
    for (const reason of analysis.reasons.slice(0, 10)) lines.push(`- ${oneLine(reason)}`);
  }
  lines.push("", "## Validation");
  const validation = state.validation;
  if (!validation) {
    lines.push("Not validated.");
  } else if (validation.valid) {
    lines.push("Passed: no violations.");
  } else {
    lines.push(`Failed with ${validation.violations.length} violation(s).`);
  }
  lines.push(
    "",
    "## Next",
    automerge
      ? "AFU-9 watches CI and merges this pull request when every check passes."
      : "Auto-merge is off for this repository (`.github/afu9.yml`): a human reviews and merges.",
    "",
    "_Opened by AFU-9. Pushing to this branch turns auto-merge off for the current run._",
  );
  return lines.join("\n");
}

/** Same text on every run for the same PR and commit, so a re-run leaves the comment alone. */
export function issueLinkComment(input: {
  prNumber: number;
  url: string;
  branch: string;
  commitSha: string;
  draft: boolean;
}): string {
  const kind = input.draft ? "Draft pull request" : "Pull request";
  return (
    `${kind} #${input.prNumber} (${input.url}) is open from branch \`${input.branch}\` at ` +
    `${input.commitSha}.`
  );
}

/** Which switch turned dry run on, named the way the person who set it would find it. */
function dryRunSwitches(state: WorkflowState): string[] {
  const switches: string[] = [];
  if (state.settings?.dryRun) {
    switches.push(
      "the factory's setting (`npm start -- --dry-run` locally; on AWS the stack setting " +
        "`dryRun`: `pulumi config set dryRun false`)",
    );
  }
  if (state.analysis?.config?.dryRun) switches.push("`dryRun: true` in `.github/afu9.yml`");
  return switches.length > 0 ? switches : ["the factory's settings"];
}

export function dryRunComment(
  state: WorkflowState,
  branch: string,
  options: { draft: boolean; automerge: boolean; mergeMethod: string },
): string {
  const draft = options.draft;
  const patch = effectivePatch(state);
  const files = patch?.files ?? [];
  const lines = [
    "**Dry run**: AFU-9 made no change to the repository.",
    "",
    `It would point branch \`${branch}\` at commit ${patch?.commitSha ?? "(none)"} and open a ` +
      `${draft ? "draft " : ""}pull request "${noHtmlComment(pullRequestTitle(state))}" changing ` +
      `${files.length} file(s):`,
  ];
  for (const file of files.slice(0, FILE_ROWS_LIMIT)) {
    lines.push(
      `- \`${noHtmlComment(oneLine(file.path))}\` (${file.change}, +${file.additions} -${file.deletions})`,
    );
  }
  if (files.length > FILE_ROWS_LIMIT) lines.push(`- …and ${files.length - FILE_ROWS_LIMIT} more`);
  lines.push(
    "",
    options.automerge
      ? `When every CI check passed it would merge the pull request (${options.mergeMethod}).`
      : "Auto-merge is off for this repository: it would leave the pull request for review.",
    "",
    `Dry run is on through ${dryRunSwitches(state).join(" and ")}; turn it off to let AFU-9 ` +
      "open the pull request.",
  );
  return lines.join("\n");
}
