// Names of the environment variables the Pulumi components set on each function, and the shape
// of the one Secrets Manager secret. Components pass ARNs and plain settings, never secret values.

export const ENV = {
  /** ARN of the Secrets Manager secret holding a SecretBundle (JSON). */
  secretArn: "AFU9_SECRET_ARN",
  /** GitHub App id (plain number as string). */
  githubAppId: "AFU9_GITHUB_APP_ID",
  /** GitHub REST base URL; unset means https://api.github.com (set for GHES or the sandbox). */
  githubApiUrl: "AFU9_GITHUB_API_URL",
  /** GitHub web root for links in notifications (notifier only): https://github.com or GHES. */
  githubWebUrl: "AFU9_GITHUB_WEB_URL",
  /** ARN of the state machine the webhook starts (webhook function only). */
  stateMachineArn: "AFU9_STATE_MACHINE_ARN",
  /** JSON FactorySettings copied into every execution (webhook function only). */
  settings: "AFU9_SETTINGS",
  /** JSON webhook options: { maxBodyBytes, issueActions } (webhook function only). */
  webhookConfig: "AFU9_WEBHOOK_CONFIG",
  /** Name of the run table (DynamoDB): CI wait registrations (webhook, ci-feedback). */
  runTableName: "AFU9_RUN_TABLE_NAME",
  /** JSON AI provider settings (patch generator only); absent means AI is off. */
  aiConfig: "AFU9_AI_CONFIG",
} as const;

/** The JSON value stored in the stack's one Secrets Manager secret. */
export interface SecretBundle {
  githubAppPrivateKey: string;
  githubWebhookSecret: string;
  /** Previous webhook secret during a rotation; deliveries signed with either verify. */
  githubWebhookSecretPrevious?: string;
  /** API key of an OpenAI-compatible endpoint, when that AI provider is enabled. */
  aiApiKey?: string;
  /**
   * Notification destinations by name: Slack incoming-webhook or Teams Workflows webhook URLs.
   * The URLs are credentials (whoever has one can post to the channel): secret bundle only.
   */
  notifyDestinations?: Record<string, NotifyDestination>;
}

export type NotifyDestinationKind = "slack" | "teams";

export interface NotifyDestination {
  kind: NotifyDestinationKind;
  url: string;
}
