// Observability: the alarms (Lambda error rate per function, failed and timed-out executions, API
// 5xx, Secrets Manager access failures, repeated notification delivery failures), one SNS topic as
// their action (optional e-mail subscription; the notifier function is subscribed, so the alarms
// reach the chat destinations too) and one dashboard. Log groups live with what writes to them
// (functions, state machine, API stage) so each exists, with retention, before its writer.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  COMMANDS_REFUSED_METRIC,
  DELIVERIES_METRIC,
  METRICS_NAMESPACE,
} from "../contract/conventions";
import { FUNCTION_NAMES, serviceName } from "../contract/functions";
import { DELIVERY_FAILURE_METRIC, DELIVERY_SUCCESS_METRIC } from "../contract/notifications";
import type { FunctionKey } from "./stack-config";

export interface ObservedFunction {
  name: pulumi.Input<string>;
  logGroupName: pulumi.Input<string>;
}

export interface ObservabilityArgs {
  region: string;
  functions: Record<FunctionKey, ObservedFunction>;
  stateMachineArn: pulumi.Input<string>;
  apiId: pulumi.Input<string>;
  apiStage: pulumi.Input<string>;
  thresholds: {
    lambdaErrorRatePercent: number;
    failedExecutions: number;
    api5xx: number;
    notificationDeliveryFailures: number;
  };
  /** Empty: no subscription. */
  alarmEmail: string;
  /** The notifier function: subscribed to the alarm topic. */
  notifierFunctionArn: pulumi.Input<string>;
}

/** Alarm window: five minutes, one period. */
export const ALARM_PERIOD_SECONDS = 300;

export const SECRETS_FAILURE_METRIC = "SecretsAccessFailures";

/**
 * Matches a failed secret read in a function's JSON log: logged through Powertools with the
 * error's name (AFU9.SecretMissing, AFU9.SecretUnreadable, AFU9.SecretInvalid),
 * or an uncaught one that the Lambda runtime logs with errorMessage.
 */
export const SECRETS_FAILURE_PATTERN =
  '{ ($.level = "ERROR") && (($.error.name = "AFU9.Secret*") || ($.errorMessage = "cannot read secret*") || ($.errorMessage = "secret arn:*")) }';

export class Observability extends pulumi.ComponentResource {
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly dashboardName: pulumi.Output<string>;
  public readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("afu9:observability:Observability", name, {}, opts);
    const keys = Object.keys(args.functions) as FunctionKey[];

