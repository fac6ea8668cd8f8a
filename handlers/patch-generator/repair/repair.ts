// RepairPatch (action "repair"): CI failed on AFU-9's own PR head. One round: check the stop rules
// (rounds used up, the same failure as after the last round, the per-issue AI budget), gather the
// failure's evidence, ask the model for SEARCH/REPLACE edits on the PR head, validate them with
// every ValidatePatch rule plus the test guard, push ONE fast-forward commit and go back to the CI
// wait. Every stop is an answer, not an error: PostFeedback then lists every round. The state gets
// names, hashes and counts only.
import type {
  RepairRound,
  RepairState,
  RepairStop,
  Violation,
  WorkflowState,
} from "../../../contract/state";
import { readCommit, type RepoRef } from "../../github/git-trees";
import { upsertMarkedComment } from "../../github/marked-comment";
import { parseSearchReplaceBlocks } from "../../patch-text/edit-instructions";
import { isPatchError } from "../../patch-text/patch-errors";
import {
  REPAIR_COMMENT_KIND,
  repairProgressComment,
  withRepairRoundCount,
} from "../../shared/repair-text";
import { defaultRepoConfig } from "../../shared/repo-config";
import { effectivePatch, repoOf, requireSlice } from "../../shared/run-state";
import type { TaskDeps } from "../../shared/types";
import { clipBytes } from "../../untrusted-text/sanitize";
import { selectRelevantFiles, type AiLimits } from "../ai/ai-strategy";
import { estimateTokens, type AiProvider } from "../ai/provider";
import { formatChangeSet } from "../change-set";
import { applyEditsToRepo, type Usage } from "../generate-changes";
import { createGitHubRepoReader, readCommitChanges } from "../github-repo";
import { pushCommitToPullRequest } from "../push-to-pull-request";
import { validateChanges } from "../validate-changes";
import { gatherFailureEvidence, isEmptyEvidence, type FailureEvidence } from "./evidence";
import { buildRepairPrompt, REPAIR_SYSTEM_PROMPT } from "./repair-prompt";
import { TESTS_WEAKENED_RULE, testWeakeningViolations } from "./test-guard";
import { readAnalysedIssueText } from "../issue-text";
import { isFactoryError } from "../../../contract/errors";

export interface RepairModel {
  provider: AiProvider;
  limits: AiLimits;
}

const DIFF_BYTES = 12_000;
/** Smallest answer worth asking for: below this the model cannot write a useful edit. */
const MIN_OUTPUT_TOKENS = 256;

function spentSoFar(state: WorkflowState): Usage {
  const usage = state.repair?.usage ?? effectivePatch(state)?.usage;
  return {
    calls: usage?.calls ?? 0,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
  };
}

function violationText(violations: Violation[]): string {
  return violations
    .slice(0, 5)
    .map((v) => `${v.rule}${v.path ? ` (${v.path})` : ""}: ${v.message}`)
    .join("; ");
}

function commitMessage(state: WorkflowState, round: number, evidence: FailureEvidence): string {
  return (
    `AFU-9: repair round ${round} for #${state.issue.number}\n\n` +
    `CI failed (${evidence.failed.join(", ") || "unnamed checks"}); this commit is AFU-9's ` +
    `repair attempt ${round}.\n`
  );
}

