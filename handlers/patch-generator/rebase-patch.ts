// The default branch moved after GeneratePatch (other pull requests merged): the change is applied
// again on the new head. Under load the head can move again while that happens, so this repeats a
// bounded number of times with a jittered pause; if the head is still moving after that, the
// change as applied to a head seen moments ago stands (the pull request's merge takes care of the
// rest). Only a change that no longer applies is a conflict, and that is the author's business.
import type { Octokit } from "@octokit/rest";
import type { TaskDeps } from "../shared/types";
import type { PatchResult, Violation, WorkflowState } from "../../contract/state";
import { isPatchError } from "../patch-text/patch-errors";
import { repoOf } from "../shared/run-state";
import { readBranchHead } from "../github/git-trees";
import { generatePatchOnBase, type PatchGeneratorOptions } from "./generate-patch";

/** Attempts to catch up with a moving default branch before the last re-based patch stands. */
export const MAX_REBASE_ATTEMPTS = 4;
/** Upper bound of the first jittered pause; it doubles with every attempt. */
export const REBASE_JITTER_MS = 250;

export interface RebaseOutcome {
  patch: PatchResult;
  /** Set when the patch was applied again on a newer head (it supersedes $.patch). */
  rebased?: PatchResult;
  /** Set when the change no longer applies to the new head: a real conflict. */
  conflict?: Violation;
  attempts: number;
}

export async function rebaseOntoDefaultBranch(
  octokit: Octokit,
  state: WorkflowState & { patch: PatchResult },
  deps: Pick<TaskDeps, "logger" | "clock">,
  options: PatchGeneratorOptions,
  rule: string,
): Promise<RebaseOutcome> {
  const ref = repoOf(state);
  const branch = state.repository.defaultBranch;
  let patch = state.patch;
  let rebased: PatchResult | undefined;
  for (let attempt = 1; ; attempt++) {
    const head = await readBranchHead(octokit, ref, branch);
    if (head === patch.baseSha) return { patch, rebased, attempts: attempt - 1 };
    if (attempt > MAX_REBASE_ATTEMPTS) {
      deps.logger.info("default branch still moving; the last re-based patch stands", {
        issue: state.issue.number,
        baseSha: patch.baseSha,
        head,
      });
      return { patch, rebased, attempts: attempt - 1 };
    }
    if (attempt > 1) {
      // Full jitter: concurrent runs re-basing on the same moving branch spread out.
      await deps.clock.sleep(Math.random() * REBASE_JITTER_MS * 2 ** (attempt - 2));
    }
    deps.logger.info("default branch moved; applying the change on the new head", {
      issue: state.issue.number,
      from: patch.baseSha,
      to: head,
      attempt,
    });
    try {
      rebased = await generatePatchOnBase(octokit, state, head, deps, {
        ...options,
        spent: state.patch.usage,
      });
      patch = rebased;
    } catch (error) {
      if (!isPatchError(error)) throw error;
      return {
        patch,
        attempts: attempt,
        conflict: {
          rule,
          message:
            `the change conflicts with what was merged into ${branch} since this run started ` +
            `(${state.patch.baseSha.slice(0, 7)} -> ${head.slice(0, 7)}): ${error.message}. ` +
            `Update the diff or edit to the current ${branch} and apply the trigger label again`,
        },
      };
    }
  }
}
