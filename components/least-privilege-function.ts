// One Lambda function the way every AFU-9 function is built: its log group first (retention set,
// so Lambda never creates an unbounded one), its own role with only the statements it needs, and
// an inline CallbackFunction on nodejs24.x/arm64 whose archive carries only its packages' files
// the handler can load.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  assumeRolePolicy,
  policyDocument,
  type PolicyStatement,
  vpcNetworkInterfacesStatement,
  writeOwnLogsStatement,
  xrayWriteStatement,
} from "./iam-policies";
import { traceFunctionArchive } from "./archive-trace";
import { excludedPackagesFor } from "./function-packages";
import { serviceName } from "../contract/functions";
import type { FunctionKey, FunctionSizing } from "./stack-config";
import { METRICS_NAMESPACE } from "../contract/conventions";

export const LAMBDA_RUNTIME = "nodejs24.x";
export const LAMBDA_ARCHITECTURE = "arm64";

/** Subnets and security group of the optional VPC placement. */
export interface FunctionNetworkPlacement {
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** What the handlers/*\/lambda.ts factories are: run once per container, return the handler. */
export type HandlerFactory<E, R> = () => (event: E) => Promise<R>;

export interface LeastPrivilegeFunctionArgs<E, R> {
  /** Which function this is: selects its package list and POWERTOOLS_SERVICE_NAME. */
  key: FunctionKey;
  callbackFactory: HandlerFactory<E, R>;
  sizing: FunctionSizing;
  logRetentionDays: number;
  /** Variables named in handlers/shared/environment.ts; ARNs and settings, never secret values. */
  environment: Record<string, pulumi.Input<string>>;
  /** Statements beyond its own log group and X-Ray (e.g. read this secret). */
  statements: pulumi.Input<PolicyStatement>[];
  /** The account the role trusts Lambda for (aws:SourceAccount). */
  accountId: pulumi.Input<string>;
  network?: FunctionNetworkPlacement;
}

export interface LeastPrivilegeFunction {
  fn: aws.lambda.Function;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
}

export function createLeastPrivilegeFunction<E, R>(
  name: string,
  args: LeastPrivilegeFunctionArgs<E, R>,
  parent: pulumi.Resource,
): LeastPrivilegeFunction {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    {
      name: `/afu9/${pulumi.getStack()}/${name}`,
      retentionInDays: args.logRetentionDays,
    },
    { parent },
  );

  const role = new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: pulumi
        .output(args.accountId)
        .apply((accountId) => JSON.stringify(assumeRolePolicy("lambda.amazonaws.com", accountId))),
      description: `AFU-9 ${args.key} function (least privilege)`,
    },
    { parent },
  );

  const baseStatements: pulumi.Input<PolicyStatement>[] = [
    logGroup.arn.apply(writeOwnLogsStatement),
    xrayWriteStatement(),
    ...(args.network ? [vpcNetworkInterfacesStatement()] : []),
    ...args.statements,
  ];
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-policy`,
    {
      role: role.id,
      policy: pulumi
        .all(baseStatements)
        .apply((statements) => JSON.stringify(policyDocument(statements as PolicyStatement[]))),
    },
    { parent },
  );

  const excluded = excludedPackagesFor(args.key);
  const fn = new aws.lambda.CallbackFunction<E, R>(
    name,
    {
      callbackFactory: args.callbackFactory,
      role: role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      memorySize: args.sizing.memoryMb,
      timeout: args.sizing.timeoutSeconds,
      environment: {
        variables: {
          POWERTOOLS_SERVICE_NAME: serviceName(args.key),
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          ...args.environment,
        },
      },
      loggingConfig: {
        logGroup: logGroup.name,
        logFormat: "JSON",
        applicationLogLevel: "INFO",
        systemLogLevel: "WARN",
      },
      tracingConfig: { mode: "Active" },
      vpcConfig: args.network
        ? { subnetIds: args.network.subnetIds, securityGroupIds: args.network.securityGroupIds }
        : undefined,
      // A fresh array: CallbackFunction appends "aws-sdk" to it.
      codePathOptions: { extraExcludePackages: [...excluded] },
    },
    {
      parent,
      dependsOn: [logGroup, rolePolicy],
      // Keeps only the files the serialized handler can load (components/archive-trace.ts).
      transformations: [traceFunctionArchive()],
    },
  );

  return { fn, role, logGroup };
}
