// The notifier on the whole program (dev stack) with Slack and Teams destinations configured:
// its function and least-privilege role, the EventBridge rule that invokes it when an execution
// ends, the alarm topic's subscription, the delivery-failure alarm, and the webhook URLs kept in
// the secret alone (no other resource input, no output, no config error message).
import type { PolicyDocument } from "../../components/iam-policies";
import { parseStackConfig } from "../../components/stack-config";
import { ACCOUNT_ID, named, ofType } from "./support/pulumi-harness";
import { type LoadedProgram, loadProgram } from "./support/program";
import {
  rawStackConfig,
  readProjectFile,
  TEST_SECRETS,
  WEBHOOK_URL_NEEDLES,
} from "./support/stack-config-fixture";

const REGION = "eu-west-1";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
let program: LoadedProgram;

// Loading the program traces six archives (@vercel/nft): on a busy 2-core machine, over 30 s.
beforeAll(async () => {
  program = await loadProgram("dev", {
    notifySlackWebhooks: TEST_SECRETS.notifySlackWebhooks,
    notifyTeamsWebhooks: TEST_SECRETS.notifyTeamsWebhooks,
  });
}, 120_000);

const fnArn = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:afu9-notifier-a1b2c3d`;

describe("the notifier", () => {
  it("is a nodejs24.x/arm64 function with the secret's ARN and the GitHub web root, no URL", () => {
    const fn = named(program.harness, "aws:lambda/function:Function", "afu9-notifier").inputs;
    expect([fn.runtime, fn.architectures, fn.memorySize, fn.timeout]).toEqual([
      "nodejs24.x",
      ["arm64"],
      256,
      60,
    ]);
    expect(fn.environment.variables).toEqual({
      AFU9_SECRET_ARN: program.outputs.secretArn,
      AFU9_GITHUB_WEB_URL: "https://github.com",
      POWERTOOLS_SERVICE_NAME: "afu9-notifier",
      POWERTOOLS_METRICS_NAMESPACE: "AFU9",
    });
    expect(fn.loggingConfig.logGroup).toBe("/afu9/dev/afu9-notifier");
  });

  it("has its own role: its log streams, X-Ray, this secret, and this machine's executions only", () => {
    const policy = named(program.harness, "aws:iam/rolePolicy:RolePolicy", "afu9-notifier-policy");
    expect(policy.inputs.role).toBe("afu9-notifier-role-id");
    const { Statement } = JSON.parse(policy.inputs.policy) as PolicyDocument;
    expect(Statement).toEqual([
      {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/afu9/dev/afu9-notifier:log-stream:*`,
      },
      {
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
        Resource: program.outputs.secretArn,
      },
      {
        Sid: "ReadWorkflowExecutions",
        Effect: "Allow",
        Action: ["states:DescribeExecution", "states:GetExecutionHistory"],
        Resource: `arn:aws:states:${REGION}:${ACCOUNT_ID}:execution:afu9-dev:*`,
      },
    ]);
    const role = named(program.harness, "aws:iam/role:Role", "afu9-notifier-role").inputs;
    expect(JSON.parse(role.assumeRolePolicy).Statement[0].Principal).toEqual({
      Service: "lambda.amazonaws.com",
    });
  });

  it("is invoked by an EventBridge rule for this state machine's ended executions only", () => {
    const rule = named(
      program.harness,
      "aws:cloudwatch/eventRule:EventRule",
      "afu9-execution-ended",
    );
    expect(JSON.parse(rule.inputs.eventPattern)).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: {
        stateMachineArn: [program.outputs.stateMachineArn],
        status: ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"],
      },
    });
    const target = named(
      program.harness,
      "aws:cloudwatch/eventTarget:EventTarget",
      "afu9-execution-ended-notifier",
    ).inputs;
    expect(target).toEqual({
      rule: "afu9-execution-ended-a1b2c3d",
      arn: fnArn,
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 4 },
    });
    const ruleArn = `arn:aws:mock:${REGION}:${ACCOUNT_ID}:EventRule/afu9-execution-ended-a1b2c3d`;
    expect(
      named(program.harness, "aws:lambda/permission:Permission", "afu9-notifier-from-events")
        .inputs,
    ).toEqual({
      action: "lambda:InvokeFunction",
      function: "afu9-notifier-a1b2c3d",
      principal: "events.amazonaws.com",
      sourceArn: ruleArn,
    });
  });

  it("is subscribed to the alarm topic, which alone may invoke it through SNS", () => {
    expect(
      named(program.harness, "aws:sns/topicSubscription:TopicSubscription", "afu9-alarms-notifier")
        .inputs,
    ).toEqual({ topic: program.outputs.alarmTopicArn, protocol: "lambda", endpoint: fnArn });
    expect(
      named(program.harness, "aws:lambda/permission:Permission", "afu9-alarms-notifier-permission")
        .inputs,
    ).toEqual({
      action: "lambda:InvokeFunction",
      function: fnArn,
      principal: "sns.amazonaws.com",
      sourceArn: program.outputs.alarmTopicArn,
    });
  });

  it("has an alarm on repeated delivery failures and one on its error rate", () => {
    const alarm = named(
      program.harness,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "afu9-notification-delivery-failures",
    ).inputs;
    expect(alarm).toMatchObject({
      namespace: "AFU9",
      metricName: "NotificationDeliveryFailures",
      dimensions: { service: "afu9-notifier" },
      statistic: "Sum",
      period: 300,
      threshold: 3,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: [program.outputs.alarmTopicArn],
    });
    named(program.harness, "aws:cloudwatch/metricAlarm:MetricAlarm", "afu9-notifier-error-rate");
  });
});

