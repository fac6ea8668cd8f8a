// Both message formats against their documented rules: the Teams card through the Adaptive Cards
// reference parser (the `adaptivecards` package: unknown elements are reported, properties it does
// not know or values it rejects do not survive its round trip), the Slack payload against Block
// Kit's limits and @slack/types' block types. Extreme inputs (hundreds of failing checks, very long
// titles and summaries) must still fit.
import type { KnownBlock } from "@slack/types";
import { runOutcome } from "../../../contract/run-outcome";
import { alarmMessage, runMessage } from "../../../handlers/notifier/message";
import {
  SLACK_LIMITS,
  slackPayload,
  type SlackPayload,
} from "../../../handlers/notifier/slack-message";
import {
  TEAMS_CARD_VERSION,
  TEAMS_MAX_MESSAGE_BYTES,
  teamsPayload,
} from "../../../handlers/notifier/teams-card";
import { CI_FAILED, INPUT, MERGED, failures, succeeded } from "./fixtures";

// The package's ESM build imports extensionless paths; its UMD build loads in Node.
const AC = require("adaptivecards/dist/adaptivecards.js") as typeof import("adaptivecards");

const WEB = "https://github.com";

const HUGE = succeeded({
  issue: { ...INPUT.issue, title: "T".repeat(5000) },
  ci: {
    outcome: "failure",
    headSha: "abc",
    headIsPatchCommit: true,
    failures: failures(500, 5000),
    pendingChecks: [],
  },
});

const MESSAGES = {
  merged: runMessage(MERGED, runOutcome(MERGED), WEB),
  ciFailed: runMessage(CI_FAILED, runOutcome(CI_FAILED), WEB),
  huge: runMessage(HUGE, runOutcome(HUGE), WEB),
  alarm: alarmMessage({
    AlarmName: "afu9-executions-failed",
    AlarmDescription: "AFU-9: 1 or more workflow executions failed in 5 minutes",
    NewStateValue: "ALARM",
    OldStateValue: "OK",
    NewStateReason: "Threshold Crossed",
    StateChangeTime: "2026-01-01T00:00:00.000+0000",
    Region: "EU (Frankfurt)",
    AlarmArn: "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:afu9-executions-failed",
  }),
};

