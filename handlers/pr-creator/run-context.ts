// What the PR and CI states read from the workflow state, in one place: the branch name, the
// effective switches (repo config null -> safe defaults: no auto-merge), dry-run, and the GitHub
// error helpers both functions need.
import type { MergeMethod, PatchResult, WorkflowState } from "../../contract/state";

export interface PrSwitches {
  automerge: boolean;
  mergeMethod: MergeMethod;
  deleteBranchAfterMerge: boolean;
  mergeWithoutCi: boolean;
  applyLabels: boolean;
  /** Stack-wide dry run or the repo's own `dryRun: true`. */
  dryRun: boolean;
}

/** Label every factory PR carries (and the CI-failure label PostFeedback sets). */
export const FACTORY_LABEL = "afu9";
export const CI_FAILED_LABEL = "afu9:ci-failed";

export function branchForIssue(issueNumber: number): string {
  return `afu9/issue-${issueNumber}`;
}

/** Without a (valid) repo config nothing destructive is switched on. */
export function prSwitches(state: WorkflowState): PrSwitches {
  const config = state.analysis?.config ?? null;
  return {
    automerge: config?.automerge ?? false,
    mergeMethod: config?.mergeMethod ?? "squash",
    deleteBranchAfterMerge: config?.deleteBranchAfterMerge ?? false,
    mergeWithoutCi: config?.mergeWithoutCi ?? false,
    applyLabels: config?.applyLabels ?? true,
    dryRun: Boolean(state.settings?.dryRun) || Boolean(config?.dryRun),
  };
}

export function repoOf(state: WorkflowState): { owner: string; repo: string } {
  return { owner: state.repository.owner, repo: state.repository.name };
}

/** The task state needs a slice an earlier state produced; say which, not "undefined". */
export function requireSlice<K extends keyof WorkflowState>(
  state: WorkflowState,
  key: K,
  action: string,
): NonNullable<WorkflowState[K]> {
  const value = state[key];
  if (value === undefined || value === null) {
    throw Object.assign(
      new Error(
        `action "${action}" needs $.${String(key)} in the state, but it is missing: the state ` +
          `machine must run the state producing it first`,
      ),
      { name: "AFU9.StateIncomplete", code: "STATE_INCOMPLETE" },
    );
  }
  return value as NonNullable<WorkflowState[K]>;
}

/**
 * The patch the PR carries: ValidatePatch's regenerated one when the default branch moved after
 * GeneratePatch (it supersedes $.patch), else GeneratePatch's.
 */
export function effectivePatch(state: WorkflowState): PatchResult | undefined {
  return state.validation?.patch ?? state.patch;
}

/** HTTP status of an Octokit RequestError (undefined for other errors). */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}

/** GitHub's own explanation from an error response body ("message"), else the error message. */
export function gitHubReason(error: unknown): string {
  if (typeof error === "object" && error !== null && "response" in error) {
    const data = (error as { response?: { data?: unknown } }).response?.data;
    if (typeof data === "object" && data !== null && "message" in data) {
      const message = (data as { message: unknown }).message;
      if (typeof message === "string" && message.trim()) return message.trim();
    }
  }
  return error instanceof Error ? error.message : String(error);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
