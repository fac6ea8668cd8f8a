// AFU-9 CodeFactory Control: reads the stack's config, composes the components, exports outputs.
import { AppSecret } from "./components/app-secret";
import { CodeFactoryWorkflow } from "./components/code-factory-workflow";
import { FunctionNetwork } from "./components/function-network";
import { Notifier } from "./components/notifier";
import { Observability } from "./components/observability";
import { RunTable } from "./components/run-table";
import { readStackConfig } from "./components/stack-config";
import { WebhookIngress } from "./components/webhook-ingress";

const config = readStackConfig();

const secret = new AppSecret("afu9", {
  githubAppPrivateKey: config.secrets.githubAppPrivateKey,
  githubWebhookSecret: config.secrets.githubWebhookSecret,
  githubWebhookSecretPrevious: config.secrets.githubWebhookSecretPrevious,
  aiApiKey: config.ai.provider === "openai" ? config.secrets.openaiApiKey : "",
  notifyDestinations: config.secrets.notifyDestinations,
});

const network = config.vpcEnabled ? new FunctionNetwork("afu9") : undefined;
const placement = network
  ? { subnetIds: network.privateSubnetIds, securityGroupIds: [network.securityGroupId] }
  : undefined;

const runTable = new RunTable("afu9", config.runTable);

const workflow = new CodeFactoryWorkflow("afu9", {
  region: config.region,
  githubAppId: config.githubAppId,
  githubApiUrl: config.githubApiUrl,
  secretArn: secret.secretArn,
  functions: {
    issueInterpreter: config.functions.issueInterpreter,
    patchGenerator: config.functions.patchGenerator,
    prCreator: config.functions.prCreator,
    ciFeedback: config.functions.ciFeedback,
  },
  logRetentionDays: config.logRetentionDays,
  stateMachineLogLevel: config.stateMachineLogLevel,
  ciPollSeconds: config.factory.ciPollSeconds,
  ciMaxWaitSeconds: config.factory.ciMaxWaitSeconds,
  ciWaitMode: config.ciWait.mode,
  ciFallbackSeconds: config.ciWait.fallbackSeconds,
  runTable: { tableName: runTable.tableName, tableArn: runTable.tableArn },
  ai: config.ai,
  network: placement,
});

const ingress = new WebhookIngress("afu9", {
  stateMachineArn: workflow.stateMachineArn,
  secretArn: secret.secretArn,
  githubAppId: config.githubAppId,
  githubApiUrl: config.githubApiUrl,
  factory: config.factory,
  maxBodyBytes: config.webhook.maxBodyBytes,
  issueActions: config.webhook.issueActions,
  throttlingRateLimit: config.webhook.throttlingRateLimit,
  throttlingBurstLimit: config.webhook.throttlingBurstLimit,
  sizing: config.functions.webhook,
  logRetentionDays: config.logRetentionDays,
  ciWaitTable:
    config.ciWait.mode === "events"
      ? { tableName: runTable.tableName, tableArn: runTable.tableArn }
      : undefined,
  network: placement,
});

const notifier = new Notifier("afu9", {
  secretArn: secret.secretArn,
  stateMachineArn: workflow.stateMachineArn,
  githubApiUrl: config.githubApiUrl,
  sizing: config.functions.notifier,
  logRetentionDays: config.logRetentionDays,
  network: placement,
});

const observability = new Observability("afu9", {
  region: config.region,
  functions: {
    webhook: { name: ingress.functionName, logGroupName: ingress.logGroupName },
    issueInterpreter: {
      name: workflow.functionNames.issueInterpreter,
      logGroupName: workflow.logGroupNames.issueInterpreter,
    },
    patchGenerator: {
      name: workflow.functionNames.patchGenerator,
      logGroupName: workflow.logGroupNames.patchGenerator,
    },
    prCreator: {
      name: workflow.functionNames.prCreator,
      logGroupName: workflow.logGroupNames.prCreator,
    },
    ciFeedback: {
      name: workflow.functionNames.ciFeedback,
      logGroupName: workflow.logGroupNames.ciFeedback,
    },
    notifier: { name: notifier.functionName, logGroupName: notifier.logGroupName },
  },
  stateMachineArn: workflow.stateMachineArn,
  apiId: ingress.apiId,
  apiStage: ingress.stageName,
  thresholds: config.alarms,
  alarmEmail: config.alarmEmail,
  notifierFunctionArn: notifier.functionArn,
});

export const webhookUrl = ingress.webhookUrl;
export const stateMachineArn = workflow.stateMachineArn;
export const dashboardUrl = observability.dashboardUrl;
export const secretArn = secret.secretArn;
export const alarmTopicArn = observability.alarmTopicArn;
export const runTableName = runTable.tableName;