function validateCard(content: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const card = new AC.AdaptiveCard();
  // Version 1.5: an element or property introduced later is reported.
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(content, context);
  for (let i = 0; i < context.eventCount; i += 1) problems.push(context.getEventAt(i).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  // What the parser does not understand is dropped or rewritten by its serializer.
  if (JSON.stringify(card.toJSON()) !== JSON.stringify(content)) {
    problems.push(
      `round trip differs:\n${JSON.stringify(card.toJSON())}\n${JSON.stringify(content)}`,
    );
  }
  return problems;
}

describe("the Teams Adaptive Card", () => {
  it.each(Object.keys(MESSAGES))("%s: valid for the Adaptive Cards parser, version 1.5", (key) => {
    const payload = teamsPayload(MESSAGES[key as keyof typeof MESSAGES]);
    expect(payload.type).toBe("message");
    expect(payload.attachments).toHaveLength(1);
    const [attachment] = payload.attachments;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment.content.version).toBe(TEAMS_CARD_VERSION);
    expect(validateCard(attachment.content)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(TEAMS_MAX_MESSAGE_BYTES);
  });

  it("the validation catches what Teams would not render", () => {
    expect(
      validateCard({ type: "AdaptiveCard", version: "1.5", body: [{ type: "Bogus" }] }),
    ).not.toEqual([]);
    expect(
      validateCard({
        type: "AdaptiveCard",
        version: "1.5",
        body: [{ type: "TextBlock", text: "x", size: "Enormous" }],
      }),
    ).not.toEqual([]);
  });

  it("links the repository, issue and PR; escapes Markdown in user text", () => {
    const text = JSON.stringify(teamsPayload(MESSAGES.merged));
    expect(text).toContain("(https://github.com/acme/web/issues/42)");
    expect(text).toContain("(https://github.com/acme/web/pull/43)");
    expect(text).toContain("(https://github.com/acme/web)");
    expect(text).not.toContain("[click](https://evil.example)");
    expect(text).toContain("\\\\[click\\\\]");
  });

  it("lists the failing checks, at most 20, and counts the rest", () => {
    const small = JSON.stringify(teamsPayload(MESSAGES.ciFailed));
    expect(small).toContain("check-0");
    expect(small).toContain("check-1");
    const huge = JSON.stringify(teamsPayload(MESSAGES.huge));
    expect(huge).toContain("check-19");
    expect(huge).not.toContain("check-20 ");
    expect(huge).toContain("and 480 more");
  });
});

/** Every Block Kit limit the payload is subject to, as documented by Slack. */
function blockKitProblems(payload: SlackPayload): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => ok || problems.push(what);
  const length = (text: string) => [...text].length;
  check(payload.blocks.length <= SLACK_LIMITS.blocks, `${payload.blocks.length} blocks`);
  check(length(payload.text) <= SLACK_LIMITS.fallbackText, "fallback text too long");
  for (const block of payload.blocks as unknown as KnownBlock[]) {
    switch (block.type) {
      case "header":
        check(block.text.type === "plain_text", "header text is not plain_text");
        check(length(block.text.text) <= SLACK_LIMITS.headerText, "header text too long");
        break;
      case "section":
        if (block.text)
          check(length(block.text.text) <= SLACK_LIMITS.sectionText, "section text too long");
        check((block.fields ?? []).length <= SLACK_LIMITS.sectionFields, "too many fields");
        for (const field of block.fields ?? []) {
          check(length(field.text) <= SLACK_LIMITS.fieldText, "field text too long");
        }
        check(Boolean(block.text || block.fields), "section without text or fields");
        break;
      case "actions":
        check(block.elements.length <= SLACK_LIMITS.actionsElements, "too many actions");
        for (const element of block.elements) {
          if (element.type !== "button") {
            problems.push(`unexpected ${element.type}`);
            continue;
          }
          check(length(element.text.text) <= SLACK_LIMITS.buttonText, "button text too long");
          check(length(element.url ?? "") <= SLACK_LIMITS.buttonUrl, "button url too long");
        }
        break;
      case "context":
        check(block.elements.length <= SLACK_LIMITS.contextElements, "too many context elements");
        break;
      default:
        problems.push(`unexpected block type ${block.type}`);
    }
  }
  return problems;
}

describe("the Slack Block Kit message", () => {
  it.each(Object.keys(MESSAGES))("%s: within every Block Kit limit", (key) => {
    const payload = slackPayload(MESSAGES[key as keyof typeof MESSAGES]);
    expect(blockKitProblems(payload)).toEqual([]);
    expect(payload.text.length).toBeGreaterThan(0);
  });

  it("the limit check catches an oversized message", () => {
    const payload = slackPayload(MESSAGES.merged);
    const tooMany = { ...payload, blocks: Array.from({ length: 51 }, () => payload.blocks[1]) };
    expect(blockKitProblems(tooMany)).toContain("51 blocks");
    const long = {
      ...payload,
      blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }],
    };
    expect(blockKitProblems(long)).toEqual(["header text too long"]);
  });

  it("links the repository, issue and PR; escapes &, < and > in user text", () => {
    const text = JSON.stringify(slackPayload(MESSAGES.merged));
    expect(text).toContain(
      "<https://github.com/acme/web/issues/42|#42 Fix the *greeting* &lt;!channel&gt;",
    );
    expect(text).toContain("<https://github.com/acme/web/pull/43|#43>");
    expect(text).toContain("<https://github.com/acme/web|acme/web>");
    expect(text).not.toContain("<!channel>");
  });

  it("lists the failing checks, packed into sections, at most 20", () => {
    const payload = slackPayload(MESSAGES.huge);
    const text = JSON.stringify(payload);
    expect(text).toContain("Failing checks");
    expect(text).toContain("check-19 &lt;b&gt;");
    expect(text).not.toContain("check-20 ");
    expect(text).toContain("and 480 more");
  });
});
