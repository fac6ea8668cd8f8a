// The state machine's four Lambda functions, in process: each Task's Resource (a function ARN) is
// mapped to the handler the deployed function's entry builds, with the factory's TaskDeps (GitHub
// client factory for the sandbox or real GitHub, the scaled clock, the factory's logger) in place
// of the container's. Dispatch and error names are the entries' own, so local runs take the same
// Retry/Catch paths as on AWS.
import type { TaskFunctionKey } from "../../contract/functions";
import type { CiWaitDeps } from "../../handlers/ci-feedback/await-ci";
import { createCiFeedbackHandler } from "../../handlers/ci-feedback/lambda";
import { createIssueInterpreterHandler } from "../../handlers/issue-interpreter/lambda";
import { createPatchGeneratorHandler } from "../../handlers/patch-generator/lambda";
import { createPrCreatorHandler } from "../../handlers/pr-creator/lambda";
import type { TaskDeps } from "../../handlers/shared/types";
import type { WorkflowSettings } from "../../workflow";
import type { TaskFunction } from "../state-machine-runner";

/** Function ARNs of the local "deployment" (the builder only accepts well-formed Lambda ARNs). */
export const LOCAL_FUNCTION_ARNS: WorkflowSettings["functionArns"] = {
  issueInterpreter:
    "arn:aws:lambda:eu-central-1:000000000000:function:afu9-local-issue-interpreter",
  patchGenerator: "arn:aws:lambda:eu-central-1:000000000000:function:afu9-local-patch-generator",
  prCreator: "arn:aws:lambda:eu-central-1:000000000000:function:afu9-local-pr-creator",
  ciFeedback: "arn:aws:lambda:eu-central-1:000000000000:function:afu9-local-ci-feedback",
};

export const LOCAL_STATE_MACHINE_ARN =
  "arn:aws:states:eu-central-1:000000000000:stateMachine:afu9-local";

/** What one execution's Task states call, keyed by function ARN (every action of that function). */
export function createLocalTaskFunctions(
  deps: TaskDeps,
  ciWait: CiWaitDeps,
): Record<string, TaskFunction> {
  const handlers: Record<TaskFunctionKey, TaskFunction> = {
    issueInterpreter: createIssueInterpreterHandler(deps),
    patchGenerator: createPatchGeneratorHandler(deps),
    prCreator: createPrCreatorHandler(deps),
    ciFeedback: createCiFeedbackHandler(deps, ciWait),
  };
  return Object.fromEntries(
    (Object.keys(handlers) as TaskFunctionKey[]).map((key) => [
      LOCAL_FUNCTION_ARNS[key],
      handlers[key],
    ]),
  );
}
