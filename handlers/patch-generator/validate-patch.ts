// ValidatePatch (action "validate"): checks the patch commit against its base and the current
// default branch, returns { valid, violations } and, when invalid, comments every violation on the
// issue (one marked comment, updated in place). If the default branch moved since GeneratePatch,
// the patch is regenerated once on the new head; if it no longer applies (or the head moves
// again), that is a violation.
import { findMarkedComment, upsertMarkedComment } from "../github/marked-comment";
import { defaultRepoConfig } from "../issue-interpreter/repo-config";
import type { TaskDeps } from "../shared/types";
import type { PatchResult, ValidationResult, Violation, WorkflowState } from "../../contract/state";
import { isPatchError } from "./errors";
import { generatePatchOnBase, type PatchGeneratorOptions, repoRefOf } from "./generate-patch";
import { readBranchHead, readCommit, readCommitChanges, readTreeEntries } from "./github-repo";
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
  const ref = repoRefOf(state);
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
  const ref = repoRefOf(state);
  const branch = state.repository.defaultBranch;
  let patch: PatchResult = state.patch;
  let regenerated: PatchResult | undefined;
  const violations: Violation[] = [];

  const head = await readBranchHead(octokit, ref, branch);
  if (head !== patch.baseSha) {
    deps.logger.info("default branch moved since GeneratePatch; regenerating once", {
      from: patch.baseSha,
      to: head,
    });
    try {
      regenerated = await generatePatchOnBase(octokit, state, head, deps, {
        ...options,
        spent: patch.usage,
      });
      patch = regenerated;
      const headAgain = await readBranchHead(octokit, ref, branch);
      if (headAgain !== regenerated.baseSha) {
        violations.push({
          rule: RULES.baseMoved,
          message: `${branch} moved again (to ${headAgain.slice(0, 7)}) while the patch was regenerated; trigger AFU-9 again when it is quiet`,
        });
      }
    } catch (error) {
      if (!isPatchError(error)) throw error;
      violations.push({
        rule: RULES.baseMoved,
        message: `${branch} moved from ${state.patch.baseSha.slice(0, 7)} to ${head.slice(0, 7)} and the patch no longer applies: ${error.message}`,
      });
    }
  }

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
  });
  return {
    valid: violations.length === 0,
    violations,
    ...(regenerated ? { patch: regenerated } : {}),
  };
}
