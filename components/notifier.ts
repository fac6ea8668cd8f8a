// Notifier: the function that tells Slack and Teams channels how runs ended. EventBridge invokes it
// asynchronously for every end of an execution of this state machine (Step Functions sends
// "Execution Status Change" events to the default bus by itself), so it sits beside the workflow,
// never in it. The alarm topic's subscription is made by Observability, which owns the topic.
// The webhook URLs stay in the stack secret; the function gets the secret's ARN only.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "../contract/environment";
import { createNotifierHandler } from "../handlers/notifier/lambda";
import { EXECUTION_END_STATUSES, EXECUTION_STATUS_CHANGE } from "../contract/notifications";
import { readExecutionsStatement, readSecretStatement } from "./iam-policies";
import {
  createLeastPrivilegeFunction,
  type FunctionNetworkPlacement,
} from "./least-privilege-function";
import type { FunctionSizing } from "./stack-config";

export interface NotifierArgs {
  secretArn: pulumi.Input<string>;
  stateMachineArn: pulumi.Input<string>;
  /** Empty: api.github.com; otherwise GitHub Enterprise Server's https://HOST/api/v3. */
  githubApiUrl: string;
  sizing: FunctionSizing;
  logRetentionDays: number;
  network?: FunctionNetworkPlacement;
}

/** The web root people open links in: github.com, or the GHES host of its API URL. */
export function githubWebUrl(githubApiUrl: string): string {
  if (!githubApiUrl) return "https://github.com";
  const url = new URL(githubApiUrl);
  return url.hostname === "api.github.com" ? "https://github.com" : url.origin;
}

/** The EventBridge pattern: this machine's executions reaching an end status. */
export function executionEndPattern(stateMachineArn: string): Record<string, unknown> {
  return {
    source: ["aws.states"],
    "detail-type": [EXECUTION_STATUS_CHANGE],
    detail: { stateMachineArn: [stateMachineArn], status: [...EXECUTION_END_STATUSES] },
  };
}

export class Notifier extends pulumi.ComponentResource {
  public readonly functionArn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: NotifierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("afu9:notifications:Notifier", name, {}, opts);

    const { fn, logGroup } = createLeastPrivilegeFunction(
      `${name}-notifier`,
      {
        key: "notifier",
        callbackFactory: createNotifierHandler,
        sizing: args.sizing,
        logRetentionDays: args.logRetentionDays,
        environment: {
          [ENV.secretArn]: args.secretArn,
          [ENV.githubWebUrl]: githubWebUrl(args.githubApiUrl),
        },
        statements: [
          pulumi.output(args.secretArn).apply(readSecretStatement),
          pulumi.output(args.stateMachineArn).apply(readExecutionsStatement),
        ],
        accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
        network: args.network,
      },
      this,
    );

    const rule = new aws.cloudwatch.EventRule(
      `${name}-execution-ended`,
      {
        description: "AFU-9: an execution of the workflow ended (notifier)",
        eventPattern: pulumi
          .output(args.stateMachineArn)
          .apply((arn) => JSON.stringify(executionEndPattern(arn))),
      },
      { parent: this },
    );
    const permission = new aws.lambda.Permission(
      `${name}-notifier-from-events`,
      {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-execution-ended-notifier`,
      {
        rule: rule.name,
        arn: fn.arn,
        // An event older than an hour is no news any more; a failed delivery to Lambda is retried.
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 4 },
      },
      { parent: this, dependsOn: [permission] },
    );

    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      functionArn: this.functionArn,
      functionName: this.functionName,
      logGroupName: this.logGroupName,
    });
  }
}
