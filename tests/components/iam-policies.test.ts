import {
  invokeBedrockModelStatement,
  invokeFunctionsStatement,
  leastPrivilegeViolations,
  partitionOf,
  type PolicyStatement,
  readSecretStatement,
  WILDCARD_RESOURCE_ACTIONS,
  writeOwnLogsStatement,
  xrayWriteStatement,
} from "../../components/iam-policies";

const statement = (Action: string[], Resource: string | string[]): PolicyStatement => ({
  Sid: "Probe",
  Effect: "Allow",
  Action,
  Resource,
});

describe("leastPrivilegeViolations", () => {
  it("flags wildcard actions", () => {
    expect(leastPrivilegeViolations(statement(["*"], "arn:aws:s3:::b"))).toEqual([
      "Probe: wildcard action *",
    ]);
    expect(
      leastPrivilegeViolations(statement(["lambda:*"], "arn:aws:lambda:eu-west-1:1:function:f")),
    ).toEqual(["Probe: wildcard action lambda:*"]);
  });

  it('flags Resource "*" for actions that have a narrower resource', () => {
    expect(leastPrivilegeViolations(statement(["lambda:InvokeFunction"], "*"))).toEqual([
      'Probe: Resource "*" for lambda:InvokeFunction',
    ]);
    expect(
      leastPrivilegeViolations(
        statement(["secretsmanager:GetSecretValue", "xray:PutTraceSegments"], ["*"]),
      ),
    ).toEqual(['Probe: Resource "*" for secretsmanager:GetSecretValue']);
  });

  it('accepts Resource "*" only for the listed actions (X-Ray, log delivery, VPC ENIs)', () => {
    expect(leastPrivilegeViolations(xrayWriteStatement())).toEqual([]);
    expect(Object.keys(WILDCARD_RESOURCE_ACTIONS).every((a) => /^(xray|logs|ec2):/.test(a))).toBe(
      true,
    );
  });
});

describe("statement builders", () => {
  it("scope logs to the function's own group and secrets to the one secret", () => {
    expect(writeOwnLogsStatement("arn:aws:logs:eu-west-1:1:log-group:/afu9/dev/x").Resource).toBe(
      "arn:aws:logs:eu-west-1:1:log-group:/afu9/dev/x:log-stream:*",
    );
    expect(readSecretStatement("arn:aws:secretsmanager:eu-west-1:1:secret:s").Resource).toBe(
      "arn:aws:secretsmanager:eu-west-1:1:secret:s",
    );
    expect(() => invokeFunctionsStatement([])).toThrow("no function ARNs");
  });

  it("scopes Bedrock to a foundation model, or to an inference profile and the model it routes to", () => {
    expect(
      invokeBedrockModelStatement("eu-central-1", "123456789012", "amazon.nova-pro-v1:0").Resource,
    ).toEqual(["arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-pro-v1:0"]);
    expect(
      invokeBedrockModelStatement(
        "us-east-1",
        "123456789012",
        "us.anthropic.claude-3-5-haiku-20241022-v1:0",
      ).Resource,
    ).toEqual([
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
    ]);
  });

  it("knows the partitions", () => {
    expect([
      partitionOf("eu-west-1"),
      partitionOf("cn-north-1"),
      partitionOf("us-gov-west-1"),
    ]).toEqual(["aws", "aws-cn", "aws-us-gov"]);
  });
});
