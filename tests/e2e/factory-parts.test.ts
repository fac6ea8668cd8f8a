// The local factory's own parts, without GitHub: the in-process Step Functions behind a real
// SFNClient (StartExecution semantics of a STANDARD state machine), the API Gateway event the
// HTTP server builds, the start configuration and the scaled clock.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeExecutionCommand,
  StartExecutionCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { buildStateMachineDefinition } from "../../workflow";
import { pipelineStates } from "../workflow/fixtures";
import { readStartConfig } from "../../local/factory/config";
import { toApiGatewayEvent } from "../../local/factory/http-server";
import { createLocalStepFunctions } from "../../local/factory/local-step-functions";
import { createScaledClock } from "../../local/factory/scaled-clock";
import { LOCAL_FUNCTION_ARNS, LOCAL_STATE_MACHINE_ARN } from "../../local/factory/task-functions";
import type { TaskFunction } from "../../local/state-machine-runner";
import {
  LOCAL_RUN_TABLE_NAME,
  startLocalRunTable,
  type LocalRunTable,
} from "../../local/factory/local-run-table";

// The run lock's DynamoDB states run on a local table (dynalite).
let table: LocalRunTable;
beforeAll(async () => {
  table = await startLocalRunTable();
});
afterAll(async () => {
  await table?.close();
});

const RUN_LOCK = { tableName: LOCAL_RUN_TABLE_NAME, stateMachineArn: LOCAL_STATE_MACHINE_ARN };

/** An execution input with what the run lock reads (delivery, repository, issue). */
function lockedInput(issue: number): string {
  return JSON.stringify({
    delivery: { id: `d-${issue}-${Math.random()}`, receivedAt: 1_790_000_000, fingerprint: "f" },
    repository: { id: 1, owner: "acme", name: "widgets" },
    issue: { number: issue },
  });
}

describe("local Step Functions behind SFNClient", () => {
  const definition = buildStateMachineDefinition({
    functionArns: LOCAL_FUNCTION_ARNS,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 600,
    runLock: RUN_LOCK,
  });
  /** Interpreter says "not actionable" after `gate` resolves: the run ends at NotActionable. */
  function machine() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const notActionable: TaskFunction = async () => {
      await gate;
      return {
        type: "question",
        priority: "P3",
        actionable: false,
        reasons: [],
        plan: null,
        config: null,
      };
    };
    const unused: TaskFunction = async () => {
      throw new Error("not reached");
    };
    const sfn = createLocalStepFunctions({
      definition,
      stateMachineArn: LOCAL_STATE_MACHINE_ARN,
      serviceIntegrations: table.integrations,
      tasksFor: () => ({
        [LOCAL_FUNCTION_ARNS.issueInterpreter]: notActionable,
        [LOCAL_FUNCTION_ARNS.patchGenerator]: unused,
        [LOCAL_FUNCTION_ARNS.prCreator]: unused,
        [LOCAL_FUNCTION_ARNS.ciFeedback]: unused,
      }),
      waitScale: 0,
    });
    return { sfn, release };
  }
  const sameInput = lockedInput(1);
  const start = (client: SFNClient, name: string, input = sameInput) =>
    client.send(
      new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name, input }),
    );

  test("same name while running with the same input returns the original execution", async () => {
    const { sfn, release } = machine();
    const first = await start(sfn.client, "issue-1-a");
    const again = await start(sfn.client, "issue-1-a");
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(sfn.executions()).toHaveLength(1);
    await expect(start(sfn.client, "issue-1-a", '{"other":true}')).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
    });
    release();
    await sfn.idle();
    expect(sfn.executions()[0].status).toBe("SUCCEEDED");
    expect(pipelineStates(sfn.executions()[0].report?.visits.map((v) => v.name) ?? [])).toEqual([
      "AnalyzeIssue",
      "CheckIfActionable",
      "NotActionable",
    ]);
  });

  test("a name whose execution ended is ExecutionAlreadyExists; describe reports it", async () => {
    const { sfn, release } = machine();
    release();
    const first = await start(sfn.client, "issue-2-b");
    await sfn.idle();
    await expect(start(sfn.client, "issue-2-b")).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
    });
    const described = await sfn.client.send(
      new DescribeExecutionCommand({ executionArn: first.executionArn }),
    );
    expect(described).toMatchObject({ status: "SUCCEEDED", name: "issue-2-b" });
    expect(sfn.executions()).toHaveLength(1);
  });

  test("wrong state machine, bad name and bad input are refused like AWS does", async () => {
    const { sfn } = machine();
    await expect(
      sfn.client.send(
        new StartExecutionCommand({
          stateMachineArn: LOCAL_STATE_MACHINE_ARN.replace("afu9-local", "other"),
          name: "x",
          input: "{}",
        }),
      ),
    ).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });
    await expect(start(sfn.client, "has space")).rejects.toMatchObject({ name: "InvalidName" });
    await expect(start(sfn.client, "ok-name", "{not json")).rejects.toMatchObject({
      name: "InvalidExecutionInput",
    });
    expect(sfn.executions()).toHaveLength(0);
  });
});

