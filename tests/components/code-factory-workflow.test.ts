import type { AslDefinition } from "../../workflow";
import type { PolicyDocument } from "../../components/iam-policies";
import { ACCOUNT_ID, type Harness, installMocks, named, settle } from "./support/pulumi-harness";

const REGION = "eu-west-1";
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:afu9-app-Xy12Ab`;
const TASKS = ["issue-interpreter", "patch-generator", "pr-creator", "ci-feedback"];
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/afu9-runs-0a1b2c3`;
const OWN_ARN = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:wf-dev`;

let harness: Harness;

function args(overrides: Record<string, unknown> = {}) {
  return {
    region: REGION,
    githubAppId: 4242,
    githubApiUrl: "",
    secretArn: SECRET_ARN,
    functions: {
      issueInterpreter: { memoryMb: 256, timeoutSeconds: 30 },
      patchGenerator: { memoryMb: 512, timeoutSeconds: 60 },
      prCreator: { memoryMb: 384, timeoutSeconds: 60 },
      ciFeedback: { memoryMb: 256, timeoutSeconds: 30 },
    },
    logRetentionDays: 14,
    stateMachineLogLevel: "ALL" as const,
    ciPollSeconds: 60,
    ciMaxWaitSeconds: 1800,
    ciWaitMode: "events" as const,
    ciFallbackSeconds: 300,
    runTable: { tableName: "afu9-runs-0a1b2c3", tableArn: TABLE_ARN },
    ai: { provider: "none" as const },
    ...overrides,
  };
}

// Eight archives are traced (@vercel/nft): on a busy 2-core machine this takes over 30 s.
beforeAll(async () => {
  harness = installMocks("dev", REGION);
  const { CodeFactoryWorkflow } = await import("../../components/code-factory-workflow");
  new CodeFactoryWorkflow("wf", args());
  new CodeFactoryWorkflow(
    "ai",
    args({
      ai: { provider: "bedrock", bedrockModelId: "anthropic.claude-3-5-sonnet-20240620-v1:0" },
      githubApiUrl: "https://ghe.example.com/api/v3",
    }),
  );
  new CodeFactoryWorkflow("poll", args({ ciWaitMode: "poll" }));
  await settle();
}, 120_000);

function policyOf(name: string): PolicyDocument {
  return JSON.parse(named(harness, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy);
}

function functionNamed(name: string) {
  return named(harness, "aws:lambda/function:Function", name).inputs;
}

describe("CodeFactoryWorkflow", () => {
  it("registers the component, four functions with their own log groups and roles, and one state machine", () => {
    const mine = harness.resources.filter((r) => r.name.startsWith("wf"));
    const counts: Record<string, number> = {};
    for (const r of mine) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      "afu9:workflow:CodeFactoryWorkflow": 1,
      "aws:cloudwatch/logGroup:LogGroup": 5,
      "aws:iam/role:Role": 5,
      "aws:iam/rolePolicy:RolePolicy": 5,
      "aws:lambda/function:Function": 4,
      "aws:sfn/stateMachine:StateMachine": 1,
    });
  });

  it.each([
    ["issue-interpreter", 256, 30],
    ["patch-generator", 512, 60],
    ["pr-creator", 384, 60],
    ["ci-feedback", 256, 30],
  ])(
    "function %s: nodejs24.x on arm64, %i MB, %i s, JSON logs to its own group, X-Ray",
    (task, memory, timeout) => {
      const fn = functionNamed(`wf-${task}`);
      expect(fn.runtime).toBe("nodejs24.x");
      expect(fn.architectures).toEqual(["arm64"]);
      expect(fn.memorySize).toBe(memory);
      expect(fn.timeout).toBe(timeout);
      expect(fn.handler).toBe("__index.handler");
      expect(fn.tracingConfig).toEqual({ mode: "Active" });
      const logGroup = named(harness, "aws:cloudwatch/logGroup:LogGroup", `wf-${task}-logs`).inputs;
      expect(logGroup).toEqual({ name: `/afu9/dev/wf-${task}`, retentionInDays: 14 });
      expect(fn.loggingConfig).toEqual({
        logGroup: `/afu9/dev/wf-${task}`,
        logFormat: "JSON",
        applicationLogLevel: "INFO",
        systemLogLevel: "WARN",
      });
      expect(fn.role).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/wf-${task}-role-a1b2c3d`);
      expect(fn.vpcConfig).toBeUndefined();
    },
  );

  it("gives each task function the secret ARN and App id, never a secret value, and no AI config when AI is off", () => {
    for (const task of TASKS) {
      const variables = functionNamed(`wf-${task}`).environment.variables;
      expect(variables.AFU9_SECRET_ARN).toBe(SECRET_ARN);
      expect(variables.AFU9_GITHUB_APP_ID).toBe("4242");
      expect(variables.AFU9_GITHUB_API_URL).toBeUndefined();
      expect(variables.AFU9_AI_CONFIG).toBeUndefined();
      expect(variables.AFU9_STATE_MACHINE_ARN).toBeUndefined();
    }
    const ai = functionNamed("ai-patch-generator").environment.variables;
    expect(JSON.parse(ai.AFU9_AI_CONFIG)).toEqual({
      provider: "bedrock",
      bedrockModelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    });
    expect(ai.AFU9_GITHUB_API_URL).toBe("https://ghe.example.com/api/v3");
    // The interpreter learns that the AI strategy exists (to plan prose-only issues) ...
    const interpreter = functionNamed("ai-issue-interpreter").environment.variables;
    expect(JSON.parse(interpreter.AFU9_AI_CONFIG)).toEqual(JSON.parse(ai.AFU9_AI_CONFIG));
    // ... while only the patch generator may invoke the model (see the IAM test).
    expect(functionNamed("ai-pr-creator").environment.variables.AFU9_AI_CONFIG).toBeUndefined();
    expect(functionNamed("ai-ci-feedback").environment.variables.AFU9_AI_CONFIG).toBeUndefined();
  });

  it("lets each function write only its own log group and read only the app secret (and ci-feedback its CI wait)", () => {
    for (const task of TASKS) {
      const ciWait =
        task === "ci-feedback"
          ? [
              {
                Sid: "RegisterCiWait",
                Effect: "Allow",
                Action: ["dynamodb:PutItem"],
                Resource: TABLE_ARN,
              },
              {
                Sid: "ResumeCiWait",
                Effect: "Allow",
                Action: ["states:SendTaskSuccess"],
                Resource: OWN_ARN,
              },
            ]
          : [];
      expect(policyOf(`wf-${task}-policy`).Statement).toEqual([
        {
          Sid: "WriteOwnLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/afu9/dev/wf-${task}:log-stream:*`,
        },
        {
          // X-Ray has no resource-level permissions: "*" is the only accepted Resource.
          Sid: "WriteXRayTraces",
          Effect: "Allow",
          Action: [
            "xray:PutTraceSegments",
            "xray:PutTelemetryRecords",
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
          ],
          Resource: "*",
        },
        {
          Sid: "ReadAppSecret",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue"],
          Resource: SECRET_ARN,
        },
        ...ciWait,
      ]);
    }
    // Poll mode: ci-feedback neither registers nor resumes CI waits.
    expect(JSON.stringify(policyOf("poll-ci-feedback-policy"))).not.toMatch(/dynamodb|states:/);
    expect(
      functionNamed("poll-ci-feedback").environment.variables.AFU9_RUN_TABLE_NAME,
    ).toBeUndefined();
    expect(functionNamed("wf-ci-feedback").environment.variables.AFU9_RUN_TABLE_NAME).toBe(
      "afu9-runs-0a1b2c3",
    );
    for (const task of TASKS) {
      const trust = JSON.parse(
        named(harness, "aws:iam/role:Role", `wf-${task}-role`).inputs.assumeRolePolicy,
      );
      expect(trust.Statement).toEqual([
        {
          Sid: "AssumedByService",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: ["sts:AssumeRole"],
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
        },
      ]);
    }
  });

  it("scopes Bedrock to the configured model, for the patch generator only", () => {
    const statements = policyOf("ai-patch-generator-policy").Statement;
    expect(statements.find((s) => s.Sid === "InvokeConfiguredBedrockModel")).toEqual({
      Sid: "InvokeConfiguredBedrockModel",
      Effect: "Allow",
      Action: ["bedrock:InvokeModel"],
      Resource: [
        `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0`,
      ],
    });
    for (const task of ["issue-interpreter", "pr-creator", "ci-feedback"]) {
      expect(JSON.stringify(policyOf(`ai-${task}-policy`))).not.toContain("bedrock");
    }
    expect(JSON.stringify(policyOf("wf-patch-generator-policy"))).not.toContain("bedrock");
  });

  it("builds a STANDARD state machine with execution logs, X-Ray, and the workflow/ definition over these functions", () => {
    const machine = named(harness, "aws:sfn/stateMachine:StateMachine", "wf-state-machine").inputs;
    expect(machine.name).toBe("wf-dev");
    expect(machine.type).toBe("STANDARD");
    expect(machine.roleArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/wf-state-machine-role-a1b2c3d`);
    expect(machine.tracingConfiguration).toEqual({ enabled: true });
    expect(machine.loggingConfiguration).toEqual({
      level: "ALL",
      includeExecutionData: true,
      logDestination: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/vendedlogs/states/afu9-dev-wf:*`,
    });
    expect(
      named(harness, "aws:cloudwatch/logGroup:LogGroup", "wf-state-machine-logs").inputs,
    ).toEqual({
      name: "/aws/vendedlogs/states/afu9-dev-wf",
      retentionInDays: 14,
    });
    const definition: AslDefinition = JSON.parse(machine.definition);
    for (const state of [
      "AnalyzeIssue",
      "CheckIfActionable",
      "GeneratePatch",
      "ValidatePatch",
      "CreatePullRequest",
      "WaitForCI",
      "ProcessCIFeedback",
      "CheckCIStatus",
      "AutoMerge",
      "PostFeedback",
      "PostTimeout",
      "NotActionable",
      "ReportFailure",
    ]) {
      expect(definition.States).toHaveProperty(state);
    }
    const arn = (task: string) =>
      `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:wf-${task}-a1b2c3d`;
    const resources = Object.entries(definition.States)
      .filter(([, state]) => state.Type === "Task")
      .map(([stateName, state]) => [stateName, (state as { Resource: string }).Resource]);
    expect(Object.fromEntries(resources)).toEqual({
      AcquireIssueLock: "arn:aws:states:::dynamodb:updateItem",
      CoalesceDelivery: "arn:aws:states:::dynamodb:updateItem",
      CoalesceCommand: "arn:aws:states:::dynamodb:updateItem",
      RecordRun: "arn:aws:states:::dynamodb:putItem",
      ReleaseIssueLock: "arn:aws:states:::dynamodb:deleteItem",
      HandOffIssueLock: "arn:aws:states:::dynamodb:updateItem",
      StartFollowUpRun: "arn:aws:states:::states:startExecution",
      ReleaseHandedOffLock: "arn:aws:states:::dynamodb:deleteItem",
      WaitForCI: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      AnalyzeIssue: arn("issue-interpreter"),
      GeneratePatch: arn("patch-generator"),
      ValidatePatch: arn("patch-generator"),
      RepairPatch: arn("patch-generator"),
      CreatePullRequest: arn("pr-creator"),
      DescribeDryRun: arn("pr-creator"),
      ProcessCIFeedback: arn("ci-feedback"),
      AutoMerge: arn("ci-feedback"),
      PostFeedback: arn("ci-feedback"),
      PostTimeout: arn("ci-feedback"),
      ReportFailure: arn("ci-feedback"),
      ReadCommandPullRequest: arn("ci-feedback"),
      AnswerCommand: arn("ci-feedback"),
      StopRun: arn("ci-feedback"),
      AnswerCommandBusy: arn("ci-feedback"),
      RevisePullRequest: arn("patch-generator"),
    });
    const waitForCi = definition.States.WaitForCI as unknown as {
      Parameters: { FunctionName: string };
      TimeoutSeconds: number;
    };
    expect(waitForCi.Parameters.FunctionName).toBe(arn("ci-feedback"));
    expect(waitForCi.TimeoutSeconds).toBe(300);
    expect(definition.States.AcquireIssueLock).toMatchObject({
      Parameters: { TableName: "afu9-runs-0a1b2c3" },
    });
    expect(definition.States.StartFollowUpRun).toMatchObject({
      Parameters: { StateMachineArn: OWN_ARN },
    });
    const poll: AslDefinition = JSON.parse(
      named(harness, "aws:sfn/stateMachine:StateMachine", "poll-state-machine").inputs.definition,
    );
    expect((poll.States.WaitForCI as { Seconds: number }).Seconds).toBe(60);
  });

  it("lets the state machine invoke exactly its four functions, its run table items and its follow-up runs", () => {
    const policy = policyOf("wf-state-machine-policy");
    expect(policy.Statement[0]).toEqual({
      Sid: "InvokeTaskFunctions",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: TASKS.map(
        (task) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:wf-${task}-a1b2c3d`,
      ),
    });
    expect(policy.Statement.slice(1, 3)).toEqual([
      {
        Sid: "RunLockAndRecords",
        Effect: "Allow",
        Action: ["dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        Resource: TABLE_ARN,
      },
      {
        Sid: "StartFollowUpRun",
        Effect: "Allow",
        Action: ["states:StartExecution"],
        Resource: OWN_ARN,
      },
    ]);
    // CloudWatch Logs vended delivery (execution logging) and X-Ray accept only "*".
    expect(policy.Statement.slice(3).map((s) => [s.Sid, s.Resource])).toEqual([
      ["DeliverExecutionLogs", "*"],
      ["WriteXRayTraces", "*"],
    ]);
    const trust = JSON.parse(
      named(harness, "aws:iam/role:Role", "wf-state-machine-role").inputs.assumeRolePolicy,
    );
    expect(trust.Statement).toEqual([
      {
        Sid: "AssumedByService",
        Effect: "Allow",
        Principal: { Service: "states.amazonaws.com" },
        Action: ["sts:AssumeRole"],
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": OWN_ARN },
        },
      },
    ]);
  });
});
