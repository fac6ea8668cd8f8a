// The one error vocabulary. Lambda reports a thrown error's `name` as its error type, so the name
// is what crosses into Step Functions (Retry/Catch match on it), into the failure comment on the
// issue and into the operator's logs and alarms. Errors are plain Errors with a name from this list
// (no classes: the closure serializer cannot ship them), a message that says what to do, and
// optional fields.

export const FACTORY_ERRORS = {
  /** GitHub rate-limited the App beyond what one invocation may wait; retried minutes later. */
  GitHubRateLimited: "AFU9.GitHubRateLimited",
  /** The GitHub API could not be reached (connection refused, DNS, TLS, socket timeout). */
  GitHubUnreachable: "AFU9.GitHubUnreachable",
  /** A task ran out of Lambda time and stopped its in-flight requests. */
  TaskDeadlineExceeded: "AFU9.TaskDeadlineExceeded",
  /** The state machine sent an action the function does not handle (definition/code skew). */
  UnknownAction: "AFU9.UnknownAction",
  /** A task needs a slice of the state an earlier state produces, and it is missing. */
  StateIncomplete: "AFU9.StateIncomplete",
  /** The function's environment lacks a setting the component must set. */
  ConfigMissing: "AFU9.ConfigMissing",
  /** The secret in Secrets Manager is not the JSON bundle the functions expect. */
  SecretInvalid: "AFU9.SecretInvalid",
  /** The secret does not exist (ResourceNotFoundException). */
  SecretMissing: "AFU9.SecretMissing",
  /** The secret could not be read (permissions, throttling, network). */
  SecretUnreadable: "AFU9.SecretUnreadable",
  /** The webhook function's settings (environment) are malformed. */
  WebhookConfigInvalid: "AFU9.WebhookConfigInvalid",
  /** The workflow builder got settings it cannot turn into a valid definition. */
  InvalidWorkflowSettings: "AFU9.InvalidWorkflowSettings",
  /** The AI provider settings are malformed. */
  AiConfigInvalid: "AFU9.AiConfigInvalid",

  /** The diff text is malformed. */
  PatchCorrupt: "AFU9.PatchCorrupt",
  /** The diff or edit does not match the files. */
  PatchDoesNotApply: "AFU9.PatchDoesNotApply",
  /** A patch form the factory does not apply (e.g. binary patches). */
  PatchUnsupported: "AFU9.PatchUnsupported",
  /** A path the factory must never write. */
  PatchUnsafe: "AFU9.PatchUnsafe",
  /** The issue text changed after AnalyzeIssue read it: that analysis does not cover it. */
  IssueTextChanged: "AFU9.IssueTextChanged",
  /** Nothing in the issue can be turned into a patch. */
  NoPatchStrategy: "AFU9.NoPatchStrategy",
  /** The model answered without usable edits. */
  AiOutputRejected: "AFU9.AiOutputRejected",
  /** The per-issue token or call budget is spent. */
  AiLimitExceeded: "AFU9.AiLimitExceeded",
  /** The model endpoint failed or answered something that is not a model response. */
  AiProviderFailed: "AFU9.AiProviderFailed",

  /** The branch afu9/issue-<n> points at a commit the factory did not write. */
  BranchNotOwned: "AFU9.BranchNotOwned",
  /** The pull request's branch moved while AFU-9 prepared a commit on top of it. */
  BranchMoved: "AFU9.BranchMoved",
  /** GitHub refused to open the pull request. */
  PullRequestRefused: "AFU9.PullRequestRefused",
  /** The factory's pull request was closed while the run waited for CI. */
  PullRequestClosed: "AFU9.PullRequestClosed",
  /** ProcessCIFeedback returned an outcome CheckCIStatus does not know (version skew). */
  UnknownCIOutcome: "AFU9.UnknownCIOutcome",
  /** The Fail state's error: what the ExecutionsFailed alarm and the console show. */
  WorkflowFailed: "AFU9.WorkflowFailed",
} as const;

export type FactoryErrorKey = keyof typeof FACTORY_ERRORS;
export type FactoryErrorName = (typeof FACTORY_ERRORS)[FactoryErrorKey];

export type FactoryError<F extends object = object> = Error & { name: FactoryErrorName } & F;

/** An Error named `AFU9.<key>` carrying `fields` (e.g. `status`, `path`). */
export function factoryError<F extends object>(
  key: FactoryErrorKey,
  message: string,
  fields?: F,
): FactoryError<F> {
  const error = Object.assign(new Error(message), fields ?? {}) as FactoryError<F>;
  error.name = FACTORY_ERRORS[key];
  return error;
}

/** True for an error from this vocabulary (optionally: with exactly this key's name). */
export function isFactoryError(error: unknown, key?: FactoryErrorKey): error is FactoryError {
  if (!(error instanceof Error)) return false;
  // No module-level Set: the closure serializer ships a Set as an empty object.
  if (key !== undefined) return error.name === FACTORY_ERRORS[key];
  return (Object.values(FACTORY_ERRORS) as string[]).includes(error.name);
}
