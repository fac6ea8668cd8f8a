// The assertions every stack's program must pass; each program-*.test.ts runs them for one stack
// (one test file per stack, because index.ts builds its resources when it is first imported).
import {
  leastPrivilegeViolations,
  type PolicyDocument,
  type PolicyStatement,
  WILDCARD_RESOURCE_ACTIONS,
} from "../../../components/iam-policies";
import { ACCOUNT_ID, ofType } from "./pulumi-harness";
import { type LoadedProgram, loadProgram } from "./program";
import { SECRET_NEEDLES, TEST_SECRETS } from "./stack-config-fixture";

export interface StackExpectations {
  stack: string;
  region: string;
  retentionDays: number;
  logLevel: string;
  thresholds: { errorRate: number; failedExecutions: number; api5xx: number };
  memory: Record<string, number>;
  /** The run table's point-in-time recovery and deletion protection (both on in prod). */
  runTableProtected: boolean;
}

/** Pulumi's wire signature of a secret value (sdk/nodejs/runtime/rpc.ts specialSigKey/secretSig). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

const TIMEOUTS: Record<string, number> = {
  "afu9-webhook": 30,
  "afu9-issue-interpreter": 30,
  "afu9-patch-generator": 60,
  "afu9-pr-creator": 60,
  "afu9-ci-feedback": 30,
  "afu9-notifier": 60,
};

/** Statements that may use Resource "*", each for a reason named in iam-policies.ts. */
const WILDCARD_STATEMENTS = [
  "WriteXRayTraces",
  "DeliverExecutionLogs",
  "ManageVpcNetworkInterfaces",
];

export function allStatements(
  program: LoadedProgram,
): { policy: string; statement: PolicyStatement }[] {
  return ofType(program.harness, "aws:iam/rolePolicy:RolePolicy").flatMap((resource) =>
    (JSON.parse(resource.inputs.policy) as PolicyDocument).Statement.map((statement) => ({
      policy: resource.name,
      statement,
    })),
  );
}

