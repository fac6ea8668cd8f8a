// The notifier handler on its two triggers, with recorded posts: routing by the repository's
// notify config, alarms to every destination, unknown destination names reported, delivery
// failures logged and counted without throwing.
import {
  GetExecutionHistoryCommand,
  DescribeExecutionCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { createSfnRunEndReader } from "../../../handlers/notifier/execution-reader";
import type { HttpPost } from "../../../handlers/notifier/deliver";
import { handleNotification, type NotifierDeps } from "../../../handlers/notifier/notify";
import { parseNotifyDestinations } from "../../../handlers/notifier/notify-destinations";
import type { RunEnd } from "../../../contract/run-outcome";
import { CI_FAILED, INPUT, MERGED } from "./fixtures";

const DESTINATIONS = {
  chat: { kind: "slack" as const, url: "https://hooks.slack.com/services/T/B/tokenChat" },
  ops: { kind: "teams" as const, url: "https://example.logic.azure.com/workflows/tokenOps" },
};
const EXECUTION_ARN = "arn:aws:states:eu-west-1:123456789012:execution:afu9-flow:issue-42-d-1";
const ENDED = {
  source: "aws.states",
  "detail-type": "Step Functions Execution Status Change",
  detail: { executionArn: EXECUTION_ARN, status: "SUCCEEDED" },
};

function harness(end: RunEnd, status = 200) {
  const posts: { url: string; body: unknown }[] = [];
  const logs: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const metrics: Record<string, number> = {};
  const post: HttpPost = async (url, init) => {
    posts.push({ url, body: JSON.parse(init.body) });
    return { status, headers: { get: () => null } };
  };
  const log = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    logs.push({ level, message, extra });
  const deps: NotifierDeps = {
    destinations: async () => DESTINATIONS,
    readRunEnd: async () => end,
    post,
    clock: { now: () => 0, sleep: async () => undefined },
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    metrics: { count: (name, _d, v = 1) => void (metrics[name] = (metrics[name] ?? 0) + v) },
    githubWebUrl: "https://github.com",
    policy: { maxAttempts: 2, maxTotalWaitMs: 10, baseDelayMs: 1, requestTimeoutMs: 1000 },
  };
  return { deps, posts, logs, metrics };
}

function withNotify(end: RunEnd, notify: unknown): RunEnd {
  return {
    ...end,
    state: {
      ...end.state,
      analysis: {
        type: "bug",
        priority: "P2",
        actionable: true,
        reasons: [],
        plan: null,
        config: { notify } as never,
        textSha256: "0".repeat(64),
      },
    },
  };
}

describe("handleNotification", () => {
  it("sends an ended run to every destination by default, each in its format", async () => {
    const h = harness(MERGED);
    const report = await handleNotification(ENDED, h.deps);
    expect(report.outcome).toBe("merged");
    expect(h.posts.map((p) => p.url)).toEqual([DESTINATIONS.chat.url, DESTINATIONS.ops.url]);
    expect(h.posts[0].body).toHaveProperty("blocks");
    expect(h.posts[1].body).toHaveProperty("attachments");
    expect(h.metrics).toEqual({ NotificationsDelivered: 2 });
  });

  it("routes per destination and reports names the stack does not define", async () => {
    const h = harness(
      withNotify(CI_FAILED, {
        enabled: true,
        outcomes: [],
        destinations: { ops: ["ci-failed"], pager: ["failed"] },
      }),
    );
    await handleNotification(ENDED, h.deps);
    expect(h.posts.map((p) => p.url)).toEqual([DESTINATIONS.ops.url]);
    expect(h.logs.find((l) => l.level === "warn")?.message).toBe(
      '.github/afu9.yml of acme/web: notify.destinations names "pager", which this stack does not define (defined: chat, ops)',
    );
  });

  it("sends nothing when the repository opted out or the outcome is not listed", async () => {
    const off = harness(withNotify(MERGED, { enabled: false, outcomes: ["merged"] }));
    await handleNotification(ENDED, off.deps);
    const unlisted = harness(withNotify(MERGED, { enabled: true, outcomes: ["ci-failed"] }));
    await handleNotification(ENDED, unlisted.deps);
    expect([off.posts, unlisted.posts]).toEqual([[], []]);
  });

  it("logs and counts a failed delivery, without the URL, and does not throw", async () => {
    const h = harness(MERGED, 500);
    const report = await handleNotification(ENDED, h.deps);
    expect(report.sent.map((s) => [s.destination, s.delivered, s.attempts])).toEqual([
      ["chat", false, 2],
      ["ops", false, 2],
    ]);
    expect(h.metrics).toEqual({ NotificationDeliveryFailures: 2 });
    const warnings = h.logs.filter((l) => l.level === "warn");
    expect(warnings.map((w) => w.message)).toEqual([
      'notification not delivered to destination "chat": HTTP 500',
      'notification not delivered to destination "ops": HTTP 500',
    ]);
    expect(JSON.stringify(h.logs)).not.toMatch(/tokenChat|tokenOps/);
  });

  it("sends every alarm of an SNS delivery to every destination", async () => {
    const h = harness(MERGED);
    const alarm = {
      AlarmName: "afu9-api-5xx",
      NewStateValue: "ALARM",
      OldStateValue: "OK",
      AlarmArn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:afu9-api-5xx",
    };
    const report = await handleNotification(
      { Records: [{ EventSource: "aws:sns", Sns: { Message: JSON.stringify(alarm) } }] },
      h.deps,
    );
    expect(report.trigger).toBe("alarms");
    expect(h.posts).toHaveLength(2);
    expect(JSON.stringify(h.posts[0].body)).toContain("Alarm: afu9-api-5xx");
    expect(JSON.stringify(h.posts[1].body)).toContain("alarmsV2:alarm/afu9-api-5xx");
  });

  it("ignores events that are neither (and status changes that are not an end)", async () => {
    const h = harness(MERGED);
    expect((await handleNotification({ hello: 1 }, h.deps)).trigger).toBe("ignored");
    const running = { ...ENDED, detail: { ...ENDED.detail, status: "RUNNING" } };
    expect((await handleNotification(running, h.deps)).trigger).toBe("ignored");
    expect(h.posts).toEqual([]);
  });
});

describe("createSfnRunEndReader", () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());

  it("reads a succeeded run's output", async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: "SUCCEEDED",
      input: JSON.stringify(INPUT),
      output: JSON.stringify(MERGED.state),
    });
    const end = await createSfnRunEndReader(new SFNClient({ region: "eu-west-1" }))(EXECUTION_ARN);
    expect(end).toEqual({ status: "SUCCEEDED", state: MERGED.state, error: undefined });
  });

  it("reads a failed run's state from ReportFailure's input in the history", async () => {
    const failedState = { ...MERGED.state, error: { Error: "AFU9.BranchNotOwned", Cause: "x" } };
    sfn.on(DescribeExecutionCommand).resolves({
      status: "FAILED",
      input: JSON.stringify(INPUT),
      error: "AFU9.WorkflowFailed",
      cause: "A workflow step failed",
    });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { type: "ExecutionFailed", id: 9, timestamp: new Date() },
        {
          type: "TaskStateEntered",
          id: 5,
          timestamp: new Date(),
          stateEnteredEventDetails: { name: "ReportFailure", input: JSON.stringify(failedState) },
        },
      ],
    });
    const end = await createSfnRunEndReader(new SFNClient({ region: "eu-west-1" }))(EXECUTION_ARN);
    expect(end.state.error?.Error).toBe("AFU9.BranchNotOwned");
    expect(end.error).toEqual({ Error: "AFU9.WorkflowFailed", Cause: "A workflow step failed" });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0].args[0].input).toMatchObject({
      executionArn: EXECUTION_ARN,
      reverseOrder: true,
    });
  });

  it("refuses an execution that is not a factory run", async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: "SUCCEEDED", input: "{}" });
    await expect(
      createSfnRunEndReader(new SFNClient({ region: "eu-west-1" }))(EXECUTION_ARN),
    ).rejects.toThrow(/has no AFU-9 execution input/);
  });
});

describe("parseNotifyDestinations", () => {
  it("accepts named slack/teams destinations and names a bad entry without its URL", () => {
    expect(parseNotifyDestinations("arn:s", DESTINATIONS)).toEqual(DESTINATIONS);
    expect(parseNotifyDestinations("arn:s", undefined)).toBeUndefined();
    expect(() =>
      parseNotifyDestinations("arn:s", { chat: { kind: "discord", url: "https://x/tokenChat" } }),
    ).toThrow(/"chat" has kind "discord", not slack or teams/);
    try {
      parseNotifyDestinations("arn:s", { chat: { kind: "slack", url: "ftp://tokenChat" } });
    } catch (error) {
      expect((error as Error).message).not.toContain("tokenChat");
    }
  });
});
