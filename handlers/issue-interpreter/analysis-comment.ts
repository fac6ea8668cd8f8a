// The text of the one analysis comment (kind "analysis"): what was decided, why, and what happens
// next. Deterministic (no times, no run ids), so an unchanged analysis leaves the comment untouched.
// Logins are written in code spans: they name people without @-mentioning (notifying) them.
import type { Analysis, RepoConfig } from "../../contract/state";
import type { Interpretation, TrustCheck } from "./interpret";
import { REPO_CONFIG_PATH } from "../shared/repo-config";

export const ANALYSIS_COMMENT_KIND = "analysis";

const STATUS_ICON: Record<TrustCheck["status"], string> = {
  pass: "✅",
  fail: "❌",
  unknown: "❔",
  skipped: "➖",
};

const CHECK_TITLE: Record<TrustCheck["rule"], string> = {
  repository: "Repository",
  issue: "Issue",
  trigger: "Trigger",
  text: "Text after the trigger",
  "pull-request": "Open pull request",
  plan: "Patch plan",
};

function nextStep(analysis: Analysis, checks: TrustCheck[], config: RepoConfig | null): string {
  if (analysis.actionable && analysis.plan) {
    const files = analysis.plan.files.length
      ? ` touching ${analysis.plan.files.map((f) => `\`${f}\``).join(", ")}`
      : "";
    const dry = config?.dryRun
      ? " This repository is in dry-run mode: AFU-9 reports what it would change and writes no branch."
      : "";
    return `AFU-9 will prepare a patch (strategy \`${analysis.plan.strategy}\`)${files} and open a pull request.${dry}`;
  }
  const blocking = checks.find((c) => c.status !== "pass" && c.status !== "skipped");
  return `Nothing: ${blocking ? blocking.detail : "not actionable"}.`;
}

/** `patchPlan`: the patch generator's "Patch plan" section, when no strategy applies. */
export function renderAnalysisComment(result: Interpretation, patchPlan?: string): string {
  const { analysis, checks } = result;
  const lines = [
    `### AFU-9 analysis: \`${analysis.type}\` · \`${analysis.priority}\``,
    "",
    ...analysis.reasons.slice(0, 2).map((r) => `- ${r}`),
    "",
    "| Check | | Detail |",
    "|---|---|---|",
    ...checks.map(
      (c) =>
        `| ${CHECK_TITLE[c.rule]} | ${STATUS_ICON[c.status]} | ${c.detail.replace(/\|/g, "\\|")} |`,
    ),
    "",
    `**What happens next:** ${nextStep(analysis, checks, analysis.config)}`,
    "",
    ...(patchPlan ? [patchPlan, ""] : []),
    `<sub>Only people with write permission can trigger AFU-9 (label \`${result.trigger.label}\`). ` +
      `Settings: \`${REPO_CONFIG_PATH}\` on the default branch.</sub>`,
  ];
  return lines.join("\n");
}

export function renderConfigErrorComment(key: string, message: string): string {
  return [
    `### AFU-9: \`${REPO_CONFIG_PATH}\` is invalid`,
    "",
    `Key \`${key}\`: ${message}.`,
    "",
    `AFU-9 does nothing in this repository until the file on the default branch is fixed.`,
  ].join("\n");
}
