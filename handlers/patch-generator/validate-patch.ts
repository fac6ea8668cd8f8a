// ValidatePatch (action "validate"): checks the patch commit against its base and the current
// default branch, returns { valid, violations } and, when invalid, comments every violation on the
// issue (one marked comment, updated in place). If the default branch moved since GeneratePatch,
// the change is applied again on the new head (rebase-patch.ts); only a change that no longer
// applies there is a violation.
import { findMarkedComment, upsertMarkedComment } from "../github/marked-comment";
import { defaultRepoConfig } from "../shared/repo-config";
import type { TaskDeps } from "../shared/types";
import type { PatchResult, ValidationResult, Violation, WorkflowState } from "../../contract/state";
import { repoOf } from "../shared/run-state";
import type { PatchGeneratorOptions } from "./generate-patch";
import { readCommitChanges } from "./github-repo";
import { readCommit, readTreeEntries } from "../github/git-trees";
import { rebaseOntoDefaultBranch } from "./rebase-patch";
import { refusalViolation } from "./refusal";
import { RULES, validateChanges, type ValidationLimits } from "./validate-changes";
import {
  VIOLATIONS_COMMENT_KIND,
  formatResolvedComment,
  formatViolationsComment,
} from "./violations-comment";

function limitsOf(state: WorkflowState): ValidationLimits {
  const config = state.analysis?.config ?? defaultRepoConfig();
  return { protectedPaths: config.protectedPaths, limits: config.limits };
}

/** GeneratePatch refused the change: no commit exists; the refusal is the one violation. */
async function reportRefusal(state: WorkflowState, deps: TaskDeps): Promise<ValidationResult> {
  const octokit = await deps.github(state.installationId);
  const ref = repoOf(state);
  const violations = [refusalViolation(state.patchRefusal!)];
  await upsertMarkedComment(
    octokit,
    { owner: ref.owner, repo: ref.repo, issueNumber: state.issue.number },
    VIOLATIONS_COMMENT_KIND,
    formatViolationsComment(violations, null),
  );
  deps.logger.info("patch refused", {
    issue: state.issue.number,
    error: state.patchRefusal!.Error,
    rules: violations.map((v) => v.rule),
  });
  return { valid: false, violations };
}

export async function validatePatch(
  state: WorkflowState,
  deps: TaskDeps,
  options: PatchGeneratorOptions = {},
): Promise<ValidationResult> {
  if (state.patchRefusal) return reportRefusal(state, deps);
  if (!state.patch) {
    throw new Error(
      "ValidatePatch needs $.patch (the GeneratePatch result): check the state machine wiring",
    );
  }
  const octokit = await deps.github(state.installationId);
  const ref = repoOf(state);
  let patch: PatchResult = state.patch;
  const violations: Violation[] = [];

  const rebase = await rebaseOntoDefaultBranch(
    octokit,
    { ...state, patch },
    deps,
    options,
    RULES.baseMoved,
  );
  patch = rebase.patch;
  const regenerated = rebase.rebased;
  if (rebase.conflict) violations.push(rebase.conflict);

  if (violations.length === 0) {
    const commit = await readCommit(octokit, ref, patch.commitSha);
    if (commit.parents.length !== 1 || commit.parents[0] !== patch.baseSha) {
      violations.push({
        rule: RULES.commitParent,
        message: `commit ${patch.commitSha.slice(0, 7)} is not based on ${patch.baseSha.slice(0, 7)} (parents: ${commit.parents.map((p) => p.slice(0, 7)).join(", ") || "none"})`,
      });
    } else {
      const base = await readCommit(octokit, ref, patch.baseSha);
      const [changes, baseEntries] = await Promise.all([
        readCommitChanges(octokit, ref, base.treeSha, commit.treeSha),
        readTreeEntries(octokit, ref, base.treeSha),
      ]);
      violations.push(
        ...validateChanges(changes, limitsOf(state), (path) => baseEntries.get(path)?.mode),
      );
    }
  }

  const target = { owner: ref.owner, repo: ref.repo, issueNumber: state.issue.number };
  if (violations.length > 0) {
    await upsertMarkedComment(
      octokit,
      target,
      VIOLATIONS_COMMENT_KIND,
      formatViolationsComment(violations, patch),
    );
  } else if (await findMarkedComment(octokit, target, VIOLATIONS_COMMENT_KIND)) {
    await upsertMarkedComment(
      octokit,
      target,
      VIOLATIONS_COMMENT_KIND,
      formatResolvedComment(patch),
    );
  }
  deps.logger.info("patch validated", {
    issue: state.issue.number,
    commitSha: patch.commitSha,
    valid: violations.length === 0,
    rules: violations.map((v) => v.rule),
    regenerated: Boolean(regenerated),
    rebaseAttempts: rebase.attempts,
  });
  return {
    valid: violations.length === 0,
    violations,
    ...(regenerated ? { patch: regenerated } : {}),
  };
}
