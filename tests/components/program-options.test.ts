// The program with the optional parts switched on: VPC placement, Bedrock, alarm e-mail and a
// webhook secret rotation in progress.
import { leastPrivilegeViolations, type PolicyDocument } from "../../components/iam-policies";
import { secretBundle } from "../../components/app-secret";
import { ACCOUNT_ID, named, ofType } from "./support/pulumi-harness";
import { type LoadedProgram, loadProgram } from "./support/program";
import { allStatements } from "./support/program-expectations";
import { SECRET_NEEDLES, TEST_SECRETS } from "./support/stack-config-fixture";

const PROFILE = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0";
let program: LoadedProgram;

beforeAll(async () => {
  program = await loadProgram("dev", {
    vpcEnabled: true,
    aiProvider: "bedrock",
    bedrockModelId: PROFILE,
    patchGeneratorTimeoutSeconds: "300",
    alarmEmail: "platform@example.com",
    githubWebhookSecretPrevious: TEST_SECRETS.githubWebhookSecretPrevious,
  });
  // Tracing six archives (@vercel/nft) takes over 30 s on a busy 2-core machine.
}, 120_000);

describe("the program with VPC, Bedrock, alarm e-mail and secret rotation", () => {
  it("builds a VPC with private subnets behind one NAT gateway and an HTTPS-only security group", () => {
    const [vpc] = ofType(program.harness, "awsx:ec2:Vpc");
    expect(vpc.inputs).toMatchObject({
      numberOfAvailabilityZones: 2,
      natGateways: { strategy: "Single" },
      subnetSpecs: [
        { type: "Private", cidrMask: 20 },
        { type: "Public", cidrMask: 24 },
      ],
    });
    const group = named(
      program.harness,
      "aws:ec2/securityGroup:SecurityGroup",
      "afu9-functions",
    ).inputs;
    expect(group.vpcId).toBe("vpc-0123");
    expect(group.ingress).toEqual([]);
    expect(group.egress).toEqual([
      {
        description: "HTTPS to GitHub and AWS APIs",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["0.0.0.0/0"],
        ipv6CidrBlocks: ["::/0"],
      },
    ]);
  });

  it("places every function in the private subnets with that group and lets it manage its ENIs", () => {
    const fns = ofType(program.harness, "aws:lambda/function:Function");
    expect(fns).toHaveLength(6);
    for (const fn of fns) {
      expect(fn.inputs.vpcConfig).toEqual({
        subnetIds: ["subnet-priv-a", "subnet-priv-b"],
        securityGroupIds: ["afu9-functions-id"],
      });
      const policy: PolicyDocument = JSON.parse(
        named(program.harness, "aws:iam/rolePolicy:RolePolicy", `${fn.name}-policy`).inputs.policy,
      );
      expect(policy.Statement.map((s) => s.Sid)).toContain("ManageVpcNetworkInterfaces");
    }
    expect(
      allStatements(program).flatMap(({ statement }) => leastPrivilegeViolations(statement)),
    ).toEqual([]);
  });

  it("lets only the patch generator invoke the configured inference profile and its model", () => {
    const withBedrock = allStatements(program).filter(({ statement }) =>
      statement.Action.some((action) => action.startsWith("bedrock:")),
    );
    expect(withBedrock).toEqual([
      {
        policy: "afu9-patch-generator-policy",
        statement: {
          Sid: "InvokeConfiguredBedrockModel",
          Effect: "Allow",
          Action: ["bedrock:InvokeModel"],
          Resource: [
            `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:inference-profile/${PROFILE}`,
            "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0",
          ],
        },
      },
    ]);
    const patch = named(program.harness, "aws:lambda/function:Function", "afu9-patch-generator");
    expect(JSON.parse(patch.inputs.environment.variables.AFU9_AI_CONFIG)).toEqual({
      provider: "bedrock",
      bedrockModelId: PROFILE,
    });
  });

  it("subscribes the alarm e-mail to the topic", () => {
    expect(
      ofType(program.harness, "aws:sns/topicSubscription:TopicSubscription")
        .map((s) => s.inputs)
        .filter((inputs) => inputs.protocol === "email"),
    ).toEqual([
      { topic: program.outputs.alarmTopicArn, protocol: "email", endpoint: "platform@example.com" },
    ]);
  });

  it("stores the previous webhook secret in the bundle, and no secret anywhere else", () => {
    const [version] = ofType(program.harness, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(JSON.parse(version.inputs.secretString.value)).toEqual({
      githubAppPrivateKey: TEST_SECRETS.githubAppPrivateKey,
      githubWebhookSecret: TEST_SECRETS.githubWebhookSecret,
      githubWebhookSecretPrevious: TEST_SECRETS.githubWebhookSecretPrevious,
    });
    const others = JSON.stringify(
      program.harness.resources.filter((r) => r !== version).map((r) => r.inputs),
    );
    for (const needle of SECRET_NEEDLES) expect(others).not.toContain(needle);
  });
});

describe("secretBundle", () => {
  it("leaves out empty optional fields and keeps the AI key when given", () => {
    expect(
      secretBundle({
        githubAppPrivateKey: "k",
        githubWebhookSecret: "w",
        githubWebhookSecretPrevious: "",
        aiApiKey: "",
      }),
    ).toEqual({ githubAppPrivateKey: "k", githubWebhookSecret: "w" });
    expect(
      secretBundle({
        githubAppPrivateKey: "k",
        githubWebhookSecret: "w",
        githubWebhookSecretPrevious: "p",
        aiApiKey: "a",
      }),
    ).toEqual({
      githubAppPrivateKey: "k",
      githubWebhookSecret: "w",
      githubWebhookSecretPrevious: "p",
      aiApiKey: "a",
    });
  });
});
