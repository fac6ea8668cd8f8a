// The stack's notification destinations from config: two optional secret keys, each a JSON object
// of destination name -> webhook URL, one for Slack incoming webhooks and one for Teams Workflows
// webhooks. The URLs are credentials: no message here ever shows one (or any part of the value).
import { DESTINATION_NAME } from "../contract/notifications";
import type { NotifyDestination, NotifyDestinationKind } from "../contract/environment";

const KEYS: Record<NotifyDestinationKind, string> = {
  slack: "notifySlackWebhooks",
  teams: "notifyTeamsWebhooks",
};

const EXAMPLES: Record<NotifyDestinationKind, string> = {
  slack: "https://hooks.slack.com/services/T000/B000/XXXX",
  teams: "https://prod-00.westeurope.logic.azure.com:443/workflows/...",
};

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Returns the destinations as JSON ("" when none); reports each problem through `fail` with the
 * key, the rule and the fixing command.
 */
export function parseNotifyWebhooks(
  values: Record<NotifyDestinationKind, string>,
  fail: (key: string, rule: string, fix: string) => void,
): string {
  const destinations: Record<string, NotifyDestination> = {};
  for (const kind of ["slack", "teams"] as const) {
    const key = KEYS[kind];
    const text = values[kind];
    if (text === "") continue;
    const fix = `pulumi config set --secret ${key} '{"<name>":"${EXAMPLES[kind]}"}'`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      fail(key, "must be a JSON object of destination name to webhook URL", fix);
      continue;
    }
    for (const [name, url] of Object.entries(parsed as Record<string, unknown>)) {
      if (!DESTINATION_NAME.test(name)) {
        fail(
          key,
          `destination name ${JSON.stringify(name.slice(0, 40))} must be lower-case letters, digits and '-' (at most 40)`,
          fix,
        );
        continue;
      }
      if (name in destinations) {
        fail(
          key,
          `destination name "${name}" is used twice (Slack and Teams names share one space)`,
          fix,
        );
        continue;
      }
      if (!isHttpsUrl(url)) {
        fail(key, `destination "${name}" must be an https:// webhook URL`, fix);
        continue;
      }
      destinations[name] = { kind, url: url as string };
    }
  }
  return Object.keys(destinations).length > 0 ? JSON.stringify(destinations) : "";
}