export function describeStackProgram(expected: StackExpectations): void {
  describe(`the program on stack ${expected.stack}`, () => {
    let program: LoadedProgram;
    beforeAll(async () => {
      program = await loadProgram(expected.stack);
      // Tracing six archives (@vercel/nft) takes over 30 s on a busy 2-core machine.
    }, 120_000);
    const resources = (type: string) => ofType(program.harness, type);

    it("exports the webhook URL, state machine ARN, dashboard URL, secret ARN and alarm topic ARN", () => {
      const { region } = expected;
      expect(program.outputs).toEqual({
        webhookUrl: `https://afu9-api-id.execute-api.${region}.amazonaws.com/webhook`,
        stateMachineArn: `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:afu9-${expected.stack}`,
        dashboardUrl: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=afu9-${expected.stack}`,
        secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:afu9-app-secret-a1b2c3d-Xy12Ab`,
        alarmTopicArn: `arn:aws:sns:${region}:${ACCOUNT_ID}:afu9-alarms-a1b2c3d`,
      });
    });

    it("registers exactly the expected resources", () => {
      const counts: Record<string, number> = {};
      for (const r of program.harness.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
      expect(counts).toEqual({
        "afu9:secrets:AppSecret": 1,
        "afu9:workflow:CodeFactoryWorkflow": 1,
        "afu9:ingress:WebhookIngress": 1,
        "afu9:observability:Observability": 1,
        "afu9:state:RunTable": 1,
        "aws:dynamodb/table:Table": 1,
        "afu9:notifications:Notifier": 1,
        "aws:secretsmanager/secret:Secret": 1,
        "aws:secretsmanager/secretVersion:SecretVersion": 1,
        "aws:lambda/function:Function": 6,
        "aws:cloudwatch/logGroup:LogGroup": 8,
        "aws:iam/role:Role": 7,
        "aws:iam/rolePolicy:RolePolicy": 7,
        "aws:sfn/stateMachine:StateMachine": 1,
        "aws:apigatewayv2/api:Api": 1,
        "aws:apigatewayv2/integration:Integration": 1,
        "aws:apigatewayv2/route:Route": 1,
        "aws:apigatewayv2/stage:Stage": 1,
        "aws:lambda/permission:Permission": 3,
        "aws:sns/topic:Topic": 1,
        "aws:sns/topicSubscription:TopicSubscription": 1,
        "aws:cloudwatch/eventRule:EventRule": 1,
        "aws:cloudwatch/eventTarget:EventTarget": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 11,
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": 6,
        "aws:cloudwatch/dashboard:Dashboard": 1,
      });
      // CallbackFunction's default role (nine broad managed policies) is never created.
      expect(resources("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
    });

    it(`runs every function on nodejs24.x/arm64 with the stack's memory and the default timeouts`, () => {
      const fns = resources("aws:lambda/function:Function");
      const actual = Object.fromEntries(
        fns.map((f) => [
          f.name,
          [f.inputs.runtime, f.inputs.architectures, f.inputs.memorySize, f.inputs.timeout],
        ]),
      );
      const wanted = Object.fromEntries(
        Object.entries(TIMEOUTS).map(([name, timeout]) => [
          name,
          ["nodejs24.x", ["arm64"], expected.memory[name], timeout],
        ]),
      );
      expect(actual).toEqual(wanted);
      for (const fn of fns) {
        expect(fn.inputs.environment.variables.AFU9_SECRET_ARN).toBe(program.outputs.secretArn);
        expect(fn.inputs.tracingConfig).toEqual({ mode: "Active" });
        expect(fn.inputs.loggingConfig.logFormat).toBe("JSON");
      }
    });

    it(`keeps every log group ${expected.retentionDays} days, each created for its writer`, () => {
      const groups = resources("aws:cloudwatch/logGroup:LogGroup");
      expect(groups.map((g) => g.inputs.retentionInDays)).toEqual(
        groups.map(() => expected.retentionDays),
      );
      const names = groups.map((g) => g.inputs.name);
      for (const fn of resources("aws:lambda/function:Function")) {
        expect(names).toContain(fn.inputs.loggingConfig.logGroup);
      }
    });

    it(`keeps runs in one on-demand table with TTL; PITR and deletion protection ${expected.runTableProtected ? "on" : "off"}`, () => {
      const [table] = resources("aws:dynamodb/table:Table");
      expect(table.inputs).toEqual({
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        ttl: { attributeName: "expiresAt", enabled: true },
        pointInTimeRecovery: { enabled: expected.runTableProtected },
        deletionProtectionEnabled: expected.runTableProtected,
      });
      const tableArn = `arn:aws:dynamodb:${expected.region}:${ACCOUNT_ID}:table/afu9-runs-a1b2c3d`;
      // Exactly these DynamoDB grants exist, each on this table only.
      const grants = allStatements(program)
        .filter(({ statement }) => statement.Action.some((a) => a.startsWith("dynamodb:")))
        .map(({ policy, statement }) => [policy, statement.Action, statement.Resource]);
      expect(grants).toEqual([
        ["afu9-ci-feedback-policy", ["dynamodb:PutItem"], tableArn],
        [
          "afu9-state-machine-policy",
          ["dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
          tableArn,
        ],
        ["afu9-webhook-policy", ["dynamodb:GetItem"], tableArn],
      ]);
      const resumes = allStatements(program)
        .filter(({ statement }) => statement.Action.includes("states:SendTaskSuccess"))
        .map(({ policy, statement }) => [policy, statement.Resource]);
      expect(resumes).toEqual([
        ["afu9-ci-feedback-policy", program.outputs.stateMachineArn],
        ["afu9-webhook-policy", program.outputs.stateMachineArn],
      ]);
    });

    it("lets every role be assumed only by its service for this account", () => {
      for (const role of resources("aws:iam/role:Role")) {
        const [statement] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
        expect([role.name, statement.Condition.StringEquals]).toEqual([
          role.name,
          { "aws:SourceAccount": ACCOUNT_ID },
        ]);
        if (statement.Principal.Service === "states.amazonaws.com") {
          expect(statement.Condition.ArnLike).toEqual({
            "aws:SourceArn": program.outputs.stateMachineArn,
          });
        }
      }
    });

    it(`logs executions at level ${expected.logLevel} on a STANDARD machine with X-Ray`, () => {
      const [machine] = resources("aws:sfn/stateMachine:StateMachine");
      expect(machine.inputs.type).toBe("STANDARD");
      expect(machine.inputs.loggingConfiguration.level).toBe(expected.logLevel);
      expect(machine.inputs.tracingConfiguration).toEqual({ enabled: true });
    });

    it("uses the stack's alarm thresholds", () => {
      const alarms = Object.fromEntries(
        resources("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [
          a.name,
          a.inputs.threshold,
        ]),
      );
      expect(alarms).toEqual({
        "afu9-webhook-error-rate": expected.thresholds.errorRate,
        "afu9-issue-interpreter-error-rate": expected.thresholds.errorRate,
        "afu9-patch-generator-error-rate": expected.thresholds.errorRate,
        "afu9-pr-creator-error-rate": expected.thresholds.errorRate,
        "afu9-ci-feedback-error-rate": expected.thresholds.errorRate,
        "afu9-notifier-error-rate": expected.thresholds.errorRate,
        "afu9-notification-delivery-failures": 3,
        "afu9-executions-failed": expected.thresholds.failedExecutions,
        "afu9-executions-timed-out": 1,
        "afu9-api-5xx": expected.thresholds.api5xx,
        "afu9-secrets-access-failures": 1,
      });
    });

    it("stores the secret config as one SecretBundle, and nowhere else", () => {
      const [version] = resources("aws:secretsmanager/secretVersion:SecretVersion");
      // Pulumi marks it secret (encrypted in state): the mocks see the secret envelope.
      const envelope = version.inputs.secretString;
      expect(envelope[SECRET_SIG]).toBe(SECRET_SIG_VALUE);
      expect(JSON.parse(envelope.value)).toEqual({
        githubAppPrivateKey: TEST_SECRETS.githubAppPrivateKey,
        githubWebhookSecret: TEST_SECRETS.githubWebhookSecret,
      });
      const everythingElse = JSON.stringify(
        program.harness.resources.filter((r) => r !== version).map((r) => r.inputs),
      );
      for (const needle of SECRET_NEEDLES) expect(everythingElse).not.toContain(needle);
    });

    it("grants no wildcard action, and Resource * only where AWS has no narrower resource", () => {
      const statements = allStatements(program);
      expect(statements.length).toBeGreaterThan(15);
      expect(statements.flatMap(({ statement }) => leastPrivilegeViolations(statement))).toEqual(
        [],
      );
      const wildcard = statements.filter(({ statement }) =>
        ([] as string[]).concat(statement.Resource).some((resource) => resource.includes("*")),
      );
      for (const { policy, statement } of wildcard) {
        if (statement.Resource === "*") {
          // X-Ray, Step Functions log delivery, VPC ENIs: see WILDCARD_RESOURCE_ACTIONS.
          expect([policy, WILDCARD_STATEMENTS.includes(statement.Sid)]).toEqual([policy, true]);
          for (const action of statement.Action)
            expect(WILDCARD_RESOURCE_ACTIONS).toHaveProperty([action]);
        } else if (statement.Sid === "ReadWorkflowExecutions") {
          // The notifier: executions of the factory's one state machine, nothing else.
          expect([policy, statement.Action]).toEqual([
            "afu9-notifier-policy",
            ["states:DescribeExecution", "states:GetExecutionHistory"],
          ]);
          expect(statement.Resource).toBe(
            program.outputs.stateMachineArn.replace(":stateMachine:", ":execution:") + ":*",
          );
        } else {
          // Only log streams of the function's own group: arn:...:log-group:<own>:log-stream:*
          expect([policy, statement.Sid]).toEqual([policy, "WriteOwnLogGroup"]);
          expect(statement.Resource).toMatch(
            /^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:\/afu9\/[^*]+:log-stream:\*$/,
          );
        }
      }
      // Every role has exactly one inline policy, and roles are not shared between functions.
      const roles = resources("aws:lambda/function:Function").map((f) => f.inputs.role);
      expect(new Set(roles).size).toBe(6);
    });
  });
}
