// Lambda entry for the patch-generator function: used as the CallbackFunction's callbackFactory, so
// it runs once per container (deps are built here) and returns the per-invocation handler for the
// actions "generate" (GeneratePatch -> PatchResult at $.patch) and "validate" (ValidatePatch ->
// ValidationResult at $.validation, violations commented on the issue).
import { withTaskErrors } from "../runtime/task-errors";
import { createTaskDeps } from "../runtime/task-deps";
import type { TaskDeps } from "../shared/types";
import type { PatchResult, ValidationResult } from "../../contract/state";
import type { TaskEvent } from "../../contract/task-actions";
import { createAiFromEnvironment } from "./ai-setup";
import { generatePatch, type PatchGeneratorOptions } from "./generate-patch";
import { validatePatch } from "./validate-patch";

export function createPatchGeneratorHandler(
  deps: TaskDeps = createTaskDeps({ serviceName: "patch-generator" }),
  options?: PatchGeneratorOptions,
): (event: TaskEvent) => Promise<PatchResult | ValidationResult> {
  // Built on first use inside the container: reads AFU9_AI_CONFIG then, never at deploy time.
  let resolved: PatchGeneratorOptions | undefined = options;
  const optionsNow = (): PatchGeneratorOptions =>
    (resolved ??= { ai: createAiFromEnvironment(process.env, deps) });
  // Rate limits reach Step Functions as AFU9.GitHubRateLimited, which it retries later.
  return withTaskErrors(async (event: TaskEvent) => {
    switch (event.action) {
      case "generate":
        return generatePatch(event.state, deps, optionsNow());
      case "validate":
        return validatePatch(event.state, deps, optionsNow());
      default:
        throw new Error(
          `the patch-generator function handles actions "generate" and "validate", not ` +
            `"${event.action}": check the state machine's Parameters for this task`,
        );
    }
  }, deps.deadline);
}
