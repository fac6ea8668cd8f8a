// A notification as a Teams "Workflows" webhook payload: a message with one Adaptive Card
// attachment (schema version 1.5, the highest Teams renders; adaptivecards.io/explorer). Teams
// accepts webhook messages up to 28 KB (Microsoft Learn, "Create an Incoming Webhook": message
// size limit), so failing checks are capped and long texts cut.
import type { NotificationMessage } from "./message";

export const TEAMS_CARD_VERSION = "1.5";
/** Teams' webhook message size limit, bytes. */
export const TEAMS_MAX_MESSAGE_BYTES = 28 * 1024;
/** At most this many failing checks are listed; the rest are counted. */
export const MAX_CARD_CHECKS = 20;

export interface TeamsPayload {
  type: "message";
  attachments: {
    contentType: "application/vnd.microsoft.card.adaptive";
    contentUrl: null;
    content: Record<string, unknown>;
  }[];
}

/**
 * TextBlocks render a Markdown subset: backslash-escape its syntax so user text (issue titles,
 * check summaries) cannot form links or emphasis.
 */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>~])/g, "\\$1")
    .replace(
      /^(\s*)([-+]|\d+\.)(\s)/gm,
      (_m, indent: string, marker: string, space: string) =>
        `${indent}${marker.replace(/([-+.])$/, "\\$1")}${space}`,
    );
}

/** A Markdown link target may not contain spaces or parentheses. */
function linkTarget(url: string): string {
  return url.replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29");
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

const COLORS = { ok: "Good", attention: "Warning", alert: "Attention" } as const;

export function teamsPayload(message: NotificationMessage): TeamsPayload {
  const body: Record<string, unknown>[] = [
    {
      type: "TextBlock",
      text: escapeCardMarkdown(truncate(message.title, 200)),
      size: "Large",
      weight: "Bolder",
      color: COLORS[message.tone],
      wrap: true,
    },
    { type: "TextBlock", text: escapeCardMarkdown(truncate(message.summary, 1000)), wrap: true },
    {
      type: "FactSet",
      facts: message.facts.map((fact) => ({
        title: fact.title,
        value: fact.url
          ? `[${escapeCardMarkdown(truncate(fact.value, 200))}](${linkTarget(fact.url)})`
          : escapeCardMarkdown(truncate(fact.value, 200)),
      })),
    },
  ];
  if (message.checks.length > 0) {
    const listed = message.checks.slice(0, MAX_CARD_CHECKS);
    body.push({ type: "TextBlock", text: "Failing checks", weight: "Bolder", wrap: true });
    body.push({
      type: "FactSet",
      facts: listed.map((check) => {
        const conclusion = escapeCardMarkdown(check.conclusion);
        const summary = check.summary ? ` ${escapeCardMarkdown(truncate(check.summary, 200))}` : "";
        return {
          title: escapeCardMarkdown(truncate(check.name, 100)),
          value: check.url
            ? `[${conclusion}](${linkTarget(check.url)})${summary}`
            : `${conclusion}${summary}`,
        };
      }),
    });
    if (message.checks.length > listed.length) {
      body.push({
        type: "TextBlock",
        text: `…and ${message.checks.length - listed.length} more`,
        isSubtle: true,
        wrap: true,
      });
    }
  }
  const card: Record<string, unknown> = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: TEAMS_CARD_VERSION,
    body,
  };
  if (message.links.length > 0) {
    card.actions = message.links.map((l) => ({
      type: "Action.OpenUrl",
      title: l.label,
      url: l.url,
    }));
  }
  return {
    type: "message",
    attachments: [
      { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card },
    ],
  };
}
