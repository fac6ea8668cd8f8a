// IAM policy documents as plain data (ARNs in, JSON out), so each statement is testable on its own.
// Least privilege: every statement names the exact resource, except for the actions listed in
// WILDCARD_RESOURCE_ACTIONS, for which AWS offers no resource-level permission.

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Trust policies name a principal and no resource (IAM rejects Resource there). */
export interface TrustPolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid: string;
    Effect: "Allow";
    Principal: { Service: string };
    Action: string[];
    Condition: {
      StringEquals: { "aws:SourceAccount": string };
      ArnLike?: { "aws:SourceArn": string };
    };
  }[];
}

/**
 * The only actions that may be granted on Resource "*", each because AWS's Service Authorization
 * Reference lists no resource type for it (so no narrower ARN is accepted).
 */
export const WILDCARD_RESOURCE_ACTIONS: Record<string, string> = {
  // X-Ray: trace segments and telemetry are written to the account, not to a resource.
  "xray:PutTraceSegments": "X-Ray has no resource-level permissions",
  "xray:PutTelemetryRecords": "X-Ray has no resource-level permissions",
  "xray:GetSamplingRules": "X-Ray has no resource-level permissions",
  "xray:GetSamplingTargets": "X-Ray has no resource-level permissions",
  // Step Functions' execution logging uses CloudWatch Logs vended delivery; AWS documents that
  // these actions require "*" (Step Functions developer guide, "IAM policies for logging").
  "logs:CreateLogDelivery": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:GetLogDelivery": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:UpdateLogDelivery": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:DeleteLogDelivery": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:ListLogDeliveries": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:PutResourcePolicy": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:DescribeResourcePolicies": "CloudWatch Logs delivery for Step Functions requires *",
  "logs:DescribeLogGroups": "CloudWatch Logs delivery for Step Functions requires *",
  // Lambda in a VPC: ENIs do not exist before Lambda creates them; AWS's managed policy
  // AWSLambdaVPCAccessExecutionRole grants these on "*" (Describe* has no resource types).
  "ec2:CreateNetworkInterface": "Lambda VPC ENI management (AWSLambdaVPCAccessExecutionRole)",
  "ec2:DescribeNetworkInterfaces": "Lambda VPC ENI management (AWSLambdaVPCAccessExecutionRole)",
  "ec2:DescribeSubnets": "Lambda VPC ENI management (AWSLambdaVPCAccessExecutionRole)",
  "ec2:DeleteNetworkInterface": "Lambda VPC ENI management (AWSLambdaVPCAccessExecutionRole)",
  "ec2:AssignPrivateIpAddresses": "Lambda VPC ENI management (AWSLambdaVPCAccessExecutionRole)",
  "ec2:UnassignPrivateIpAddresses": "Lambda VPC ENI management (AWSLambdaVPCAccessExecutionRole)",
};

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * Trust policy: only the named AWS service, acting for this account (and, where the service sets
 * it when assuming the role, for the named source resource) may assume the role: the conditions
 * AWS recommends against the cross-service confused deputy. Step Functions sets aws:SourceArn to
 * the state machine; Lambda's execution-role assumption is checked on the account only.
 */
export function assumeRolePolicy(
  service: "lambda.amazonaws.com" | "states.amazonaws.com",
  accountId: string,
  sourceArn?: string,
): TrustPolicyDocument {
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(
      `assumeRolePolicy: account id must be 12 digits, got ${JSON.stringify(accountId)}`,
    );
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AssumedByService",
        Effect: "Allow",
        Principal: { Service: service },
        Action: ["sts:AssumeRole"],
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ...(sourceArn ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
        },
      },
    ],
  };
}

/** The ARN of a state machine from its name (known before it exists: no dependency cycle). */
export function stateMachineArnOf(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:states:${region}:${accountId}:stateMachine:${name}`;
}

/** Exact DynamoDB item actions on the run table only (no index, no stream, no table admin). */
export function runTableStatement(
  sid: string,
  tableArn: string,
  actions: (
    "dynamodb:GetItem" | "dynamodb:PutItem" | "dynamodb:UpdateItem" | "dynamodb:DeleteItem"
  )[],
): PolicyStatement {
  if (actions.length === 0) throw new Error("runTableStatement: no actions");
  return { Sid: sid, Effect: "Allow", Action: [...actions], Resource: tableArn };
}

/** The follow-up run: the state machine starts a new execution of itself (fire and forget). */
export function startOwnExecutionStatement(stateMachineArn: string): PolicyStatement {
  return {
    Sid: "StartFollowUpRun",
    Effect: "Allow",
    Action: ["states:StartExecution"],
    Resource: stateMachineArn,
  };
}

/**
 * Resume a WaitForCI task with its token. The Service Authorization Reference lists the
 * activity and stateMachine resource types for the callback actions; a token belongs to an
 * execution of this one state machine, so its ARN is the resource.
 */
export function resumeCiWaitStatement(stateMachineArn: string): PolicyStatement {
  return {
    Sid: "ResumeCiWait",
    Effect: "Allow",
    Action: ["states:SendTaskSuccess"],
    Resource: stateMachineArn,
  };
}

/** A function writes only to its own log group (created by the component, so no CreateLogGroup). */
export function writeOwnLogsStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteOwnLogGroup",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${logGroupArn}:log-stream:*`,
  };
}

