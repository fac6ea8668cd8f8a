// The secret bundle's `notifyDestinations`: name -> { kind, url }, read by the notifier alone (the
// other functions' secret reader ignores the field, so a bad entry can never stop a run). Errors
// name the destination and never show its URL (a credential).
import { DESTINATION_NAME } from "../../contract/notifications";
import type { NotifyDestination } from "../../contract/environment";

function invalid(secretArn: string, what: string): Error {
  return Object.assign(
    new Error(
      `secret ${secretArn}: notifyDestinations ${what}: set them with \`pulumi config set ` +
        `--secret notifySlackWebhooks '{"<name>":"https://hooks.slack.com/..."}'\` (or ` +
        `notifyTeamsWebhooks) and \`pulumi up\``,
    ),
    { code: "SecretInvalid" },
  );
}

/** undefined when the bundle has none; throws SecretInvalid naming the bad entry. */
export function parseNotifyDestinations(
  secretArn: string,
  value: unknown,
): Record<string, NotifyDestination> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalid(secretArn, "must be an object of name -> { kind, url }");
  }
  const destinations: Record<string, NotifyDestination> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!DESTINATION_NAME.test(name)) {
      throw invalid(secretArn, `has a bad name "${name.slice(0, 40)}" (a-z, 0-9, '-')`);
    }
    const { kind, url } = (entry ?? {}) as { kind?: unknown; url?: unknown };
    if (kind !== "slack" && kind !== "teams") {
      throw invalid(secretArn, `"${name}" has kind ${JSON.stringify(kind)}, not slack or teams`);
    }
    if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url)) {
      throw invalid(secretArn, `"${name}" has no http(s) URL`);
    }
    destinations[name] = { kind, url };
  }
  return destinations;
}
