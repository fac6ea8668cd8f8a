// What the webhook answers, decided from the facts the processor gathered (request checks, the
// route decision, the start result): pure, one place for every status, outcome and message.
import type { RouteDecision } from "./route";
import type { StartResult } from "./start-execution";

/** Every value of the `outcome` log field and metric dimension. */
export type DeliveryOutcome =
  | "ping"
  | "started"
  | "duplicate"
  | "ignored"
  | "missing-headers"
  | "unsupported-media-type"
  | "too-large"
  | "bad-request"
  | "unauthorized"
  | "invalid-payload"
  | "secret-unavailable"
  | "start-failed"
  | "ci-resumed"
  | "ci-stale"
  | "ci-resume-failed"
  | "command-resumed"
  | "command-answered"
  | "command-refused"
  | "command-failed"
  | "internal-error";

export interface Answer {
  status: number;
  outcome: DeliveryOutcome;
  body: Record<string, unknown>;
  log?: Record<string, unknown>;
}

/** An answer whose body is `{ outcome, message }`. */
export function refusal(
  status: number,
  outcome: DeliveryOutcome,
  message: string,
  log?: Record<string, unknown>,
): Answer {
  return { status, outcome, body: { outcome, message }, ...(log ? { log } : {}) };
}

function ignored(reason: string): Answer {
  return { status: 202, outcome: "ignored", body: { outcome: "ignored", reason }, log: { reason } };
}

/** Answer for a route decision that starts nothing. */
export function answerRouteDecision(decision: Exclude<RouteDecision, { kind: "start" }>): Answer {
  switch (decision.kind) {
    case "ping":
      return { status: 200, outcome: "ping", body: { outcome: "ping" } };
    case "ignored":
      return ignored(decision.reason);
    case "invalid":
      return refusal(400, "invalid-payload", decision.message, { reason: decision.message });
  }
}

/** An execution input Step Functions would refuse is answered without trying. */
export function answerInputTooLarge(inputBytes: number, limitBytes: number): Answer {
  return ignored(
    `issue is too large for a factory run: execution input would be ${inputBytes} bytes, ` +
      `Step Functions accepts ${limitBytes}`,
  );
}

export function answerStartResult(result: StartResult, executionName: string): Answer {
  switch (result.kind) {
    case "started":
    case "duplicate":
      return {
        status: 202,
        outcome: result.kind,
        body: { outcome: result.kind, executionArn: result.executionArn, executionName },
        log: result.kind === "duplicate" ? { duplicateVia: result.via } : undefined,
      };
    case "failed":
      return refusal(
        result.transient ? 503 : 500,
        "start-failed",
        result.transient
          ? "could not start the execution; redeliver this delivery later"
          : "could not start the execution (configuration); see the function's logs",
        { errorName: result.errorName, errorMessage: result.message },
      );
  }
}
