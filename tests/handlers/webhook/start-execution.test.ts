// Idempotent starts through @aws-sdk/client-sfn, asserted with
// aws-sdk-client-mock. The mock below keeps executions by name the way STANDARD Step Functions
// does (StartExecution API reference): same name + same input while open -> success with the
// original ARN and startDate; different input or closed -> ExecutionAlreadyExists.
import {
  ExecutionAlreadyExists,
  SFNServiceException,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { ExecutionInput } from "../../../contract/state";
import { executionArn, executionName } from "../../../handlers/webhook/execution-name";
import { runFingerprint } from "../../../handlers/webhook/run-fingerprint";
import {
  createHarness,
  deliveryEvent,
  parseBody,
  START_TIME,
  STATE_MACHINE_ARN,
  type Harness,
} from "./helpers";
import { issueTextSha256 } from "../../../handlers/shared/issue-text";

const payload = (issueNumber: number, title = "Crash on start") => ({
  action: "opened",
  issue: {
    number: issueNumber,
    title,
    body: "Steps to reproduce: run it",
    user: { login: "alice" },
    author_association: "MEMBER",
    labels: [],
  },
  repository: {
    id: 99,
    name: "widgets",
    full_name: "acme/widgets",
    owner: { login: "acme" },
    default_branch: "main",
  },
  sender: { login: "alice", id: 5, type: "User" },
  installation: { id: 31 },
});

/** A Step Functions double with STANDARD name semantics, answering through the SFN client mock. */
function emulateStepFunctions(h: Harness) {
  const executions = new Map<string, { input: string; startDate: Date; open: boolean }>();
  h.sfn
    .on(StartExecutionCommand)
    .callsFake((request: { stateMachineArn: string; name: string; input: string }) => {
      const arn = executionArn(request.stateMachineArn, request.name);
      const existing = executions.get(request.name);
      if (existing) {
        if (existing.open && existing.input === request.input) {
          return { executionArn: arn, startDate: existing.startDate };
        }
        throw new ExecutionAlreadyExists({
          message: `Execution Already Exists: '${arn}'`,
          $metadata: { httpStatusCode: 400 },
        });
      }
      executions.set(request.name, {
        input: request.input,
        startDate: new Date(h.clock.now()),
        open: true,
      });
      return { executionArn: arn, startDate: new Date(h.clock.now()) };
    });
  return executions;
}

describe("idempotent start", () => {
  test("StartExecution gets exactly the state machine ARN, the name and the input", async () => {
    const h = createHarness();
    const deliveryId = "8f1e2d3c-1111-11ef-9aaa-000000000001";
    await h.handle(
      await deliveryEvent({ event: "issues", body: JSON.stringify(payload(12)), deliveryId }),
    );
    const calls = h.sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const expected: ExecutionInput = {
      delivery: {
        id: deliveryId,
        event: "issues",
        action: "opened",
        receivedAt: START_TIME / 1000,
      },
      installationId: 31,
      repository: { id: 99, owner: "acme", name: "widgets", defaultBranch: "main" },
      issue: {
        number: 12,
        title: "Crash on start",
        textSha256: issueTextSha256("Crash on start", "Steps to reproduce: run it"),
        user: "alice",
        authorAssociation: "MEMBER",
        labels: [],
      },
      sender: { login: "alice", id: 5 },
      settings: {
        dryRun: false,
        ciPollSeconds: 60,
        ciMaxWaitSeconds: 3600,
        ciNoChecksGraceSeconds: 300,
      },
    };
    expected.delivery.fingerprint = runFingerprint(expected);
    expect(calls[0].args[0].input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: `issue-12-${deliveryId}`,
      input: JSON.stringify(expected),
    });
  });

  test("a redelivery while the run is open (same input): one execution, answered duplicate", async () => {
    const h = createHarness();
    const executions = emulateStepFunctions(h);
    const event = await deliveryEvent({ event: "issues", body: JSON.stringify(payload(12)) });
    const first = parseBody(await h.handle(event));
    h.clock.advance(90_000); // someone clicks "Redeliver" a minute and a half later
    const second = parseBody(await h.handle(event));
    expect(first.outcome).toBe("started");
    expect(second).toEqual({ ...first, outcome: "duplicate" });
    expect(executions.size).toBe(1);
  });

  test("a redelivery after the run closed (ExecutionAlreadyExists): one execution, duplicate", async () => {
    const h = createHarness();
    const executions = emulateStepFunctions(h);
    const event = await deliveryEvent({ event: "issues", body: JSON.stringify(payload(12)) });
    const first = parseBody(await h.handle(event));
    for (const execution of executions.values()) execution.open = false;
    h.clock.advance(3_600_000);
    const second = await h.handle(event);
    expect(second.statusCode).toBe(202);
    expect(parseBody(second)).toEqual({ ...first, outcome: "duplicate" });
    expect(executions.size).toBe(1);
    expect(h.logs[1].extra.duplicateVia).toBe("ExecutionAlreadyExists");
  });

  test("two deliveries for the same issue: two executions with different names", async () => {
    const h = createHarness();
    const executions = emulateStepFunctions(h);
    const body = JSON.stringify(payload(12));
    const a = parseBody(await h.handle(await deliveryEvent({ event: "issues", body })));
    const b = parseBody(await h.handle(await deliveryEvent({ event: "issues", body })));
    expect([a.outcome, b.outcome]).toEqual(["started", "started"]);
    expect(a.executionName).not.toBe(b.executionName);
    expect(executions.size).toBe(2);
  });

  test("the SDK retrying a start whose answer was lost still reads as started", async () => {
    const h = createHarness();
    // The execution was created by the first attempt 300 ms into this very call.
    h.sfn.on(StartExecutionCommand).resolves({
      executionArn: "arn:aws:states:eu-central-1:123456789012:execution:afu9-dev:x",
      startDate: new Date(h.clock.now() + 300),
    });
    const response = await h.handle(
      await deliveryEvent({ event: "issues", body: JSON.stringify(payload(3)) }),
    );
    expect(parseBody(response).outcome).toBe("started");
  });
});

