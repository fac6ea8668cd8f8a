import { SECRETS_FAILURE_PATTERN } from "../../components/observability";
import { COMMANDS_REFUSED_METRIC, DELIVERIES_METRIC } from "../../contract/conventions";
import { DELIVERY_FAILURE_METRIC, DELIVERY_SUCCESS_METRIC } from "../../contract/notifications";
import { createMetrics } from "../../handlers/runtime/logger";
import { parseSecretBundle } from "../../handlers/runtime/secret-store";
import {
  ACCOUNT_ID,
  type Harness,
  installMocks,
  named,
  ofType,
  promiseOf,
  settle,
} from "./support/pulumi-harness";

const REGION = "eu-west-1";
const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:afu9-flow`;
const KEYS = [
  "webhook",
  "issueInterpreter",
  "patchGenerator",
  "prCreator",
  "ciFeedback",
  "notifier",
] as const;
const LABELS = [
  "webhook",
  "issue-interpreter",
  "patch-generator",
  "pr-creator",
  "ci-feedback",
  "notifier",
];
const NOTIFIER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:fn-notifier`;

let harness: Harness;
let dashboardUrl: string;
let topicArn: string;

beforeAll(async () => {
  harness = installMocks("dev", REGION);
  const { Observability } = await import("../../components/observability");
  const functions = Object.fromEntries(
    KEYS.map((key, i) => [
      key,
      { name: `fn-${LABELS[i]}`, logGroupName: `/afu9/dev/${LABELS[i]}` },
    ]),
  ) as Record<(typeof KEYS)[number], { name: string; logGroupName: string }>;
  const common = {
    region: REGION,
    functions,
    stateMachineArn: MACHINE_ARN,
    apiId: "api123",
    apiStage: "$default",
    thresholds: {
      lambdaErrorRatePercent: 10,
      failedExecutions: 3,
      api5xx: 10,
      notificationDeliveryFailures: 4,
    },
    notifierFunctionArn: NOTIFIER_ARN,
  };
  const observability = new Observability("obs", { ...common, alarmEmail: "" });
  new Observability("mail", { ...common, alarmEmail: "ops@example.com" });
  dashboardUrl = await promiseOf(observability.dashboardUrl);
  topicArn = await promiseOf(observability.alarmTopicArn);
  await settle();
});

const alarm = (name: string) =>
  named(harness, "aws:cloudwatch/metricAlarm:MetricAlarm", name).inputs;

