// Reads how an execution ended from Step Functions: DescribeExecution for status, input and output;
// for a failed run also GetExecutionHistory, because the Fail state has no output and the state
// document with the error and the pull request is ReportFailure's input in the history.
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import type { ExecutionEndStatus, RunEnd } from "../../contract/run-outcome";
import type { ExecutionInput, WorkflowState } from "../../contract/state";
import { REPORT_FAILURE_STATE as REPORT_FAILURE } from "../../contract/notifications";
/** ReportFailure is entered a few events before the end; its retries add a few more each. */
const HISTORY_EVENTS = 100;

export type RunEndReader = (executionArn: string) => Promise<RunEnd>;

function parseJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export function createSfnRunEndReader(sfn: SFNClient): RunEndReader {
  return async (executionArn) => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = described.status as ExecutionEndStatus;
    const input = parseJson<ExecutionInput>(described.input);
    if (!input?.repository || !input.issue) {
      throw new Error(
        `execution ${executionArn} has no AFU-9 execution input (repository, issue): ` +
          `the notifier's EventBridge rule must match only the factory's state machine`,
      );
    }
    const error = described.error ? { Error: described.error, Cause: described.cause } : undefined;
    if (status === "SUCCEEDED") {
      return { status, state: parseJson<WorkflowState>(described.output) ?? input, error };
    }
    if (status !== "FAILED") return { status, state: input, error };
    const history = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: HISTORY_EVENTS,
        includeExecutionData: true,
      }),
    );
    const entered = (history.events ?? []).find(
      (event) =>
        event.type === "TaskStateEntered" &&
        event.stateEnteredEventDetails?.name === REPORT_FAILURE,
    );
    const state = parseJson<WorkflowState>(entered?.stateEnteredEventDetails?.input);
    return { status, state: state?.repository ? state : input, error };
  };
}