    const topic = new aws.sns.Topic(`${name}-alarms`, {}, { parent: this });
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
        { parent: this },
      );
    }
    // SNS invokes the notifier asynchronously; only this topic may.
    const notifierPermission = new aws.lambda.Permission(
      `${name}-alarms-notifier-permission`,
      {
        action: "lambda:InvokeFunction",
        function: args.notifierFunctionArn,
        principal: "sns.amazonaws.com",
        sourceArn: topic.arn,
      },
      { parent: this },
    );
    new aws.sns.TopicSubscription(
      `${name}-alarms-notifier`,
      { topic: topic.arn, protocol: "lambda", endpoint: args.notifierFunctionArn },
      { parent: this, dependsOn: [notifierPermission] },
    );
    const actions = { alarmActions: [topic.arn], okActions: [topic.arn] };

    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    for (const key of keys) {
      const label = FUNCTION_NAMES[key];
      const lambdaMetric = (metricName: string) => ({
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: args.functions[key].name },
        period: ALARM_PERIOD_SECONDS,
        stat: "Sum",
      });
      alarms.push(
        new aws.cloudwatch.MetricAlarm(
          `${name}-${label}-error-rate`,
          {
            alarmDescription: `AFU-9 ${label}: more than ${args.thresholds.lambdaErrorRatePercent} % of invocations failed in 5 minutes`,
            comparisonOperator: "GreaterThanThreshold",
            evaluationPeriods: 1,
            threshold: args.thresholds.lambdaErrorRatePercent,
            treatMissingData: "notBreaching",
            metricQueries: [
              { id: "errors", metric: lambdaMetric("Errors"), returnData: false },
              { id: "invocations", metric: lambdaMetric("Invocations"), returnData: false },
              {
                id: "errorRate",
                expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
                label: `${label} error rate (%)`,
                returnData: true,
              },
            ],
            ...actions,
          },
          { parent: this },
        ),
      );

      new aws.cloudwatch.LogMetricFilter(
        `${name}-${label}-secrets-failures`,
        {
          logGroupName: args.functions[key].logGroupName,
          pattern: SECRETS_FAILURE_PATTERN,
          metricTransformation: {
            namespace: METRICS_NAMESPACE,
            name: SECRETS_FAILURE_METRIC,
            value: "1",
          },
        },
        { parent: this },
      );
    }

    const countAlarm = (
      suffix: string,
      description: string,
      namespace: string,
      metricName: string,
      dimensions: Record<string, pulumi.Input<string>>,
      threshold: number,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          alarmDescription: description,
          namespace,
          metricName,
          dimensions,
          statistic: "Sum",
          period: ALARM_PERIOD_SECONDS,
          evaluationPeriods: 1,
          threshold,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          ...actions,
        },
        { parent: this },
      );

    const machine = { StateMachineArn: args.stateMachineArn };
    alarms.push(
      countAlarm(
        "executions-failed",
        `AFU-9: ${args.thresholds.failedExecutions} or more workflow executions failed in 5 minutes`,
        "AWS/States",
        "ExecutionsFailed",
        machine,
        args.thresholds.failedExecutions,
      ),
      countAlarm(
        "executions-timed-out",
        "AFU-9: a workflow execution timed out",
        "AWS/States",
        "ExecutionsTimedOut",
        machine,
        1,
      ),
      countAlarm(
        "api-5xx",
        `AFU-9 webhook API: ${args.thresholds.api5xx} or more 5xx answers in 5 minutes`,
        "AWS/ApiGateway",
        "5xx",
        { ApiId: args.apiId, Stage: args.apiStage },
        args.thresholds.api5xx,
      ),
      countAlarm(
        "notification-delivery-failures",
        `AFU-9 notifier: ${args.thresholds.notificationDeliveryFailures} or more notifications could not be delivered in 5 minutes (see the notifier's log for the destination and answer)`,
        METRICS_NAMESPACE,
        DELIVERY_FAILURE_METRIC,
        // Powertools adds the service dimension (POWERTOOLS_SERVICE_NAME) to every EMF metric.
        { service: serviceName("notifier") },
        args.thresholds.notificationDeliveryFailures,
      ),
      countAlarm(
        "secrets-access-failures",
        "AFU-9: a function could not read the app secret from Secrets Manager",
        METRICS_NAMESPACE,
        SECRETS_FAILURE_METRIC,
        {},
        1,
      ),
    );

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: `afu9-${pulumi.getStack()}`,
        dashboardBody: pulumi
          .all([
            pulumi.all(keys.map((key) => args.functions[key].name)),
            args.stateMachineArn,
            args.apiId,
            args.apiStage,
            pulumi.all(alarms.map((alarm) => alarm.arn)),
          ])
          .apply(([functionNames, stateMachineArn, apiId, apiStage, alarmArns]) =>
            JSON.stringify(
              dashboardBody({
                region: args.region,
                functionNames,
                stateMachineArn,
                apiId,
                apiStage,
                alarmArns,
              }),
            ),
          ),
      },
      { parent: this },
    );

    this.alarmTopicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.dashboardUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards:name=${dashboard.dashboardName}`;
    this.registerOutputs({
      alarmTopicArn: this.alarmTopicArn,
      dashboardName: this.dashboardName,
      dashboardUrl: this.dashboardUrl,
    });
  }
}

type MetricLine = (string | Record<string, string>)[];

/** The dashboard as data: functions, executions, API, the factory's own counts, alarm states. */
export function dashboardBody(input: {
  region: string;
  functionNames: string[];
  stateMachineArn: string;
  apiId: string;
  apiStage: string;
  alarmArns: string[];
}): { widgets: Record<string, unknown>[] } {
  const widget = (title: string, x: number, y: number, metrics: MetricLine[], stat = "Sum") => ({
    type: "metric",
    x,
    y,
    width: 8,
    height: 6,
    properties: { title, region: input.region, view: "timeSeries", stat, period: 300, metrics },
  });
  const perFunction = (metricName: string, stat: string): MetricLine[] =>
    input.functionNames.map((fn) => [
      "AWS/Lambda",
      metricName,
      "FunctionName",
      fn,
      { stat, label: fn },
    ]);
  const machine = (metricName: string): MetricLine => [
    "AWS/States",
    metricName,
    "StateMachineArn",
    input.stateMachineArn,
    { stat: "Sum", label: metricName },
  ];
  const api = (metricName: string, stat: string, label: string): MetricLine => [
    "AWS/ApiGateway",
    metricName,
    "ApiId",
    input.apiId,
    "Stage",
    input.apiStage,
    { stat, label },
  ];
  let searches = 0;
  /** The factory's own EMF counts: every series of the metric, one line per `dimension` value. */
  const factorySearch = (metricName: string, dimension: string | undefined, label: string) => {
    const schema = [METRICS_NAMESPACE, ...(dimension ? [dimension] : []), "service"].join(",");
    searches += 1;
    return [
      {
        expression: `SEARCH('{${schema}} MetricName="${metricName}"', 'Sum', 300)`,
        id: `search${searches}`,
        label,
      },
    ];
  };
  return {
    widgets: [
      widget("Function invocations", 0, 0, perFunction("Invocations", "Sum")),
      widget("Function errors", 8, 0, perFunction("Errors", "Sum")),
      widget("Function duration (p95, ms)", 16, 0, perFunction("Duration", "p95"), "p95"),
      widget("Executions", 0, 6, [
        machine("ExecutionsStarted"),
        machine("ExecutionsSucceeded"),
        machine("ExecutionsFailed"),
        machine("ExecutionsTimedOut"),
      ]),
      widget("Webhook API requests and errors", 8, 6, [
        api("Count", "Sum", "requests"),
        api("4xx", "Sum", "4xx"),
        api("5xx", "Sum", "5xx"),
      ]),
      widget(
        "Webhook API latency (ms)",
        16,
        6,
        [api("Latency", "p50", "p50"), api("Latency", "p99", "p99")],
        "p50",
      ),
      widget("Webhook deliveries by outcome", 0, 12, [
        factorySearch(DELIVERIES_METRIC, "outcome", "deliveries"),
      ]),
      widget("PR commands refused (author may not command)", 8, 12, [
        factorySearch(COMMANDS_REFUSED_METRIC, "command", "refused"),
      ]),
      widget("Notifications", 16, 12, [
        factorySearch(DELIVERY_SUCCESS_METRIC, undefined, "delivered"),
        factorySearch(DELIVERY_FAILURE_METRIC, undefined, "failed"),
      ]),
      {
        type: "alarm",
        x: 0,
        y: 18,
        width: 24,
        height: 4,
        properties: { title: "Alarms", alarms: input.alarmArns },
      },
    ],
  };
}
