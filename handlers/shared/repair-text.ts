// Text about repair rounds, shared by the progress comment on the PR (updated each round), the PR
// body's round count and the CI feedback comment a stopped loop ends with. Pure: same state, same
// text, so a re-run leaves the comments unchanged.
import type { RepairRound, RepairState, RepairStop } from "../../contract/state";

/** Marker kind of the one repair progress comment on the PR. */
export const REPAIR_COMMENT_KIND = "repair";

const STOP_TEXT: Record<RepairStop, string> = {
  "rounds-used-up": "every repair round allowed by `repair.maxRounds` was used",
  "same-failure": "the same failure came back after a repair (no progress)",
  budget: "the per-issue AI budget is spent",
  "tests-weakened": "the model's edits would delete or weaken existing tests",
  refused: "validation refused the model's edits",
  "no-usable-edits": "the model answered without edits that apply",
  "no-evidence": "CI failed without anything AFU-9 can read (no check output, annotations or logs)",
};

function safe(text: string): string {
  return text
    .replace(/<!--/g, "&lt;!--")
    .replace(/\r?\n+/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
}

function tokens(round: RepairRound): string {
  return `${round.tokens} tokens, ${round.calls} call(s)`;
}

export function roundLine(round: RepairRound): string {
  const failed =
    round.failed.length > 0 ? round.failed.map((n) => `\`${safe(n)}\``).join(", ") : "-";
  const changed =
    round.files.length > 0 ? round.files.map((p) => `\`${safe(p)}\``).join(", ") : "nothing pushed";
  const commit = round.commitSha ? round.commitSha.slice(0, 7) : "-";
  return `| ${round.round} | ${failed} | ${changed} | ${commit} | ${tokens(round)} |`;
}

export function stopSentence(repair: RepairState): string {
  const why = repair.stop ? STOP_TEXT[repair.stop] : "the repair loop ended";
  return repair.stopReason ? `${why}: ${safe(repair.stopReason)}` : why;
}

export function usageLine(repair: RepairState): string {
  const used = repair.usage.inputTokens + repair.usage.outputTokens;
  return (
    `AI usage for this issue (first patch and every round): ${used} of ${repair.budget.maxTokens} ` +
    `tokens, ${repair.usage.calls} of ${repair.budget.maxCalls} calls.`
  );
}

/** The rounds as a table: what failed, what changed, the commit, what it cost. */
export function repairRoundsTable(repair: RepairState): string[] {
  return [
    "| Round | What failed | What changed | Commit | Model usage |",
    "| --- | --- | --- | --- | --- |",
    ...repair.rounds.map(roundLine),
  ];
}

export function repairProgressComment(repair: RepairState, maxRounds: number): string {
  const pushed = repair.rounds.filter((round) => round.commitSha).length;
  const lines = [
    `**AFU-9 self-repair**: ${pushed} of ${maxRounds} repair round(s) pushed.`,
    "",
    ...repairRoundsTable(repair),
    "",
    usageLine(repair),
  ];
  if (repair.outcome === "stopped") lines.push("", `Stopped: ${stopSentence(repair)}.`);
  else lines.push("", "Waiting for CI on the repair commit.");
  return lines.join("\n");
}

/** The section the CI feedback comment gets when the loop stopped without a green CI. */
export function repairFeedbackSection(repair: RepairState): string[] {
  return [
    "",
    `### Self-repair stopped after ${repair.rounds.length} round(s)`,
    "",
    `Why: ${stopSentence(repair)}.`,
    "",
    ...repairRoundsTable(repair),
    "",
    usageLine(repair),
  ];
}

const ROUNDS_LINE = /^_Self-repair: \d+ round\(s\)[^\n]*_$/m;

/** The PR body with its "Self-repair: N round(s)" line set (added at the end when missing). */
export function withRepairRoundCount(body: string, rounds: number, maxRounds: number): string {
  const line = `_Self-repair: ${rounds} round(s) of at most ${maxRounds} ran on red CI._`;
  return ROUNDS_LINE.test(body) ? body.replace(ROUNDS_LINE, line) : `${body}\n\n${line}`;
}
