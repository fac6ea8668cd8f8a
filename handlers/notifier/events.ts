// The two things that invoke the notifier: EventBridge's "Step Functions Execution Status Change"
// for the factory's state machine, and SNS deliveries from the alarm topic. Events are hints: the
// execution's outcome is re-read from Step Functions, never taken from the event.
import {
  EXECUTION_END_STATUSES as END_STATUSES,
  EXECUTION_STATUS_CHANGE,
} from "../../contract/notifications";
import type { ExecutionEndStatus } from "../../contract/run-outcome";
import type { AlarmNotice } from "./message";

export { EXECUTION_STATUS_CHANGE };

export interface ExecutionStatusChangeEvent {
  source: "aws.states";
  "detail-type": typeof EXECUTION_STATUS_CHANGE;
  detail: { executionArn: string; stateMachineArn?: string; status: string };
}

export interface SnsEvent {
  Records: { EventSource: "aws:sns"; Sns: { Message: string; TopicArn?: string } }[];
}

export type NotifierEvent = ExecutionStatusChangeEvent | SnsEvent;

export type NotifierTrigger =
  | { kind: "execution"; executionArn: string; status: ExecutionEndStatus }
  | { kind: "alarms"; alarms: AlarmNotice[]; unreadable: number }
  | { kind: "ignored"; why: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseAlarm(message: unknown): AlarmNotice | undefined {
  if (typeof message !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(message);
    if (
      isObject(parsed) &&
      typeof parsed.AlarmName === "string" &&
      typeof parsed.NewStateValue === "string"
    ) {
      return parsed as unknown as AlarmNotice;
    }
  } catch {
    // Not an alarm notification (e.g. a test message published by hand).
  }
  return undefined;
}

export function classifyEvent(event: unknown): NotifierTrigger {
  if (!isObject(event)) return { kind: "ignored", why: "the event is not an object" };
  if (Array.isArray(event.Records)) {
    const alarms: AlarmNotice[] = [];
    let unreadable = 0;
    for (const record of event.Records as unknown[]) {
      const sns = isObject(record) && isObject(record.Sns) ? record.Sns : undefined;
      const alarm = parseAlarm(sns?.Message);
      if (alarm) alarms.push(alarm);
      else unreadable += 1;
    }
    return { kind: "alarms", alarms, unreadable };
  }
  if (event["detail-type"] === EXECUTION_STATUS_CHANGE && isObject(event.detail)) {
    const { executionArn, status } = event.detail;
    if (typeof executionArn !== "string") {
      return { kind: "ignored", why: "the status change names no executionArn" };
    }
    if (!(END_STATUSES as readonly unknown[]).includes(status)) {
      return { kind: "ignored", why: `status ${String(status)} is not an end of the run` };
    }
    return { kind: "execution", executionArn, status: status as ExecutionEndStatus };
  }
  return { kind: "ignored", why: "neither an execution status change nor an SNS delivery" };
}
