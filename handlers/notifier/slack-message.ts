// A notification as a Slack incoming-webhook payload (Block Kit), kept inside Slack's documented
// limits (api.slack.com/reference/block-kit/blocks and .../block-elements): a message has at most
// 50 blocks; a header's plain_text at most 150 characters; a section's text at most 3000; a
// section's fields at most 10, each at most 2000; a context block at most 10 elements; a button's
// text at most 75 and its url at most 3000; an actions block at most 25 elements. The top-level
// `text` is the notification fallback (Slack truncates it beyond 40,000 characters; AFU-9 keeps
// it to one line).
import type { NotificationMessage } from "./message";

export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonUrl: 3000,
  actionsElements: 25,
  fallbackText: 40000,
} as const;

/** At most this many failing checks are listed; the rest are counted. */
export const MAX_LISTED_CHECKS = 20;

export interface SlackPayload {
  text: string;
  blocks: Record<string, unknown>[];
}

/** Slack mrkdwn: &, < and > must be escaped (and nothing else), so user text cannot form links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** A link inside mrkdwn: the URL may not contain `|` or `>` (percent-encode them). */
function link(url: string, label: string): string {
  return `<${url.replace(/\|/g, "%7C").replace(/>/g, "%3E")}|${escapeMrkdwn(label)}>`;
}

export function slackPayload(message: NotificationMessage): SlackPayload {
  const blocks: Record<string, unknown>[] = [];
  blocks.push({
    type: "header",
    text: { type: "plain_text", text: truncate(message.title, SLACK_LIMITS.headerText) },
  });
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text: truncate(escapeMrkdwn(message.summary), SLACK_LIMITS.sectionText),
    },
    fields: message.facts.slice(0, SLACK_LIMITS.sectionFields).map((fact) => ({
      type: "mrkdwn",
      text: truncate(
        `*${escapeMrkdwn(fact.title)}*\n${fact.url ? link(fact.url, fact.value) : escapeMrkdwn(fact.value)}`,
        SLACK_LIMITS.fieldText,
      ),
    })),
  });

  if (message.checks.length > 0) {
    const listed = message.checks.slice(0, MAX_LISTED_CHECKS);
    const lines = listed.map((check) => {
      const name = check.url ? link(check.url, check.name) : `*${escapeMrkdwn(check.name)}*`;
      const summary = check.summary ? ` ${escapeMrkdwn(truncate(check.summary, 200))}` : "";
      return `• ${name}: ${escapeMrkdwn(check.conclusion)}${summary}`;
    });
    if (message.checks.length > listed.length) {
      lines.push(`…and ${message.checks.length - listed.length} more`);
    }
    // Lines are packed into as few sections as fit 3000 characters each.
    let current = "*Failing checks*";
    for (const line of lines) {
      const piece = truncate(line, SLACK_LIMITS.sectionText - 20);
      if (current.length + 1 + piece.length > SLACK_LIMITS.sectionText) {
        blocks.push({ type: "section", text: { type: "mrkdwn", text: current } });
        current = piece;
      } else {
        current = `${current}\n${piece}`;
      }
    }
    blocks.push({ type: "section", text: { type: "mrkdwn", text: current } });
  }

  const buttons = message.links
    .filter((l) => l.url.length <= SLACK_LIMITS.buttonUrl)
    .slice(0, SLACK_LIMITS.actionsElements)
    .map((l) => ({
      type: "button",
      text: { type: "plain_text", text: truncate(l.label, SLACK_LIMITS.buttonText) },
      url: l.url,
    }));
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: message.kind === "alarm" ? "AFU-9 alarm" : "AFU-9 CodeFactory" },
    ],
  });

  return {
    text: truncate(`${message.title}: ${message.summary}`, 500),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}
