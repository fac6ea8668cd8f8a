// CodeFactoryWorkflow: the four task functions and the STANDARD state machine from
// workflow/ that drives them (execution logs and X-Ray on, may invoke only these functions).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createCiFeedbackHandler } from "../handlers/ci-feedback/lambda";
import { createIssueInterpreterHandler } from "../handlers/issue-interpreter/lambda";
import { createPatchGeneratorHandler } from "../handlers/patch-generator/lambda";
import { createPrCreatorHandler } from "../handlers/pr-creator/lambda";
import { ENV } from "../contract/environment";
import { FUNCTION_NAMES, TASK_FUNCTION_KEYS, type TaskFunctionKey } from "../contract/functions";
import type { CiWaitMode } from "../contract/state";
import { buildStateMachineDefinition, type WorkflowSettings } from "../workflow";
import {
  assumeRolePolicy,
  invokeBedrockModelStatement,
  invokeFunctionsStatement,
  policyDocument,
  type PolicyStatement,
  readSecretStatement,
  resumeCiWaitStatement,
  runTableStatement,
  startOwnExecutionStatement,
  stateMachineArnOf,
  stateMachineLogDeliveryStatement,
  xrayWriteStatement,
} from "./iam-policies";
import {
  createLeastPrivilegeFunction,
  type FunctionNetworkPlacement,
  type HandlerFactory,
} from "./least-privilege-function";
import type { AiSettings, FunctionSizing, StateMachineLogLevel } from "./stack-config";

export { TASK_FUNCTION_KEYS, type TaskFunctionKey };

export interface CodeFactoryWorkflowArgs {
  region: string;
  githubAppId: number;
  /** Empty: api.github.com (the variable is then not set). */
  githubApiUrl: string;
  secretArn: pulumi.Input<string>;
  functions: Record<TaskFunctionKey, FunctionSizing>;
  logRetentionDays: number;
  stateMachineLogLevel: StateMachineLogLevel;
  ciPollSeconds: number;
  ciMaxWaitSeconds: number;
  ciWaitMode: CiWaitMode;
  /** events mode: WaitForCI's timeout, after which CI is evaluated anyway. */
  ciFallbackSeconds: number;
  /** The RunTable component's table (locks, CI wait registrations, run records). */
  runTable: { tableName: pulumi.Input<string>; tableArn: pulumi.Input<string> };
  ai: AiSettings;
  network?: FunctionNetworkPlacement;
}

