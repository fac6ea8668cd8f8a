// Loads the whole Pulumi program (index.ts) under mocks with a stack's config, once per test file.
import * as pulumi from "@pulumi/pulumi";
import { type Harness, installMocks, promiseOf, settle } from "./pulumi-harness";
import { rawStackConfig, secretKeys } from "./stack-config-fixture";

export interface ProgramOutputs {
  webhookUrl: string;
  stateMachineArn: string;
  dashboardUrl: string;
  secretArn: string;
  alarmTopicArn: string;
}

export interface LoadedProgram {
  harness: Harness;
  outputs: ProgramOutputs;
  raw: Record<string, string>;
}

export async function loadProgram(
  stack: string,
  overrides: Record<string, unknown> = {},
): Promise<LoadedProgram> {
  const raw = rawStackConfig(stack, overrides);
  const harness = installMocks(stack, raw["aws:region"]);
  pulumi.runtime.setAllConfig(raw, secretKeys(raw));
  const program = await import("../../../index");
  const outputs: ProgramOutputs = {
    webhookUrl: await promiseOf(program.webhookUrl),
    stateMachineArn: await promiseOf(program.stateMachineArn),
    dashboardUrl: await promiseOf(program.dashboardUrl),
    secretArn: await promiseOf(program.secretArn),
    alarmTopicArn: await promiseOf(program.alarmTopicArn),
  };
  await settle();
  return { harness, outputs, raw };
}
