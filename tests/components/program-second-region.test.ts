// Disaster recovery: the same program as a second stack in another region (prod's config, a
// stack of its own) synthesizes beside prod with no name collision. IAM names are global per
// account, so no role or policy may carry an explicit name; every explicit name of the second
// stack differs from prod's.
import type { RecordedResource } from "./support/pulumi-harness";

async function synthesize(stack: string, region: string): Promise<RecordedResource[]> {
  jest.resetModules();
  const pulumi = await import("@pulumi/pulumi");
  const { installMocks, promiseOf, settle } = await import("./support/pulumi-harness");
  const { rawStackConfig, secretKeys } = await import("./support/stack-config-fixture");
  const raw = rawStackConfig("prod", { "aws:region": region });
  const harness = installMocks(stack, region);
  pulumi.runtime.setAllConfig(raw, secretKeys(raw));
  const program = await import("../../index");
  await promiseOf(program.stateMachineArn);
  await settle();
  return harness.resources;
}

/** Names that live inside their parent (the API's `$default` stage), not in the region. */
const SCOPED_TO_PARENT = ["aws:apigatewayv2/stage:Stage"];

const explicitNames = (resources: RecordedResource[]) =>
  resources
    .filter((r) => !SCOPED_TO_PARENT.includes(r.type))
    .filter((r) => typeof r.inputs.name === "string" || typeof r.inputs.dashboardName === "string")
    .map((r) => `${r.type} ${r.inputs.name ?? r.inputs.dashboardName}`);

test("a second stack in us-east-1 synthesizes with no name in common with prod", async () => {
  const prod = await synthesize("prod", "eu-central-1");
  const recovery = await synthesize("prod-dr", "us-east-1");
  expect(recovery.length).toBe(prod.length);
  const prodNames = new Set(explicitNames(prod));
  expect(explicitNames(recovery).filter((name) => prodNames.has(name))).toEqual([]);
  // Account-global resources are auto-named (a random suffix per stack).
  for (const resource of [...prod, ...recovery]) {
    if (resource.type.startsWith("aws:iam/")) expect(resource.inputs.name).toBeUndefined();
  }
  const machine = recovery.find((r) => r.type === "aws:sfn/stateMachine:StateMachine");
  expect(machine?.inputs.name).toBe("afu9-prod-dr");
}, 180_000);