/** Step Functions names: 1-80 of letters, digits, '-' and '_'. */
export function stateMachineName(componentName: string, stack: string): string {
  return `${componentName}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80);
}

const FACTORIES: Record<TaskFunctionKey, HandlerFactory<never, unknown>> = {
  issueInterpreter: createIssueInterpreterHandler,
  patchGenerator: createPatchGeneratorHandler,
  prCreator: createPrCreatorHandler,
  ciFeedback: createCiFeedbackHandler,
};

export class CodeFactoryWorkflow extends pulumi.ComponentResource {
  public readonly stateMachineArn: pulumi.Output<string>;
  public readonly stateMachineName: pulumi.Output<string>;
  public readonly stateMachineLogGroupName: pulumi.Output<string>;
  public readonly functionNames: Record<TaskFunctionKey, pulumi.Output<string>>;
  public readonly functionArns: Record<TaskFunctionKey, pulumi.Output<string>>;
  public readonly logGroupNames: Record<TaskFunctionKey, pulumi.Output<string>>;

  constructor(name: string, args: CodeFactoryWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("afu9:workflow:CodeFactoryWorkflow", name, {}, opts);

    const name80 = stateMachineName(name, pulumi.getStack());
    const ciLoop: Omit<WorkflowSettings, "functionArns" | "runLock"> = {
      ciPollSeconds: args.ciPollSeconds,
      ciMaxWaitSeconds: args.ciMaxWaitSeconds,
      ciWaitMode: args.ciWaitMode,
      ciFallbackSeconds: args.ciFallbackSeconds,
    };
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    // Known before the state machine exists: the follow-up run and the CI resume name it.
    const ownArn = account.apply((accountId) => stateMachineArnOf(args.region, accountId, name80));
    const events = args.ciWaitMode === "events";

    const shared: Record<string, pulumi.Input<string>> = {
      [ENV.secretArn]: args.secretArn,
      [ENV.githubAppId]: String(args.githubAppId),
      ...(args.githubApiUrl ? { [ENV.githubApiUrl]: args.githubApiUrl } : {}),
    };
    const readSecret = pulumi.output(args.secretArn).apply(readSecretStatement);
    // WaitForCI (events mode) registers its token and may resume itself.
    const ciWaitStatements: pulumi.Input<PolicyStatement>[] = events
      ? [
          pulumi
            .output(args.runTable.tableArn)
            .apply((arn) => runTableStatement("RegisterCiWait", arn, ["dynamodb:PutItem"])),
          ownArn.apply(resumeCiWaitStatement),
        ]
      : [];

    const bedrock: pulumi.Input<PolicyStatement>[] = [];
    if (args.ai.provider === "bedrock") {
      const { bedrockModelId } = args.ai;
      bedrock.push(
        account.apply((accountId) =>
          invokeBedrockModelStatement(args.region, accountId, bedrockModelId),
        ),
      );
    }

    const built = {} as Record<TaskFunctionKey, ReturnType<typeof createLeastPrivilegeFunction>>;
    for (const key of TASK_FUNCTION_KEYS) {
      const isPatch = key === "patchGenerator";
      const isCiFeedback = key === "ciFeedback";
      // The interpreter needs to know the AI strategy is available (to plan prose-only issues);
      // only the patch generator may call the model.
      const knowsAi = isPatch || key === "issueInterpreter";
      built[key] = createLeastPrivilegeFunction(
        `${name}-${FUNCTION_NAMES[key]}`,
        {
          key,
          callbackFactory: FACTORIES[key],
          sizing: args.functions[key],
          logRetentionDays: args.logRetentionDays,
          environment: {
            ...shared,
            ...(knowsAi && args.ai.provider !== "none"
              ? { [ENV.aiConfig]: JSON.stringify(args.ai) }
              : {}),
            ...(isCiFeedback && events ? { [ENV.runTableName]: args.runTable.tableName } : {}),
          },
          statements: [
            readSecret,
            ...(isPatch ? bedrock : []),
            ...(isCiFeedback ? ciWaitStatements : []),
          ],
          accountId: account,
          network: args.network,
        },
        this,
      );
    }

    const functionArns = {} as Record<TaskFunctionKey, pulumi.Output<string>>;
    const functionNames = {} as Record<TaskFunctionKey, pulumi.Output<string>>;
    const logGroupNames = {} as Record<TaskFunctionKey, pulumi.Output<string>>;
    for (const key of TASK_FUNCTION_KEYS) {
      functionArns[key] = built[key].fn.arn;
      functionNames[key] = built[key].fn.name;
      logGroupNames[key] = built[key].logGroup.name;
    }

    // /aws/vendedlogs/ keeps Step Functions' log delivery within the CloudWatch Logs resource
    // policy size limit (AWS's recommendation for vended logs).
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-state-machine-logs`,
      {
        name: `/aws/vendedlogs/states/afu9-${pulumi.getStack()}-${name}`,
        retentionInDays: args.logRetentionDays,
      },
      { parent: this },
    );

    const role = new aws.iam.Role(
      `${name}-state-machine-role`,
      {
        assumeRolePolicy: pulumi
          .all([account, ownArn])
          .apply(([accountId, arn]) =>
            JSON.stringify(assumeRolePolicy("states.amazonaws.com", accountId, arn)),
          ),
        description:
          "AFU-9 state machine: invokes its four task functions, its run table items, its follow-up runs",
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-state-machine-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([
            pulumi.all(TASK_FUNCTION_KEYS.map((key) => functionArns[key])),
            pulumi.output(args.runTable.tableArn),
            ownArn,
          ])
          .apply(([arns, tableArn, selfArn]) =>
            JSON.stringify(
              policyDocument([
                invokeFunctionsStatement(arns),
                runTableStatement("RunLockAndRecords", tableArn, [
                  "dynamodb:UpdateItem",
                  "dynamodb:PutItem",
                  "dynamodb:DeleteItem",
                ]),
                startOwnExecutionStatement(selfArn),
                stateMachineLogDeliveryStatement(),
                xrayWriteStatement(),
              ]),
            ),
          ),
      },
      { parent: this },
    );

    const stateMachine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: name80,
        type: "STANDARD",
        roleArn: role.arn,
        definition: pulumi
          .all([
            functionArns.issueInterpreter,
            functionArns.patchGenerator,
            functionArns.prCreator,
            functionArns.ciFeedback,
            pulumi.output(args.runTable.tableName),
            ownArn,
          ])
          .apply(([issueInterpreter, patchGenerator, prCreator, ciFeedback, tableName, selfArn]) =>
            JSON.stringify(
              buildStateMachineDefinition({
                functionArns: { issueInterpreter, patchGenerator, prCreator, ciFeedback },
                ...ciLoop,
                runLock: { tableName, stateMachineArn: selfArn },
              }),
            ),
          ),
        loggingConfiguration: {
          level: args.stateMachineLogLevel,
          // Execution data is issue text and GitHub refs, never secrets (they stay in Secrets
          // Manager); with it the log shows why a run took its path.
          includeExecutionData: true,
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.stateMachineArn = stateMachine.arn;
    this.stateMachineName = stateMachine.name;
    this.stateMachineLogGroupName = logGroup.name;
    this.functionNames = functionNames;
    this.functionArns = functionArns;
    this.logGroupNames = logGroupNames;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.stateMachineName,
      stateMachineLogGroupName: this.stateMachineLogGroupName,
      functionNames,
      functionArns,
      logGroupNames,
    });
  }
}
