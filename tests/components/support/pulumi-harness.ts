// Pulumi mocks for the infrastructure tests: records every resource the program registers (type,
// name, inputs) and answers with plausible ARNs/ids, so components see realistic outputs.
// Call installMocks() BEFORE importing any component or the program (Pulumi reads the mocks
// and the config when resources are constructed).
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT_ID = "123456789012";

export interface RecordedResource {
  type: string;
  name: string;
  // Inputs are whatever the program passed, after Pulumi resolved its Outputs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputs: Record<string, any>;
}

export interface Harness {
  resources: RecordedResource[];
  calls: { token: string; inputs: Record<string, unknown> }[];
}

function arnFor(
  type: string,
  name: string,
  region: string,
  inputs: Record<string, unknown>,
): string {
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-a1b2c3d`;
  switch (type) {
    case "aws:lambda/function:Function":
      return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${physical}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${physical}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${ACCOUNT_ID}:role/${physical}`;
    case "aws:sfn/stateMachine:StateMachine":
      return `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:${physical}`;
    case "aws:secretsmanager/secret:Secret":
      return `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${physical}-Xy12Ab`;
    case "aws:dynamodb/table:Table":
      return `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${physical}`;
    case "aws:sns/topic:Topic":
      return `arn:aws:sns:${region}:${ACCOUNT_ID}:${physical}`;
    default:
      return `arn:aws:mock:${region}:${ACCOUNT_ID}:${type.split(":").pop()}/${physical}`;
  }
}

export function installMocks(stack: string, region: string): Harness {
  const harness: Harness = { resources: [], calls: [] };
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        harness.resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const id = `${args.name}-id`;
        const state: Record<string, unknown> = { ...args.inputs };
        state.arn = arnFor(args.type, args.name, region, args.inputs);
        if (typeof args.inputs.name !== "string") state.name = `${args.name}-a1b2c3d`;
        if (args.type === "aws:apigatewayv2/api:Api") {
          state.apiEndpoint = `https://${id}.execute-api.${region}.amazonaws.com`;
          state.executionArn = `arn:aws:execute-api:${region}:${ACCOUNT_ID}:${id}`;
        }
        if (args.type === "aws:lambda/function:Function") {
          state.invokeArn = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
        }
        if (args.type === "aws:cloudwatch/dashboard:Dashboard") {
          state.dashboardName = args.inputs.dashboardName ?? args.name;
        }
        if (args.type === "awsx:ec2:Vpc") {
          state.vpcId = "vpc-0123";
          state.privateSubnetIds = ["subnet-priv-a", "subnet-priv-b"];
          state.publicSubnetIds = ["subnet-pub-a", "subnet-pub-b"];
        }
        return { id, state };
      },
      call(args) {
        harness.calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return {
            accountId: ACCOUNT_ID,
            arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`,
            userId: "AIDTEST",
            id: ACCOUNT_ID,
          };
        }
        return args.inputs;
      },
    },
    "afu9",
    stack,
    false,
  );
  return harness;
}

/** Waits until every pending registration (including ones behind applies) has reached the mocks. */
export async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (typeof runtime.waitForRPCs !== "function") {
    throw new Error(
      "@pulumi/pulumi no longer exports runtime.waitForRPCs: update tests/components/support/pulumi-harness.ts",
    );
  }
  await runtime.waitForRPCs();
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export function ofType(harness: Harness, type: string): RecordedResource[] {
  return harness.resources.filter((resource) => resource.type === type);
}

export function named(harness: Harness, type: string, name: string): RecordedResource {
  const found = harness.resources.find(
    (resource) => resource.type === type && resource.name === name,
  );
  if (!found) {
    const names = ofType(harness, type).map((resource) => resource.name);
    throw new Error(`no ${type} named ${name}; have: ${names.join(", ")}`);
  }
  return found;
}
