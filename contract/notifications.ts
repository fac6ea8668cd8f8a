// What the notifier, the repository config parser and the components agree on: the defaults of
// the `notify:` section of `.github/afu9.yml` (the parser fills them in; the notifier applies them
// when a run ended before the config was read), destination names, the events that invoke the
// notifier and the metrics its alarm reads.
import { NOTIFY_OUTCOMES, type ExecutionEndStatus } from "./run-outcome";
import type { NotifyConfig } from "./state";

/** Every stack destination hears every notifiable outcome unless the repository says otherwise. */
export function defaultNotifyConfig(): NotifyConfig {
  return { enabled: true, outcomes: [...NOTIFY_OUTCOMES] };
}

/** Destination names: what `.github/afu9.yml` and the stack config call a channel. */
export const DESTINATION_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** EventBridge detail-type of Step Functions' execution status events. */
export const EXECUTION_STATUS_CHANGE = "Step Functions Execution Status Change";

/** The statuses that end an execution: the notifier's rule matches exactly these. */
export const EXECUTION_END_STATUSES: readonly ExecutionEndStatus[] = [
  "SUCCEEDED",
  "FAILED",
  "TIMED_OUT",
  "ABORTED",
];

/** The state whose input is a failed run's state document, `$.error` included. */
export const REPORT_FAILURE_STATE = "ReportFailure";

/** EMF metric counted once per message that was not delivered (the alarm watches it). */
export const DELIVERY_FAILURE_METRIC = "NotificationDeliveryFailures";
/** EMF metric counted once per delivered message. */
export const DELIVERY_SUCCESS_METRIC = "NotificationsDelivered";
