import type { PolicyDocument } from "../../components/iam-policies";
import {
  ACCOUNT_ID,
  type Harness,
  installMocks,
  named,
  promiseOf,
  settle,
} from "./support/pulumi-harness";

const REGION = "eu-central-1";
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:afu9-app-Xy12Ab`;
const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:afu9-flow`;

let harness: Harness;
let webhookUrl: string;

beforeAll(async () => {
  harness = installMocks("prod", REGION);
  const { WebhookIngress } = await import("../../components/webhook-ingress");
  const ingress = new WebhookIngress("in", {
    stateMachineArn: MACHINE_ARN,
    secretArn: SECRET_ARN,
    githubAppId: 12345,
    githubApiUrl: "",
    factory: {
      dryRun: true,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 3600,
      ciNoChecksGraceSeconds: 300,
    },
    maxBodyBytes: 5242880,
    issueActions: ["opened", "labeled"],
    throttlingRateLimit: 20,
    throttlingBurstLimit: 40,
    sizing: { memoryMb: 512, timeoutSeconds: 30 },
    logRetentionDays: 30,
  });
  webhookUrl = await promiseOf(ingress.webhookUrl);
  await settle();
});

describe("WebhookIngress", () => {
  it("registers exactly an HTTP API, integration, route, stage, permission, the function and its logs", () => {
    expect(harness.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "afu9:ingress:WebhookIngress in",
        "aws:apigatewayv2/api:Api in-api",
        "aws:apigatewayv2/integration:Integration in-webhook-integration",
        "aws:apigatewayv2/route:Route in-webhook-route",
        "aws:apigatewayv2/stage:Stage in-stage",
        "aws:cloudwatch/logGroup:LogGroup in-api-access-logs",
        "aws:cloudwatch/logGroup:LogGroup in-webhook-logs",
        "aws:iam/role:Role in-webhook-role",
        "aws:iam/rolePolicy:RolePolicy in-webhook-policy",
        "aws:lambda/function:Function in-webhook",
        "aws:lambda/permission:Permission in-webhook-invoke",
      ].sort(),
    );
  });

  it("routes POST /webhook to the function through a 2.0 proxy integration", () => {
    expect(named(harness, "aws:apigatewayv2/api:Api", "in-api").inputs.protocolType).toBe("HTTP");
    const integration = named(
      harness,
      "aws:apigatewayv2/integration:Integration",
      "in-webhook-integration",
    ).inputs;
    expect(integration).toMatchObject({
      apiId: "in-api-id",
      integrationType: "AWS_PROXY",
      integrationUri: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:in-webhook-a1b2c3d`,
      payloadFormatVersion: "2.0",
      timeoutMilliseconds: 30000,
    });
    const route = named(harness, "aws:apigatewayv2/route:Route", "in-webhook-route").inputs;
    expect(route).toMatchObject({
      apiId: "in-api-id",
      routeKey: "POST /webhook",
      target: "integrations/in-webhook-integration-id",
    });
    expect(webhookUrl).toBe(`https://in-api-id.execute-api.${REGION}.amazonaws.com/webhook`);
  });

  it("logs every request to an access log group with the stack's retention, and throttles the stage", () => {
    const stage = named(harness, "aws:apigatewayv2/stage:Stage", "in-stage").inputs;
    expect(stage.name).toBe("$default");
    expect(stage.autoDeploy).toBe(true);
    expect(stage.defaultRouteSettings).toMatchObject({
      throttlingRateLimit: 20,
      throttlingBurstLimit: 40,
    });
    expect(stage.accessLogSettings.destinationArn).toBe(
      `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/afu9/prod/in-api-access`,
    );
    const format = JSON.parse(stage.accessLogSettings.format);
    expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(stage.accessLogSettings.format).not.toMatch(/header|body/i);
    expect(
      named(harness, "aws:cloudwatch/logGroup:LogGroup", "in-api-access-logs").inputs
        .retentionInDays,
    ).toBe(30);
  });

  it("allows only this API's POST /webhook route to invoke the function", () => {
    expect(named(harness, "aws:lambda/permission:Permission", "in-webhook-invoke").inputs).toEqual({
      action: "lambda:InvokeFunction",
      function: "in-webhook-a1b2c3d",
      principal: "apigateway.amazonaws.com",
      sourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:in-api-id/*/POST/webhook`,
    });
  });

  it("runs the webhook on nodejs24.x/arm64 with the ARNs and settings in its environment (fail closed)", () => {
    const fn = named(harness, "aws:lambda/function:Function", "in-webhook").inputs;
    expect(fn).toMatchObject({
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      memorySize: 512,
      timeout: 30,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logGroup: "/afu9/prod/in-webhook", logFormat: "JSON" },
    });
    const variables = fn.environment.variables;
    expect(variables.AFU9_SECRET_ARN).toBe(SECRET_ARN);
    expect(variables.AFU9_STATE_MACHINE_ARN).toBe(MACHINE_ARN);
    // `/afu9` commands: the App id for the permission read (the key comes from the same secret).
    expect(variables.AFU9_GITHUB_APP_ID).toBe("12345");
    expect(variables.AFU9_GITHUB_API_URL).toBeUndefined();
    expect(JSON.parse(variables.AFU9_SETTINGS)).toEqual({
      dryRun: true,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 3600,
      ciNoChecksGraceSeconds: 300,
    });
    expect(JSON.parse(variables.AFU9_WEBHOOK_CONFIG)).toEqual({
      maxBodyBytes: 5242880,
      issueActions: ["opened", "labeled"],
    });
  });

  it("lets the webhook start only this state machine and read only the app secret", () => {
    const policy: PolicyDocument = JSON.parse(
      named(harness, "aws:iam/rolePolicy:RolePolicy", "in-webhook-policy").inputs.policy,
    );
    expect(policy.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      [
        "WriteOwnLogGroup",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/afu9/prod/in-webhook:log-stream:*`,
      ],
      // X-Ray has no resource-level permissions.
      [
        "WriteXRayTraces",
        [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
        ],
        "*",
      ],
      ["ReadAppSecret", ["secretsmanager:GetSecretValue"], SECRET_ARN],
      ["StartWorkflow", ["states:StartExecution"], MACHINE_ARN],
    ]);
  });
});