describe("failures to start", () => {
  const failWith = async (name: string, status: number | undefined) => {
    const h = createHarness();
    h.sfn.on(StartExecutionCommand).rejects(
      new SFNServiceException({
        name,
        $fault: status !== undefined && status >= 500 ? "server" : "client",
        message: `${name} happened`,
        $metadata: { httpStatusCode: status },
      }),
    );
    const response = await h.handle(
      await deliveryEvent({ event: "issues", body: JSON.stringify(payload(4)) }),
    );
    return { response, h };
  };

  test.each([
    ["ThrottlingException", 400],
    ["ExecutionLimitExceeded", 400],
    ["InternalServerError", 500],
    ["NetworkingError", undefined],
  ])("transient %s: 503 so the delivery can be redelivered", async (name, status) => {
    const { response, h } = await failWith(name, status);
    expect(response.statusCode).toBe(503);
    expect(parseBody(response).outcome).toBe("start-failed");
    expect(h.logs[0]).toMatchObject({
      level: "error",
      extra: { errorName: name, outcome: "start-failed" },
    });
  });

  test.each([
    ["StateMachineDoesNotExist", 400],
    ["AccessDeniedException", 400],
  ])("configuration fault %s: 500 (not the sender's mistake either)", async (name, status) => {
    const { response } = await failWith(name, status);
    expect(response.statusCode).toBe(500);
  });
});

describe("execution names", () => {
  test("within Step Functions' rules: at most 80 characters of [A-Za-z0-9_-]", () => {
    const ids = [
      "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x".repeat(56),
      "x".repeat(57),
      "has spaces/and:colons",
      "ünïcødé",
      '{}[]<>?*"#%\\^|~`$&,;:/',
      "",
    ];
    for (const id of ids) {
      const name = executionName(id, Number.MAX_SAFE_INTEGER);
      expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
  });

  test("one delivery id, one name; different ids, different names", () => {
    const guid = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    expect(executionName(guid, 5)).toBe(`issue-5-${guid}`);
    expect(executionName(guid, 5)).toBe(executionName(guid, 5));
    // Ids that a character filter would merge stay apart.
    expect(executionName("a/b", 5)).not.toBe(executionName("a:b", 5));
    expect(executionName("x".repeat(57), 5)).not.toBe(executionName(`${"x".repeat(57)}y`, 5));
  });

  test("the duplicate's ARN is the one Step Functions gives the execution", () => {
    expect(executionArn(STATE_MACHINE_ARN, "issue-1-abc")).toBe(
      "arn:aws:states:eu-central-1:123456789012:execution:afu9-dev:issue-1-abc",
    );
  });
});
