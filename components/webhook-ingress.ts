// WebhookIngress: the public door. API Gateway HTTP API with one route, `POST /webhook`, a stage
// with access logs and throttling, and the webhook function, which may start only this state
// machine and read only the app secret. It fails closed: the secret and state machine ARNs come
// through its environment; the handler refuses to run without them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createWebhookHandler } from "../handlers/webhook/lambda";
import { ENV } from "../contract/environment";
import type { FactorySettings } from "../contract/state";
import {
  readSecretStatement,
  resumeCiWaitStatement,
  runTableStatement,
  startExecutionStatement,
} from "./iam-policies";
import {
  createLeastPrivilegeFunction,
  type FunctionNetworkPlacement,
} from "./least-privilege-function";
import type { FunctionSizing } from "./stack-config";

export const WEBHOOK_ROUTE_KEY = "POST /webhook";

export interface WebhookIngressArgs {
  stateMachineArn: pulumi.Input<string>;
  secretArn: pulumi.Input<string>;
  /** Copied into every execution the webhook starts. */
  factory: FactorySettings;
  maxBodyBytes: number;
  issueActions: string[];
  throttlingRateLimit: number;
  throttlingBurstLimit: number;
  sizing: FunctionSizing;
  logRetentionDays: number;
  /** GitHub App id and API URL: the webhook reads PRs and permissions for `/afu9` commands. */
  githubAppId: number;
  githubApiUrl: string;
  /** events mode: CI events wake waiting runs through their registrations in this table. */
  ciWaitTable?: { tableName: pulumi.Input<string>; tableArn: pulumi.Input<string> };
  network?: FunctionNetworkPlacement;
}

/** One JSON object per request; no headers and no body (they may carry signatures or secrets). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
});

export class WebhookIngress extends pulumi.ComponentResource {
  public readonly webhookUrl: pulumi.Output<string>;
  public readonly apiId: pulumi.Output<string>;
  public readonly stageName: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly accessLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: WebhookIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("afu9:ingress:WebhookIngress", name, {}, opts);

    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const ciWait = args.ciWaitTable;
    const webhook = createLeastPrivilegeFunction(
      `${name}-webhook`,
      {
        key: "webhook",
        callbackFactory: createWebhookHandler,
        sizing: args.sizing,
        logRetentionDays: args.logRetentionDays,
        environment: {
          [ENV.secretArn]: args.secretArn,
          [ENV.stateMachineArn]: args.stateMachineArn,
          [ENV.githubAppId]: String(args.githubAppId),
          ...(args.githubApiUrl ? { [ENV.githubApiUrl]: args.githubApiUrl } : {}),
          [ENV.settings]: JSON.stringify(args.factory),
          [ENV.webhookConfig]: JSON.stringify({
            maxBodyBytes: args.maxBodyBytes,
            issueActions: args.issueActions,
          }),
          ...(ciWait ? { [ENV.runTableName]: ciWait.tableName } : {}),
        },
        statements: [
          pulumi.output(args.secretArn).apply(readSecretStatement),
          pulumi.output(args.stateMachineArn).apply(startExecutionStatement),
          ...(ciWait
            ? [
                pulumi
                  .output(ciWait.tableArn)
                  .apply((arn) => runTableStatement("FindCiWait", arn, ["dynamodb:GetItem"])),
                pulumi.output(args.stateMachineArn).apply(resumeCiWaitStatement),
              ]
            : []),
        ],
        accountId: account,
        network: args.network,
      },
      this,
    );

    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-api-access-logs`,
      {
        name: `/afu9/${pulumi.getStack()}/${name}-api-access`,
        retentionInDays: args.logRetentionDays,
      },
      { parent: this },
    );

    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      {
        protocolType: "HTTP",
        description: "AFU-9 GitHub App webhook (POST /webhook)",
      },
      { parent: this },
    );

    const integration = new aws.apigatewayv2.Integration(
      `${name}-webhook-integration`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: webhook.fn.arn,
        integrationMethod: "POST",
        payloadFormatVersion: "2.0",
        // HTTP APIs allow at most 30 s; the function's own timeout is the tighter bound.
        timeoutMilliseconds: Math.min(30, args.sizing.timeoutSeconds) * 1000,
      },
      { parent: this },
    );

    const route = new aws.apigatewayv2.Route(
      `${name}-webhook-route`,
      {
        apiId: api.id,
        routeKey: WEBHOOK_ROUTE_KEY,
        target: pulumi.interpolate`integrations/${integration.id}`,
      },
      { parent: this },
    );

    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
        defaultRouteSettings: {
          throttlingRateLimit: args.throttlingRateLimit,
          throttlingBurstLimit: args.throttlingBurstLimit,
        },
      },
      { parent: this, dependsOn: [route] },
    );

    // Only this API's POST /webhook route may invoke the function (any stage of this API).
    new aws.lambda.Permission(
      `${name}-webhook-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: webhook.fn.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/POST/webhook`,
      },
      { parent: this },
    );

    this.webhookUrl = pulumi.interpolate`${api.apiEndpoint}/webhook`;
    this.apiId = api.id;
    this.stageName = stage.name;
    this.functionName = webhook.fn.name;
    this.functionArn = webhook.fn.arn;
    this.logGroupName = webhook.logGroup.name;
    this.accessLogGroupName = accessLogs.name;
    this.registerOutputs({
      webhookUrl: this.webhookUrl,
      apiId: this.apiId,
      stageName: this.stageName,
      functionName: this.functionName,
      functionArn: this.functionArn,
      logGroupName: this.logGroupName,
      accessLogGroupName: this.accessLogGroupName,
    });
  }
}