export async function repairPullRequest(
  state: WorkflowState,
  deps: TaskDeps,
  model: RepairModel | null | undefined,
): Promise<RepairState> {
  const pr = requireSlice(state, "pr", "repair");
  const ci = requireSlice(state, "ci", "repair");
  const patch = effectivePatch(state);
  const maxRounds = state.analysis?.repair?.maxRounds ?? 0;
  const previous = state.repair?.rounds ?? [];
  const usage = spentSoFar(state);
  const budget = {
    maxCalls: model?.limits.maxCalls ?? 0,
    maxTokens: model?.limits.maxTokens ?? 0,
  };
  const ref: RepoRef = repoOf(state);
  const octokit = await deps.github(state.installationId);
  const log = { issue: state.issue.number, pullRequest: pr.number, round: previous.length + 1 };

  const finish = async (repair: RepairState): Promise<RepairState> => {
    await upsertMarkedComment(
      octokit,
      { ...ref, issueNumber: pr.number },
      REPAIR_COMMENT_KIND,
      repairProgressComment(repair, maxRounds),
    );
    deps.logger.info("repair round ended", {
      ...log,
      outcome: repair.outcome,
      stop: repair.stop,
      tokens: repair.usage.inputTokens + repair.usage.outputTokens,
      calls: repair.usage.calls,
    });
    return repair;
  };
  const stop = (why: RepairStop, reason: string, round?: RepairRound) =>
    finish({
      outcome: "stopped",
      rounds: round ? [...previous, round] : previous,
      stop: why,
      stopReason: reason,
      usage,
      budget,
      ...(state.repair?.headSha ? { headSha: state.repair.headSha } : {}),
    });

  if (!model) {
    return stop("budget", "AI is off for the patch generator of this stack");
  }
  const pushed = previous.filter((round) => round.commitSha).length;
  if (pushed >= maxRounds) {
    return stop("rounds-used-up", `${pushed} of ${maxRounds} round(s) ran and CI is still red`);
  }
  const evidence = await gatherFailureEvidence(octokit, ref, ci.headSha);
  const last = previous[previous.length - 1];
  if (last && last.signature === evidence.signature) {
    return stop(
      "same-failure",
      `round ${last.round}'s commit left ${evidence.failed.join(", ") || "CI"} failing exactly as before`,
    );
  }
  if (isEmptyEvidence(evidence)) {
    return stop("no-evidence", `${evidence.failed.join(", ") || "CI"} failed without output`);
  }
  const used = usage.inputTokens + usage.outputTokens;
  if (usage.calls >= budget.maxCalls) {
    return stop("budget", `all ${budget.maxCalls} AI calls of the per-issue budget are used`);
  }

  // The PR head as the model will see it: its diff against the base and the relevant files.
  const head = await readCommit(octokit, ref, ci.headSha);
  const baseSha = patch?.baseSha ?? head.parents[0];
  const base = await readCommit(octokit, ref, baseSha);
  const prChanges = await readCommitChanges(octokit, ref, base.treeSha, head.treeSha);
  const reader = createGitHubRepoReader(octokit, ref, head.treeSha);
  const named = new Set(evidence.checks.flatMap((c) => c.annotations.map((a) => a.path)));
  const fromPr = prChanges
    .filter(
      (change) => change.newFile && change.newFile.content.length <= model.limits.maxFileBytes,
    )
    .map((change) => ({
      path: change.path,
      content: change.newFile!.content,
      reasons: ["changed by this pull request"],
    }));
  const failureText = evidence.checks
    .flatMap((c) => [
      c.title,
      c.summary,
      c.text,
      c.log ?? "",
      ...c.annotations.map((a) => `${a.path} ${a.message}`),
    ])
    .join("\n");
  // The text AnalyzeIssue trusted; an edit since then leaves the repair with the title only.
  const issueText = await readAnalysedIssueText(octokit, state).catch((error: unknown) => {
    if (isFactoryError(error, "IssueTextChanged")) return { title: state.issue.title, body: "" };
    throw error;
  });
  const context = await selectRelevantFiles(
    {
      title: issueText.title,
      body: `${issueText.body}\n${[...named].join("\n")}\n${failureText}`,
      trustedComments: [],
      aiEnabled: true,
    },
    reader,
    model.limits,
  );
  const files = [
    ...fromPr,
    ...context.files.filter((file) => !fromPr.some((own) => own.path === file.path)),
  ].slice(0, model.limits.maxFiles);
  const ownTests = (patch?.files ?? []).filter((f) => f.change === "added").map((f) => f.path);
  const prompt = buildRepairPrompt({
    issue: issueText,
    evidence,
    diff: clipBytes(formatChangeSet(prChanges), DIFF_BYTES),
    files,
    treeMap: context.treeMap,
    ownTests,
    previousRounds: previous,
  });

  // The budget spans the first patch and every round: never ask for more than is left.
  const remaining = budget.maxTokens - used;
  const promptTokens = estimateTokens(REPAIR_SYSTEM_PROMPT + prompt);
  if (promptTokens + MIN_OUTPUT_TOKENS > remaining) {
    return stop(
      "budget",
      `the repair prompt needs ~${promptTokens} tokens and ${Math.max(0, remaining)} of ${budget.maxTokens} are left`,
    );
  }
  const answer = await model.provider.complete({
    system: REPAIR_SYSTEM_PROMPT,
    messages: [{ role: "user", content: prompt }],
    maxOutputTokens: Math.min(model.limits.maxOutputTokens, remaining - promptTokens),
  });
  usage.calls += 1;
  usage.inputTokens += answer.inputTokens;
  usage.outputTokens += answer.outputTokens;
  const round: RepairRound = {
    round: previous.length + 1,
    signature: evidence.signature,
    failed: evidence.failed,
    files: [],
    tokens: answer.inputTokens + answer.outputTokens,
    calls: 1,
  };

  let changes;
  try {
    const edits = parseSearchReplaceBlocks(answer.text);
    changes = edits.length > 0 ? await applyEditsToRepo(edits, reader) : [];
  } catch (error) {
    if (!isPatchError(error)) throw error;
    return stop("no-usable-edits", error.message, round);
  }
  if (changes.length === 0) {
    return stop(
      "no-usable-edits",
      "the answer holds no SEARCH/REPLACE edit that changes a file",
      round,
    );
  }
  const config = state.analysis?.config ?? defaultRepoConfig();
  const weakened = testWeakeningViolations(changes, ownTests);
  const headEntries = await reader.entries();
  const violations = [
    ...weakened,
    ...validateChanges(
      changes,
      { protectedPaths: config.protectedPaths, limits: config.limits },
      (path) => headEntries.get(path)?.mode,
    ),
  ];
  if (violations.length > 0) {
    deps.logger.warn("repair edits refused by validation", {
      ...log,
      rules: violations.map((v) => v.rule),
    });
    return stop(
      violations.some((v) => v.rule === TESTS_WEAKENED_RULE) ? "tests-weakened" : "refused",
      `nothing was pushed; ${violationText(violations)}`,
      round,
    );
  }

  const ownCommits = [
    ...(patch ? [patch.commitSha] : []),
    ...previous.flatMap((r) => (r.commitSha ? [r.commitSha] : [])),
  ];
  const result = await pushCommitToPullRequest(octokit, ref, {
    pullNumber: pr.number,
    expectedHeadSha: ci.headSha,
    ownCommits,
    changes,
    message: commitMessage(state, round.round, evidence),
    editBody: (body) => withRepairRoundCount(body, pushed + 1, maxRounds),
  });
  round.files = changes.map((change) => change.path);
  round.commitSha = result.commitSha;
  return finish({
    outcome: "pushed",
    rounds: [...previous, round],
    headSha: result.commitSha,
    usage,
    budget,
  });
}