describe("the webhook URLs", () => {
  it("are in the secret bundle, as named destinations", () => {
    const [version] = ofType(program.harness, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretString[SECRET_SIG]).toBeDefined();
    const bundle = JSON.parse(version.inputs.secretString.value);
    expect(bundle.notifyDestinations).toEqual({
      platform: { kind: "slack", url: JSON.parse(TEST_SECRETS.notifySlackWebhooks).platform },
      oncall: { kind: "teams", url: JSON.parse(TEST_SECRETS.notifyTeamsWebhooks).oncall },
    });
  });

  it("appear in no other resource's inputs and in no stack output", () => {
    const [version] = ofType(program.harness, "aws:secretsmanager/secretVersion:SecretVersion");
    const others = JSON.stringify(
      program.harness.resources.filter((r) => r !== version).map((r) => r.inputs),
    );
    const outputs = JSON.stringify(program.outputs);
    for (const needle of WEBHOOK_URL_NEEDLES) {
      expect(others).not.toContain(needle);
      expect(outputs).not.toContain(needle);
    }
  });

  it("have no plaintext default, in Pulumi.yaml or any stack file", () => {
    const project = readProjectFile();
    expect(project.config.notifySlackWebhooks.default).toBe("");
    expect(project.config.notifyTeamsWebhooks.default).toBe("");
    const raw = rawStackConfig("prod");
    expect(raw["afu9:notifySlackWebhooks"]).toBe("");
    expect(raw["afu9:notifyTeamsWebhooks"]).toBe("");
  });

  it("are never shown by a config error, and each bad entry is named", () => {
    const slackUrl = JSON.parse(TEST_SECRETS.notifySlackWebhooks).platform as string;
    let message = "";
    try {
      parseStackConfig(
        rawStackConfig("dev", {
          notifySlackWebhooks: JSON.stringify({
            Platform: slackUrl,
            plain: "http://plain",
            shared: slackUrl,
          }),
          notifyTeamsWebhooks: JSON.stringify({ shared: slackUrl }),
        }),
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('afu9:notifySlackWebhooks: destination name "Platform" must be');
    expect(message).toContain('afu9:notifySlackWebhooks: destination "plain" must be an https://');
    expect(message).toContain('afu9:notifyTeamsWebhooks: destination name "shared" is used twice');
    expect(message).toContain("pulumi config set --secret notifySlackWebhooks");
    for (const needle of WEBHOOK_URL_NEEDLES) expect(message).not.toContain(needle);
    expect(message).not.toContain("http://plain");
  });
});

describe("notifier helpers", () => {
  it("links to github.com, or to the GitHub Enterprise Server host of githubApiUrl", async () => {
    const { githubWebUrl } = await import("../../components/notifier");
    expect(githubWebUrl("")).toBe("https://github.com");
    expect(githubWebUrl("https://api.github.com")).toBe("https://github.com");
    expect(githubWebUrl("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com");
  });

  it("grants execution reads only for a well-formed state machine ARN", async () => {
    const { readExecutionsStatement } = await import("../../components/iam-policies");
    expect(
      readExecutionsStatement("arn:aws-cn:states:cn-north-1:123456789012:stateMachine:m").Resource,
    ).toBe("arn:aws-cn:states:cn-north-1:123456789012:execution:m:*");
    expect(() => readExecutionsStatement("*")).toThrow(/not a state machine ARN/);
  });
});
