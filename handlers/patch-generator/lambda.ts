// Lambda entry for the patch-generator function: used as the CallbackFunction's callbackFactory, so
// it runs once per container (deps are built here) and returns the per-invocation handler for the
// actions "generate" (GeneratePatch -> PatchResult at $.patch) and "validate" (ValidatePatch ->
// ValidationResult at $.validation, violations commented on the issue).
import type { PatchResult, ValidationResult } from "../../contract/state";
import { createTaskDeps } from "../runtime/task-deps";
import { createTaskHandler, type TaskHandler } from "../runtime/task-handler";
import type { TaskDeps } from "../shared/types";
import { createAiFromEnvironment } from "./ai-setup";
import { generatePatch, type PatchGeneratorOptions } from "./generate-patch";
import { validatePatch } from "./validate-patch";

export function createPatchGeneratorHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "afu9-patch-generator" }),
  options?: PatchGeneratorOptions,
): TaskHandler<PatchResult | ValidationResult> {
  // Built on first use inside the container: reads AFU9_AI_CONFIG then, never at deploy time.
  let resolved: PatchGeneratorOptions | undefined = options;
  const optionsNow = (): PatchGeneratorOptions =>
    (resolved ??= { ai: createAiFromEnvironment(process.env, deps) });
  return createTaskHandler<PatchResult | ValidationResult>(
    "patch-generator",
    {
      generate: (state) => generatePatch(state, deps, optionsNow()),
      validate: (state) => validatePatch(state, deps, optionsNow()),
    },
    deps.deadline,
  );
}
