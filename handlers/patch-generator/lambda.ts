// Lambda entry for the patch-generator function: used as the CallbackFunction's callbackFactory, so
// it runs once per container (deps are built here) and returns the per-invocation handler for the
// actions "generate" (GeneratePatch -> PatchResult at $.patch) and "validate" (ValidatePatch ->
// ValidationResult at $.validation, violations commented on the issue) and "repair" (RepairPatch ->
// RepairState at $.repair: one repair commit on the PR branch, or a stop).
import type {
  PatchResult,
  RepairState,
  RevisionResult,
  ValidationResult,
} from "../../contract/state";
import { createTaskDeps } from "../runtime/task-deps";
import { createTaskHandler, type TaskHandler } from "../runtime/task-handler";
import type { TaskDeps } from "../shared/types";
import { createAiChangeSource } from "./ai/ai-strategy";
import { createRepairModelFromEnvironment } from "./ai-setup";
import { repairPullRequest, type RepairModel } from "./repair/repair";
import { generatePatch, type PatchGeneratorOptions } from "./generate-patch";
import { validatePatch } from "./validate-patch";
import { revisePullRequest } from "./revise/revise";

/** `env` is the function's environment (the local factory passes the sandbox model's). */
export function createPatchGeneratorHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "afu9-patch-generator" }),
  options?: PatchGeneratorOptions & { repair?: RepairModel | null },
  env: Record<string, string | undefined> = process.env,
): TaskHandler<PatchResult | ValidationResult | RepairState | RevisionResult> {
  // Built on first use inside the container: reads AFU9_AI_CONFIG then, never at deploy time.
  let resolved: (PatchGeneratorOptions & { repair?: RepairModel | null }) | undefined = options;
  const optionsNow = () => {
    if (!resolved) {
      const model = createRepairModelFromEnvironment(env, deps);
      resolved = {
        ai: model ? (spent) => createAiChangeSource(model.provider, model.limits, spent) : null,
        repair: model,
      };
    }
    return resolved;
  };
  return createTaskHandler<PatchResult | ValidationResult | RepairState | RevisionResult>(
    "patch-generator",
    {
      generate: (state) => generatePatch(state, deps, optionsNow()),
      validate: (state) => validatePatch(state, deps, optionsNow()),
      repair: (state) => repairPullRequest(state, deps, optionsNow().repair),
      revise: (state) => revisePullRequest(state, deps, optionsNow().repair),
    },
    deps.deadline,
  );
}