test("concurrent executions on pooled runners: each one's tasks and progress stay its own", async () => {
  const definition = buildStateMachineDefinition({
    functionArns: LOCAL_FUNCTION_ARNS,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 600,
    runLock: RUN_LOCK,
  });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const taskCalls: string[] = [];
  const progress: string[] = [];
  const sfn = createLocalStepFunctions({
    definition,
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    serviceIntegrations: table.integrations,
    waitScale: 0,
    tasksFor: (name) => {
      const interpreter: TaskFunction = async (event) => {
        taskCalls.push(`${name} ${event.state.issue.number}`);
        await gate;
        return {
          type: "docs",
          priority: "P3",
          actionable: false,
          reasons: [],
          plan: null,
          config: null,
        };
      };
      const unused: TaskFunction = async () => {
        throw new Error("not reached");
      };
      return {
        [LOCAL_FUNCTION_ARNS.issueInterpreter]: interpreter,
        [LOCAL_FUNCTION_ARNS.patchGenerator]: unused,
        [LOCAL_FUNCTION_ARNS.prCreator]: unused,
        [LOCAL_FUNCTION_ARNS.ciFeedback]: unused,
      };
    },
    onProgress: (execution, update) => {
      if (update.kind === "entered") progress.push(`${execution.name} ${update.visit.name}`);
    },
  });
  for (const n of [1, 2, 3]) {
    await sfn.client.send(
      new StartExecutionCommand({
        stateMachineArn: LOCAL_STATE_MACHINE_ARN,
        name: `issue-${n}-x`,
        input: lockedInput(n),
      }),
    );
  }
  // All three are inside AnalyzeIssue at once before any may finish.
  while (taskCalls.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
  release();
  await sfn.idle();
  expect(taskCalls.sort()).toEqual(["issue-1-x 1", "issue-2-x 2", "issue-3-x 3"]);
  for (const n of [1, 2, 3]) {
    expect(
      progress.filter(
        (p) => p.startsWith(`issue-${n}-x `) && pipelineStates([p.split(" ")[1]]).length > 0,
      ),
    ).toEqual([
      `issue-${n}-x AnalyzeIssue`,
      `issue-${n}-x CheckIfActionable`,
      `issue-${n}-x NotActionable`,
    ]);
  }
  expect(sfn.executions().map((e) => e.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
});

test("beyond maxConcurrentExecutions an execution waits for a free runner, then runs", async () => {
  const definition = buildStateMachineDefinition({
    functionArns: LOCAL_FUNCTION_ARNS,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 600,
    runLock: RUN_LOCK,
  });
  const gates: Array<() => void> = [];
  const unused: TaskFunction = async () => {
    throw new Error("not reached");
  };
  const sfn = createLocalStepFunctions({
    definition,
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    serviceIntegrations: table.integrations,
    waitScale: 0,
    maxConcurrentExecutions: 2,
    tasksFor: () => ({
      [LOCAL_FUNCTION_ARNS.issueInterpreter]: async () => {
        await new Promise<void>((resolve) => gates.push(resolve));
        return {
          type: "docs",
          priority: "P3",
          actionable: false,
          reasons: [],
          plan: null,
          config: null,
        };
      },
      [LOCAL_FUNCTION_ARNS.patchGenerator]: unused,
      [LOCAL_FUNCTION_ARNS.prCreator]: unused,
      [LOCAL_FUNCTION_ARNS.ciFeedback]: unused,
    }),
  });
  // Each run first takes its issue's lock on the local table: wait for the gates, then a little.
  const pause = async () => {
    for (let i = 0; i < 100 && gates.length < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  };
  for (const n of [1, 2, 3]) {
    await sfn.client.send(
      new StartExecutionCommand({
        stateMachineArn: LOCAL_STATE_MACHINE_ARN,
        name: `issue-${n}-y`,
        input: lockedInput(100 + n),
      }),
    );
  }
  await pause();
  expect(gates).toHaveLength(2);
  expect(sfn.executions().map((e) => e.status)).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
  gates.shift()!();
  await pause();
  expect(gates).toHaveLength(2);
  for (const open of gates.splice(0)) open();
  await sfn.idle();
  expect(sfn.executions().map((e) => e.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
});

describe("API Gateway HTTP API event", () => {
  const request = (contentType: string) => ({
    method: "POST",
    url: new URL("http://127.0.0.1:3000/webhook?x=1"),
    headers: { "content-type": contentType, "x-github-event": "issues", host: "127.0.0.1:3000" },
    sourceIp: "127.0.0.1",
  });

  test("JSON bodies arrive as text, other content types base64-encoded", () => {
    const json = toApiGatewayEvent(request("application/json"), Buffer.from('{"a":1}'));
    expect(json).toMatchObject({
      version: "2.0",
      routeKey: "POST /webhook",
      rawPath: "/webhook",
      rawQueryString: "x=1",
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: { stage: "$default", http: { method: "POST", path: "/webhook" } },
    });
    const form = toApiGatewayEvent(
      request("application/octet-stream"),
      Buffer.from([0xff, 0x00, 0x41]),
    );
    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body!, "base64")).toEqual(Buffer.from([0xff, 0x00, 0x41]));
  });
});

describe("npm start configuration", () => {
  test("no credentials: sandbox with compressed time", () => {
    const config = readStartConfig([], {});
    expect(config).toMatchObject({ mode: "sandbox", port: 3000, output: "human", timeScale: 0.05 });
  });

  test("flags win over the environment", () => {
    const config = readStartConfig(["--json", "--port", "0", "--time-scale=0.5"], {
      AFU9_LOCAL_PORT: "4000",
    });
    expect(config).toMatchObject({ port: 0, output: "json", timeScale: 0.5 });
  });

  test("a partial set of GitHub credentials names what is missing", () => {
    expect(() => readStartConfig([], { GITHUB_APP_ID: "12" })).toThrow(
      /GITHUB_APP_PRIVATE_KEY \(or GITHUB_APP_PRIVATE_KEY_FILE\) and GITHUB_WEBHOOK_SECRET/,
    );
  });

  test("real GitHub: the key is read from the file, time is real unless scaled", () => {
    const dir = mkdtempSync(join(tmpdir(), "afu9-start-"));
    const keyFile = join(dir, "key.pem");
    writeFileSync(keyFile, "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n");
    const config = readStartConfig([], {
      GITHUB_APP_ID: "12",
      GITHUB_APP_PRIVATE_KEY_FILE: keyFile,
      GITHUB_WEBHOOK_SECRET: "s3cret",
      GITHUB_API_URL: "https://ghe.example.com/api/v3",
    });
    expect(config).toMatchObject({
      mode: "github",
      timeScale: 1,
      github: { appId: "12", apiUrl: "https://ghe.example.com/api/v3" },
    });
    expect(config !== "help" && config.github?.privateKey).toContain("BEGIN RSA PRIVATE KEY");
  });

  test("bad values are refused with the accepted range", () => {
    expect(() => readStartConfig(["--time-scale", "0"], {})).toThrow(/> 0 and <= 1/);
    expect(() => readStartConfig(["--bogus"], {})).toThrow(/unknown option --bogus/);
    expect(() => readStartConfig(["--ci-poll", "60", "--ci-max-wait", "30"], {})).toThrow(
      />= the CI poll \(60\)/,
    );
  });
});

test("scaled clock: time runs 1/scale faster, sleeps are scale times as long", async () => {
  const clock = createScaledClock(0.01);
  const before = clock.now();
  const started = Date.now();
  await clock.sleep(2000);
  const realMs = Date.now() - started;
  expect(realMs).toBeGreaterThanOrEqual(15);
  expect(realMs).toBeLessThan(1000);
  expect(clock.now() - before).toBeGreaterThanOrEqual(1500);
  expect(() => createScaledClock(0)).toThrow(/> 0/);
});
