// StartExecution with the delivery-derived name, telling a first start from a redelivery.
//
// What STANDARD Step Functions does with a name it has seen in the last 90 days (StartExecution API
// reference): original execution open and the same input -> success, returning the ORIGINAL
// executionArn and startDate (the call is idempotent); open with a different input, or closed ->
// ExecutionAlreadyExists. Either way no second execution runs: that is what makes redelivery safe.
//
// To also answer a redelivery `duplicate` in the first case, the returned startDate is compared
// with the moment this call began: a start that happened more than DUPLICATE_SKEW_MS before we
// asked cannot be ours. Chosen over a DescribeExecution round trip (slower, and racy) and over a
// per-request nonce in the input (it would change the ExecutionInput contract). The SDK's own retry
// of a call whose first response was lost still reads as `started` (its startDate is after our
// call began), which is right: that start was ours. A redelivery within DUPLICATE_SKEW_MS of the
// original (not something GitHub does) would be labelled `started`, still with one execution.
import { StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { Clock } from "../shared/types";
import { executionArn } from "./execution-name";

/** Tolerance for clock skew between this function and Step Functions (both NTP-synced). */
export const DUPLICATE_SKEW_MS = 1000;

export interface StartRequest {
  stateMachineArn: string;
  name: string;
  /** The ExecutionInput as JSON text. */
  input: string;
}

export type StartResult =
  | { kind: "started"; executionArn: string }
  | { kind: "duplicate"; executionArn: string; via: "ExecutionAlreadyExists" | "idempotent-start" }
  | { kind: "failed"; transient: boolean; errorName: string; message: string };

/** Errors GitHub may usefully redeliver after (503) rather than configuration faults (500). */
const TRANSIENT_ERRORS = [
  "ThrottlingException",
  "TooManyRequestsException",
  "ServiceUnavailable",
  "InternalServerError",
  "ExecutionLimitExceeded",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
];

function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  const meta = error as Error & {
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    $fault?: string;
  };
  if (TRANSIENT_ERRORS.includes(error.name) || meta.$retryable) return true;
  if (meta.$fault === "server") return true;
  const status = meta.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  // No HTTP status at all: the request never got an answer (network, DNS, socket timeout).
  return true;
}

export async function startExecution(
  client: SFNClient,
  request: StartRequest,
  clock: Pick<Clock, "now">,
): Promise<StartResult> {
  const calledAt = clock.now();
  try {
    const out = await client.send(
      new StartExecutionCommand({
        stateMachineArn: request.stateMachineArn,
        name: request.name,
        input: request.input,
      }),
    );
    const arn = out.executionArn ?? executionArn(request.stateMachineArn, request.name);
    if (out.startDate && out.startDate.getTime() < calledAt - DUPLICATE_SKEW_MS) {
      return { kind: "duplicate", executionArn: arn, via: "idempotent-start" };
    }
    return { kind: "started", executionArn: arn };
  } catch (error) {
    if (error instanceof Error && error.name === "ExecutionAlreadyExists") {
      return {
        kind: "duplicate",
        executionArn: executionArn(request.stateMachineArn, request.name),
        via: "ExecutionAlreadyExists",
      };
    }
    return {
      kind: "failed",
      transient: isTransient(error),
      errorName: error instanceof Error ? error.name : "Error",
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
