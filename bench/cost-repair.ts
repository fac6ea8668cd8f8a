// Cost of a repaired issue, counted on one real run: the sandbox (local factory + GitHub
// simulator, the real webhook, definition and handler modules) with the scripted model server as
// its AI provider and CI that judges the pushed content. The model writes the change, its first
// commit fails CI, the repair commit passes, the PR is merged. Counted: state transitions (states
// entered plus retries, from the visit record), Lambda invocations (calls of the task functions,
// by action), and from the model server: calls and tokens. Priced with the Step
// Functions and Lambda request prices of cost-per-issue.ts (durations are the in-process ones
// against the simulator, so no GB-seconds are claimed here).
import { FRIENDLIER_GREETING, repairDemoScript, TYPO_RULE } from "../local/factory/repair-demo";
import { DEMO_CHECKS, DEMO_MAINTAINER } from "../local/factory/sandbox";
import { startModelServer } from "../local/model-server";
import { startBenchSandbox } from "./bench-sandbox";
import { PRICES } from "./cost-per-issue";
import { round } from "./stats";

export interface RepairCostCheck {
  status: string;
  last: string;
  repairRounds: number;
  ciVerdicts: number;
  stateTransitions: number;
  taskInvocations: number;
  invocationsByAction: Record<string, number>;
  modelCalls: number;
  modelTokens: { input: number; output: number };
  usd: { stepFunctions: number; lambdaRequests: number };
  wallMs: number;
}

export async function runRepairCostCheck(timeScale = 0.01): Promise<RepairCostCheck> {
  const model = await startModelServer(repairDemoScript());
  const actions: Record<string, number> = {};
  const sandbox = await startBenchSandbox({
    timeScale,
    ciDelayMs: 200,
    ai: { url: model.url },
    onTask: ({ action }) => {
      actions[action] = (actions[action] ?? 0) + 1;
    },
  }).catch(async (error: unknown) => {
    await model.close();
    throw error;
  });
  try {
    const { owner, repo } = sandbox.demo!;
    sandbox.sim.programCi(owner, repo, {
      checks: DEMO_CHECKS,
      outcome: "success",
      delayMs: 200,
      rules: [TYPO_RULE],
    });
    const t0 = performance.now();
    sandbox.sim.createIssue(owner, repo, {
      ...FRIENDLIER_GREETING,
      user: DEMO_MAINTAINER,
      labels: ["afu9"],
      authorAssociation: "MEMBER",
    });
    await sandbox.settle();
    const wallMs = performance.now() - t0;
    const [execution] = sandbox.factory.executions();
    const visits = execution?.report?.visits ?? [];
    const retries = visits.reduce((sum, v) => sum + v.retries, 0);
    const stateTransitions = visits.length + retries;
    // Lambda invocations as the task functions saw them (retries included); the run lock's
    // DynamoDB Task states are service integrations, not invocations.
    const taskInvocations = Object.values(actions).reduce((sum, n) => sum + n, 0);
    const names = visits.map((v) => v.name);
    const modelTokens = model.requests.reduce(
      (sum, r) => ({
        input: sum.input + (r.usage?.input ?? 0),
        output: sum.output + (r.usage?.output ?? 0),
      }),
      { input: 0, output: 0 },
    );
    return {
      status: execution?.status ?? "none",
      last: names.at(-1) ?? "",
      repairRounds: names.filter((n) => n === "RepairPatch").length,
      ciVerdicts: names.filter(
        (n, i) =>
          names[i - 1] === "CheckCIStatus" &&
          ["RepairPatch", "AutoMerge", "PostFeedback"].includes(n),
      ).length,
      stateTransitions,
      taskInvocations,
      invocationsByAction: actions,
      modelCalls: model.requests.length,
      modelTokens,
      usd: {
        stepFunctions: round(stateTransitions * PRICES.stepFunctionsPerTransition, 6),
        lambdaRequests: round(taskInvocations * PRICES.lambdaPerRequest, 6),
      },
      wallMs: round(wallMs, 0),
    };
  } finally {
    await sandbox.close();
    await model.close();
  }
}
