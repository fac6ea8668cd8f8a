// What task functions read from the workflow state, in one place: the repository, the effective
// switches (repo config null -> safe defaults: no auto-merge), dry-run, the patch in force, and the
// error for a slice an earlier state should have produced.
import { factoryError } from "../../contract/errors";
import type {
  FactorySettings,
  MergeMethod,
  PatchResult,
  RepoConfig,
  WorkflowState,
} from "../../contract/state";

export interface PrSwitches {
  automerge: boolean;
  /** `automerge.requireApproval`: merge only after an approving review of the current head. */
  requireApproval: boolean;
  mergeMethod: MergeMethod;
  deleteBranchAfterMerge: boolean;
  mergeWithoutCi: boolean;
  applyLabels: boolean;
  /** Stack-wide dry run or the repo's own `dryRun: true`. */
  dryRun: boolean;
}

/** A dry run: the stack's `dryRun` or the repository's own `dryRun: true`. */
export function isDryRun(
  settings: FactorySettings | undefined,
  config: RepoConfig | null | undefined,
): boolean {
  return Boolean(settings?.dryRun) || Boolean(config?.dryRun);
}

/** Without a (valid) repo config nothing destructive is switched on. */
export function prSwitches(state: WorkflowState): PrSwitches {
  const config = state.analysis?.config ?? null;
  return {
    automerge: config?.automerge ?? false,
    requireApproval: config?.requireApproval ?? false,
    mergeMethod: config?.mergeMethod ?? "squash",
    deleteBranchAfterMerge: config?.deleteBranchAfterMerge ?? false,
    mergeWithoutCi: config?.mergeWithoutCi ?? false,
    applyLabels: config?.applyLabels ?? true,
    dryRun: isDryRun(state.settings, config),
  };
}

/**
 * Commits AFU-9 itself put on the PR branch in this run: the patch, the repair rounds' and the
 * revision's. A head among them is AFU-9's own (nobody pushed on top).
 */
export function ownCommits(state: WorkflowState): string[] {
  const patch = state.validation?.patch ?? state.patch;
  return [
    ...(patch ? [patch.commitSha] : []),
    ...(state.repair?.rounds ?? []).flatMap((round) => (round.commitSha ? [round.commitSha] : [])),
    ...(state.revision?.headSha ? [state.revision.headSha] : []),
  ];
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
    throw factoryError(
      "StateIncomplete",
      `action "${action}" needs $.${String(key)} in the state, but it is missing: the state ` +
        `machine must run the state producing it first`,
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

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
