// The state machine's four Lambda functions, in process: each Task's Resource (a function ARN) is
// mapped to the same handler module the deployed function runs, built with the factory's TaskDeps
// (GitHub client factory for the sandbox or real GitHub, the scaled clock, the factory's logger).
import type { CiWaitDeps } from "../../handlers/ci-feedback/await-ci";
import { createCiFeedbackHandler } from "../../handlers/ci-feedback/lambda";
import { analyzeIssueTask } from "../../handlers/issue-interpreter/analyze-issue";
import { createPatchGeneratorHandler } from "../../handlers/patch-generator/lambda";
import { createPrCreatorHandler } from "../../handlers/pr-creator/lambda";
import { ENV } from "../../contract/environment";
import type { TaskDeps } from "../../handlers/shared/types";
import type { TaskEvent } from "../../contract/task-actions";
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
  // The interpreter's Lambda entry builds its own TaskDeps (no seam for ours), so its one action
  // is dispatched here the way that entry does it, AI detection included.
  const aiEnabled = Boolean(process.env[ENV.aiConfig]);
  const interpreter: TaskFunction = async (event: TaskEvent) => {
    if (event.action !== "analyze") {
      throw new Error(`the issue-interpreter function handles "analyze", not "${event.action}"`);
    }
    return analyzeIssueTask(event.state, deps, { aiEnabled });
  };
  return {
    [LOCAL_FUNCTION_ARNS.issueInterpreter]: interpreter,
    [LOCAL_FUNCTION_ARNS.patchGenerator]: createPatchGeneratorHandler(deps),
    [LOCAL_FUNCTION_ARNS.prCreator]: createPrCreatorHandler(deps),
    [LOCAL_FUNCTION_ARNS.ciFeedback]: createCiFeedbackHandler(deps, ciWait),
  };
}