describe("Observability", () => {
  it("alarms on each function's error rate as Errors/Invocations in percent, above the stack's threshold", () => {
    for (const [i, label] of LABELS.entries()) {
      const inputs = alarm(`obs-${label}-error-rate`);
      expect(inputs).toMatchObject({
        comparisonOperator: "GreaterThanThreshold",
        threshold: 10,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        alarmActions: [topicArn],
        okActions: [topicArn],
      });
      const metric = (name: string) => ({
        namespace: "AWS/Lambda",
        metricName: name,
        dimensions: { FunctionName: `fn-${LABELS[i]}` },
        period: 300,
        stat: "Sum",
      });
      expect(inputs.metricQueries).toEqual([
        { id: "errors", metric: metric("Errors"), returnData: false },
        { id: "invocations", metric: metric("Invocations"), returnData: false },
        {
          id: "errorRate",
          expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
          label: `${label} error rate (%)`,
          returnData: true,
        },
      ]);
    }
  });

  it("alarms on failed and timed-out executions, API 5xx and secret read failures", () => {
    expect(alarm("obs-executions-failed")).toMatchObject({
      namespace: "AWS/States",
      metricName: "ExecutionsFailed",
      dimensions: { StateMachineArn: MACHINE_ARN },
      statistic: "Sum",
      period: 300,
      threshold: 3,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: [topicArn],
    });
    expect(alarm("obs-executions-timed-out")).toMatchObject({
      metricName: "ExecutionsTimedOut",
      dimensions: { StateMachineArn: MACHINE_ARN },
      threshold: 1,
    });
    expect(alarm("obs-api-5xx")).toMatchObject({
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensions: { ApiId: "api123", Stage: "$default" },
      threshold: 10,
    });
    expect(alarm("obs-secrets-access-failures")).toMatchObject({
      namespace: "AFU9",
      metricName: "SecretsAccessFailures",
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    expect(
      ofType(harness, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((r) =>
        r.name.startsWith("obs-"),
      ),
    ).toHaveLength(11);
  });

  it("alarms on repeated notification delivery failures (the notifier's EMF metric)", () => {
    expect(alarm("obs-notification-delivery-failures")).toMatchObject({
      namespace: "AFU9",
      metricName: "NotificationDeliveryFailures",
      dimensions: { service: "afu9-notifier" },
      statistic: "Sum",
      period: 300,
      threshold: 4,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topicArn],
    });
  });

  it("feeds the alarm topic to the notifier: a lambda subscription, invocable by this topic only", () => {
    expect(
      named(harness, "aws:sns/topicSubscription:TopicSubscription", "obs-alarms-notifier").inputs,
    ).toEqual({ topic: topicArn, protocol: "lambda", endpoint: NOTIFIER_ARN });
    expect(
      named(harness, "aws:lambda/permission:Permission", "obs-alarms-notifier-permission").inputs,
    ).toEqual({
      action: "lambda:InvokeFunction",
      function: NOTIFIER_ARN,
      principal: "sns.amazonaws.com",
      sourceArn: topicArn,
    });
  });

  it("counts secret read failures from every function's log group", () => {
    const filters = ofType(harness, "aws:cloudwatch/logMetricFilter:LogMetricFilter").filter((r) =>
      r.name.startsWith("obs-"),
    );
    expect(filters.map((f) => f.inputs.logGroupName).sort()).toEqual(
      LABELS.map((l) => `/afu9/dev/${l}`).sort(),
    );
    for (const filter of filters) {
      expect(filter.inputs.pattern).toBe(SECRETS_FAILURE_PATTERN);
      expect(filter.inputs.metricTransformation).toEqual({
        namespace: "AFU9",
        name: "SecretsAccessFailures",
        value: "1",
      });
    }
  });

  it("matches the errors the secret store actually throws (name AFU9.Secret*, message 'secret arn:...')", () => {
    let thrown: { name?: string; message?: string } = {};
    try {
      parseSecretBundle("arn:aws:secretsmanager:eu-west-1:1:secret:x", "not json");
    } catch (error) {
      thrown = error as { name?: string; message?: string };
    }
    expect(thrown.name).toMatch(/^AFU9\.Secret/);
    expect(thrown.message).toMatch(/^secret arn:/);
    expect(SECRETS_FAILURE_PATTERN).toContain('$.error.name = "AFU9.Secret*"');
    expect(SECRETS_FAILURE_PATTERN).toContain('$.errorMessage = "secret arn:*"');
  });

  it("sends alarms to one SNS topic, with an e-mail subscription only when configured", () => {
    expect(
      ofType(harness, "aws:sns/topic:Topic")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["mail-alarms", "obs-alarms"]);
    const subscriptions = ofType(harness, "aws:sns/topicSubscription:TopicSubscription").filter(
      (r) => r.inputs.protocol === "email",
    );
    expect(subscriptions.map((r) => [r.name, r.inputs])).toEqual([
      [
        "mail-alarms-email",
        {
          topic: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:mail-alarms-a1b2c3d`,
          protocol: "email",
          endpoint: "ops@example.com",
        },
      ],
    ]);
  });

  it("builds one dashboard with per-function, execution and API widgets plus the alarm states", () => {
    const dashboard = named(harness, "aws:cloudwatch/dashboard:Dashboard", "obs-dashboard").inputs;
    expect(dashboard.dashboardName).toBe("afu9-dev");
    const body = JSON.parse(dashboard.dashboardBody);
    const titles = body.widgets.map((w: { properties: { title: string } }) => w.properties.title);
    expect(titles).toEqual([
      "Function invocations",
      "Function errors",
      "Function duration (p95, ms)",
      "Executions",
      "Webhook API requests and errors",
      "Webhook API latency (ms)",
      "Webhook deliveries by outcome",
      "PR commands refused (author may not command)",
      "Notifications",
      "Alarms",
    ]);
    const invocations = body.widgets[0].properties.metrics.map((m: string[]) => m[3]);
    expect(invocations).toEqual(LABELS.map((l) => `fn-${l}`));
    expect(body.widgets[3].properties.metrics.map((m: string[]) => m[1])).toEqual([
      "ExecutionsStarted",
      "ExecutionsSucceeded",
      "ExecutionsFailed",
      "ExecutionsTimedOut",
    ]);
    expect(body.widgets[4].properties.metrics.map((m: string[]) => m[1])).toEqual([
      "Count",
      "4xx",
      "5xx",
    ]);
    expect(body.widgets[9].properties.alarms).toHaveLength(11);
    expect(dashboardUrl).toBe(
      `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards:name=afu9-dev`,
    );
  });

  it("searches the factory's own metrics by the dimension sets the handlers write", () => {
    const body = JSON.parse(
      named(harness, "aws:cloudwatch/dashboard:Dashboard", "obs-dashboard").inputs.dashboardBody,
    );
    const searchOf = (title: string): string[] =>
      body.widgets
        .find((w: { properties: { title: string } }) => w.properties.title === title)
        .properties.metrics.map((line: Array<{ expression: string }>) => line[0].expression);
    // What a handler's metrics sink writes (EMF on stdout), and the search that finds it.
    const emitted = (name: string, dimensions: Record<string, string>) => {
      const lines: string[] = [];
      const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      try {
        process.env.POWERTOOLS_SERVICE_NAME = "webhook";
        createMetrics("webhook").count(name, dimensions);
      } finally {
        spy.mockRestore();
        delete process.env.POWERTOOLS_SERVICE_NAME;
      }
      const emf = JSON.parse(lines.join("")) as {
        _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> };
      };
      const [metric] = emf._aws.CloudWatchMetrics;
      const schema = [metric.Namespace, ...[...metric.Dimensions[0]].sort()].join(",");
      return `SEARCH('{${schema}} MetricName="${name}"', 'Sum', 300)`;
    };
    const sorted = (expressions: string[]) =>
      expressions.map((e) =>
        e.replace(/\{([^}]*)\}/, (_m, schema: string) => {
          const [namespace, ...dimensions] = schema.split(",");
          return `{${[namespace, ...dimensions.sort()].join(",")}}`;
        }),
      );
    expect(sorted(searchOf("Webhook deliveries by outcome"))).toEqual([
      emitted(DELIVERIES_METRIC, { outcome: "started" }),
    ]);
    expect(sorted(searchOf("PR commands refused (author may not command)"))).toEqual([
      emitted(COMMANDS_REFUSED_METRIC, { command: "merge" }),
    ]);
    expect(sorted(searchOf("Notifications"))).toEqual([
      emitted(DELIVERY_SUCCESS_METRIC, {}),
      emitted(DELIVERY_FAILURE_METRIC, {}),
    ]);
  });
});
