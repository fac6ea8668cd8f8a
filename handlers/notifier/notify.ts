// The notifier: an execution ended or an alarm changed state, so tell the channels. Runs beside
// the workflow (EventBridge and SNS invoke it asynchronously), never inside it: a slow or broken
// channel cannot delay or fail a run. Delivery failures are logged and counted, never thrown.
import type { NotifyDestination } from "../../contract/environment";
import { DELIVERY_FAILURE_METRIC, DELIVERY_SUCCESS_METRIC } from "../../contract/notifications";
import { runOutcome } from "../../contract/run-outcome";
import type { MetricsSink } from "../runtime/logger";
import type { Clock, Logger } from "../shared/types";
import { deliver, type DeliveryPolicy, type DeliveryResult, type HttpPost } from "./deliver";
import { classifyEvent } from "./events";
import type { RunEndReader } from "./execution-reader";
import { alarmMessage, runMessage, type NotificationMessage } from "./message";
import { destinationsFor } from "./routes";
import { slackPayload } from "./slack-message";
import { teamsPayload } from "./teams-card";

export { DELIVERY_FAILURE_METRIC };

export interface NotifierDeps {
  /** The stack's destinations (from the secret bundle; empty when none are configured). */
  destinations(): Promise<Record<string, NotifyDestination>>;
  readRunEnd: RunEndReader;
  post: HttpPost;
  clock: Clock;
  logger: Logger;
  metrics: MetricsSink;
  /** Web root of GitHub (https://github.com, or the GHES host), no trailing slash. */
  githubWebUrl: string;
  policy?: DeliveryPolicy;
}

export interface SentNotification {
  destination: string;
  kind: NotifyDestination["kind"];
  delivered: boolean;
  attempts: number;
  status: number;
}

export interface NotifyReport {
  trigger: "execution" | "alarms" | "ignored";
  /** The run's outcome (execution triggers). */
  outcome?: string;
  sent: SentNotification[];
}

function payloadFor(kind: NotifyDestination["kind"], message: NotificationMessage): unknown {
  return kind === "slack" ? slackPayload(message) : teamsPayload(message);
}

async function sendToAll(
  message: NotificationMessage,
  names: string[],
  destinations: Record<string, NotifyDestination>,
  deps: NotifierDeps,
  context: Record<string, unknown>,
): Promise<SentNotification[]> {
  return Promise.all(
    names.map(async (name) => {
      const destination = destinations[name];
      let result: DeliveryResult;
      try {
        result = await deliver(
          destination,
          payloadFor(destination.kind, message),
          deps,
          deps.policy,
        );
      } catch (error) {
        // deliver() does not throw; this guards a payload builder bug from failing the others.
        result = {
          delivered: false,
          attempts: 0,
          status: 0,
          waitsMs: [],
          reason: `could not build the message (${error instanceof Error ? error.message : String(error)})`,
        };
      }
      const fields = {
        ...context,
        destination: name,
        destinationKind: destination.kind,
        attempts: result.attempts,
        status: result.status,
        waitsMs: result.waitsMs,
      };
      if (result.delivered) {
        deps.metrics.count(DELIVERY_SUCCESS_METRIC, {});
        deps.logger.info("notification delivered", fields);
      } else {
        deps.metrics.count(DELIVERY_FAILURE_METRIC, {});
        deps.logger.warn(
          `notification not delivered to destination "${name}": ${result.reason ?? "unknown"}`,
          { ...fields, reason: result.reason },
        );
      }
      return {
        destination: name,
        kind: destination.kind,
        delivered: result.delivered,
        attempts: result.attempts,
        status: result.status,
      };
    }),
  );
}

export async function handleNotification(
  event: unknown,
  deps: NotifierDeps,
): Promise<NotifyReport> {
  const trigger = classifyEvent(event);
  if (trigger.kind === "ignored") {
    deps.logger.warn(`notifier: event ignored: ${trigger.why}`);
    return { trigger: "ignored", sent: [] };
  }
  const destinations = await deps.destinations();
  const names = Object.keys(destinations);

  if (trigger.kind === "alarms") {
    if (trigger.unreadable > 0) {
      deps.logger.warn(`notifier: ${trigger.unreadable} SNS message(s) are not CloudWatch alarms`);
    }
    const sent: SentNotification[] = [];
    for (const alarm of trigger.alarms) {
      sent.push(
        ...(await sendToAll(alarmMessage(alarm), names, destinations, deps, {
          alarm: alarm.AlarmName,
          state: alarm.NewStateValue,
        })),
      );
    }
    return { trigger: "alarms", sent };
  }

  // Reading can fail transiently: that error propagates, nothing has been sent yet, and Lambda
  // retries the asynchronous invocation.
  const end = await deps.readRunEnd(trigger.executionArn);
  const summary = runOutcome(end);
  const { repository, issue } = end.state;
  const context = {
    repository: `${repository.owner}/${repository.name}`,
    issue: issue.number,
    outcome: summary.outcome,
  };
  const routing = destinationsFor(
    summary.outcome,
    end.state.analysis?.config?.notify,
    destinations,
  );
  if (routing.unknown.length > 0) {
    deps.logger.warn(
      `.github/afu9.yml of ${context.repository}: notify.destinations names ` +
        `${routing.unknown.map((n) => `"${n}"`).join(", ")}, which this stack does not define ` +
        `(defined: ${names.length > 0 ? names.join(", ") : "none"})`,
      context,
    );
  }
  if (routing.send.length === 0) {
    deps.logger.info("no notification for this outcome", context);
    return { trigger: "execution", outcome: summary.outcome, sent: [] };
  }
  const message = runMessage(end, summary, deps.githubWebUrl);
  const sent = await sendToAll(message, routing.send, destinations, deps, context);
  return { trigger: "execution", outcome: summary.outcome, sent };
}
