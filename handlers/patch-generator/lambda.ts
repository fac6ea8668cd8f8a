// Lambda entry for the patch-generator function: used as the CallbackFunction's callbackFactory, so it runs
// once per container (build deps here) and returns the per-invocation handler.
import type { TaskEvent } from "../shared/types";

export function createPatchGeneratorHandler(): (event: TaskEvent) => Promise<unknown> {
  return async (event: TaskEvent) => {
    throw new Error(
      `GeneratePatch/ValidatePatch (action "${event.action}") is not implemented yet (issue #6)`,
    );
  };
}