export function xrayWriteStatement(): PolicyStatement {
  return {
    Sid: "WriteXRayTraces",
    Effect: "Allow",
    Action: [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
    ],
    Resource: "*",
  };
}

export function readSecretStatement(secretArn: string): PolicyStatement {
  return {
    Sid: "ReadAppSecret",
    Effect: "Allow",
    Action: ["secretsmanager:GetSecretValue"],
    Resource: secretArn,
  };
}

export function startExecutionStatement(stateMachineArn: string): PolicyStatement {
  return {
    Sid: "StartWorkflow",
    Effect: "Allow",
    Action: ["states:StartExecution"],
    Resource: stateMachineArn,
  };
}

export function invokeFunctionsStatement(functionArns: string[]): PolicyStatement {
  if (functionArns.length === 0) throw new Error("invokeFunctionsStatement: no function ARNs");
  return {
    Sid: "InvokeTaskFunctions",
    Effect: "Allow",
    Action: ["lambda:InvokeFunction"],
    Resource: [...functionArns],
  };
}

export function stateMachineLogDeliveryStatement(): PolicyStatement {
  return {
    Sid: "DeliverExecutionLogs",
    Effect: "Allow",
    Action: [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ],
    Resource: "*",
  };
}

export function vpcNetworkInterfacesStatement(): PolicyStatement {
  return {
    Sid: "ManageVpcNetworkInterfaces",
    Effect: "Allow",
    Action: [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ],
    Resource: "*",
  };
}

/** Cross-region inference profile ids start with a geography: eu.anthropic.claude-... */
const INFERENCE_PROFILE_PREFIXES = ["us", "us-gov", "eu", "apac", "ca", "jp", "au", "global"];

/**
 * bedrock:InvokeModel (what the Converse API needs) on exactly the configured model. For an
 * inference profile, the profile in this account plus the foundation model it routes to in any
 * region of the profile (AWS requires both; the region is the only part left open).
 */
export function invokeBedrockModelStatement(
  region: string,
  accountId: string,
  modelId: string,
): PolicyStatement {
  const partition = partitionOf(region);
  const [first, ...rest] = modelId.split(".");
  const isProfile = INFERENCE_PROFILE_PREFIXES.includes(first) && rest.length >= 2;
  const resources = isProfile
    ? [
        `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${modelId}`,
        `arn:${partition}:bedrock:*::foundation-model/${rest.join(".")}`,
      ]
    : [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`];
  return {
    Sid: "InvokeConfiguredBedrockModel",
    Effect: "Allow",
    Action: ["bedrock:InvokeModel"],
    Resource: resources,
  };
}

/** Problems with a statement under the least-privilege rules (empty when it is fine). */
export function leastPrivilegeViolations(statement: PolicyStatement): string[] {
  const problems: string[] = [];
  for (const action of statement.Action) {
    if (action === "*" || action.endsWith(":*"))
      problems.push(`${statement.Sid}: wildcard action ${action}`);
  }
  const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  if (resources.includes("*")) {
    const unjustified = statement.Action.filter((action) => !(action in WILDCARD_RESOURCE_ACTIONS));
    if (unjustified.length > 0) {
      problems.push(`${statement.Sid}: Resource "*" for ${unjustified.join(", ")}`);
    }
  }
  return problems;
}

/**
 * The notifier reads how an execution of this one state machine ended: DescribeExecution (status,
 * input, output) and GetExecutionHistory (a failed run's state document). Both act on execution
 * ARNs (arn:...:execution:<state machine name>:<execution name>), so the resource is every
 * execution of this machine and nothing else.
 */
export function readExecutionsStatement(stateMachineArn: string): PolicyStatement {
  const match = /^(arn:[^:]+:states:[^:]+:\d{12}):stateMachine:([^:]+)$/.exec(stateMachineArn);
  if (!match) {
    throw new Error(`readExecutionsStatement: not a state machine ARN: ${stateMachineArn}`);
  }
  return {
    Sid: "ReadWorkflowExecutions",
    Effect: "Allow",
    Action: ["states:DescribeExecution", "states:GetExecutionHistory"],
    Resource: `${match[1]}:execution:${match[2]}:*`,
  };
}
