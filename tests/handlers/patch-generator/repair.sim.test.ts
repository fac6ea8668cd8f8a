// RepairPatch against the GitHub simulator with Amazon Bedrock as the model (aws-sdk-client-mock):
// the round reads the failing check's output, annotations and Actions job log, pushes one
// fast-forward commit on AFU-9's own head, and stops without calling the model when the rounds or
// the budget are used up, or without pushing when the edit would weaken an existing test.
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { mockClient } from "aws-sdk-client-mock";
import type { Octokit } from "@octokit/rest";
import type { RepairState, WorkflowState } from "../../../contract/state";
import type { AiLimits } from "../../../handlers/patch-generator/ai/ai-strategy";
import { createBedrockProvider } from "../../../handlers/patch-generator/ai/bedrock";
import { repairPullRequest } from "../../../handlers/patch-generator/repair/repair";
import type { TaskDeps } from "../../../handlers/shared/types";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { TYPO_FAILURE, TYPO_FIX, TYPO_RULE } from "../../../local/factory/repair-demo";
import { analysedState } from "../../support/run-state";
import { simulatorTaskDeps } from "../../support/task-deps";

const OWNER = "acme";
const REPO = "greeter";
const BRANCH = "afu9/issue-1";
const BASE = {
  "src/greet.js": 'function greet(name) {\n  return "Hello, " + name;\n}\n',
  "test/greet.test.js": 'test("greets", () => expect(greet("Ada")).toBe("Hello, Ada!"));\n',
};
const LIMITS: AiLimits = {
  maxCalls: 4,
  maxTokens: 20_000,
  maxOutputTokens: 1024,
  maxFiles: 4,
  maxFileBytes: 10_000,
};

const bedrock = mockClient(BedrockRuntimeClient);
const converseAnswer = (text: string) => ({
  output: { message: { role: "assistant" as const, content: [{ text }] } },
  stopReason: "end_turn" as const,
  usage: { inputTokens: 900, outputTokens: 40, totalTokens: 940 },
  metrics: { latencyMs: 10 },
});
const model = () => ({
  provider: createBedrockProvider({
    modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    region: "eu-central-1",
    timeoutMs: 5000,
    client: new BedrockRuntimeClient({ region: "eu-central-1" }),
  }),
  limits: LIMITS,
});

interface World {
  sim: GitHubSimulator;
  octokit: Octokit;
  deps: TaskDeps;
  state: WorkflowState;
  headSha: string;
}

let world: World;

async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the scripted CI");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A repository with AFU-9's red PR: the patch commit has the typo, CI judged it. */
async function redPullRequest(): Promise<World> {
  const sim = await startGitHubSimulator();
  const installation = sim.createInstallation(OWNER);
  const repo = sim.createRepository({
    owner: OWNER,
    name: REPO,
    installationId: installation.id,
    files: BASE,
  });
  sim.programCi(OWNER, REPO, {
    checks: ["test"],
    outcome: "success",
    delayMs: 5,
    rules: [TYPO_RULE],
  });
  const headSha = sim.pushCommit(OWNER, REPO, BRANCH, {
    "src/greet.js": 'function greet(name) {\n  return "Helo, " + name + "!";\n}\n',
  });
  const github = simulatorClientFactory(sim);
  const octokit = await github(installation.id);
  const { data: pull } = await octokit.rest.pulls.create({
    owner: OWNER,
    repo: REPO,
    head: BRANCH,
    base: "main",
    title: "AFU-9: greeting",
    body: `<!-- afu9:patch-commit ${headSha} -->\nCloses #1`,
  });
  await waitFor(() => sim.events.some((e) => e.event === "check_run" && e.action === "completed"));
  const deps = simulatorTaskDeps(sim, github);
  const issueTitle = "Greeting should end with an exclamation mark";
  const issueBody = "greet(name) should return `Hello, <name>!`.";
  const issue = sim.createIssue(OWNER, REPO, {
    title: issueTitle,
    body: issueBody,
    user: "maintainer",
    labels: ["afu9"],
    authorAssociation: "MEMBER",
  });
  const state = {
    ...analysedState({
      installationId: installation.id,
      repository: { id: repo.id, owner: OWNER, name: REPO },
      issue: { number: issue.number, title: issueTitle, body: issueBody },
      author: { login: "maintainer", association: "MEMBER" },
      delivery: { id: "d1" },
      settings: { ciMaxWaitSeconds: 1800 },
      analysis: {
        type: "feature",
        priority: "P3",
        plan: { strategy: "ai", files: ["src/greet.js"] },
        repair: { maxRounds: 2 },
      },
    }),
    patch: {
      commitSha: headSha,
      baseSha: repo.headSha,
      strategy: "ai",
      files: [{ path: "src/greet.js", change: "modified", additions: 1, deletions: 1 }],
      usage: { calls: 1, inputTokens: 1000, outputTokens: 50 },
    },
    pr: {
      number: pull.number,
      url: pull.html_url,
      branch: BRANCH,
      headSha,
      created: true,
      openedAt: new Date().toISOString(),
    },
    ci: {
      outcome: "failure",
      headSha,
      headIsPatchCommit: true,
      failures: [{ kind: "check", name: "test", conclusion: "failure" }],
      pendingChecks: [],
    },
  } as WorkflowState;
  return { sim, octokit, deps, state, headSha };
}

beforeEach(async () => {
  world = await redPullRequest();
});

afterEach(async () => {
  bedrock.reset();
  await world.sim.close();
});

afterAll(() => bedrock.restore());

function branchHead(): string {
  return world.sim.getRef(OWNER, REPO, `heads/${BRANCH}`)!;
}

test("one round: the evidence reaches Bedrock, one fast-forward commit lands on AFU-9's head", async () => {
  bedrock.on(ConverseCommand).resolves(converseAnswer(TYPO_FIX));
  const repair = await repairPullRequest(world.state, world.deps, model());

  expect(repair).toMatchObject({
    outcome: "pushed",
    rounds: [{ round: 1, failed: ["test"], files: ["src/greet.js"], tokens: 940, calls: 1 }],
    usage: { calls: 2, inputTokens: 1900, outputTokens: 90 },
    budget: { maxCalls: 4, maxTokens: 20_000 },
  });
  expect(branchHead()).toBe(repair.headSha);
  const { data: commit } = await world.octokit.rest.git.getCommit({
    owner: OWNER,
    repo: REPO,
    commit_sha: repair.headSha!,
  });
  expect(commit.parents.map((p) => p.sha)).toEqual([world.headSha]);
  expect(world.sim.readTree(OWNER, REPO, repair.headSha!)["src/greet.js"]).toContain(
    '"Hello, " + name + "!"',
  );

  const [call] = bedrock.commandCalls(ConverseCommand);
  const prompt = JSON.stringify(call.args[0].input.messages);
  expect(prompt).toContain(`src/greet.js:2: AssertionError: ${TYPO_FAILURE}`.replace(/"/g, '\\"'));
  expect(prompt).toContain("Job log around the errors");
  expect(prompt).toContain("##[error]");

  const { data: pull } = await world.octokit.rest.pulls.get({
    owner: OWNER,
    repo: REPO,
    pull_number: world.state.pr!.number,
  });
  expect(pull.body).toContain(`<!-- afu9:patch-commit ${repair.headSha} -->`);
  expect(pull.body).toContain("_Self-repair: 1 round(s) of at most 2 ran on red CI._");
});

test("rounds used up: stops without calling the model", async () => {
  const earlier: RepairState = {
    outcome: "pushed",
    rounds: [1, 2].map((round) => ({
      round,
      signature: `sig-${round}`,
      failed: ["test"],
      files: ["src/greet.js"],
      tokens: 100,
      calls: 1,
      commitSha: world.headSha,
    })),
    headSha: world.headSha,
    usage: { calls: 3, inputTokens: 1200, outputTokens: 100 },
    budget: { maxCalls: 4, maxTokens: 20_000 },
  };
  const repair = await repairPullRequest({ ...world.state, repair: earlier }, world.deps, model());
  expect(repair).toMatchObject({ outcome: "stopped", stop: "rounds-used-up" });
  expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
  expect(branchHead()).toBe(world.headSha);
});

test("budget: a prompt that does not fit what is left is never sent", async () => {
  const state = {
    ...world.state,
    patch: { ...world.state.patch!, usage: { calls: 1, inputTokens: 19_500, outputTokens: 300 } },
  };
  const repair = await repairPullRequest(state, world.deps, model());
  expect(repair).toMatchObject({ outcome: "stopped", stop: "budget" });
  expect(repair.stopReason).toMatch(/needs ~\d+ tokens and 200 of 20000 are left/);
  expect(repair.usage.inputTokens + repair.usage.outputTokens).toBeLessThanOrEqual(20_000);
  expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
});

test("an edit to an existing test the patch did not create is refused, nothing pushed", async () => {
  bedrock
    .on(ConverseCommand)
    .resolves(
      converseAnswer(
        [
          "test/greet.test.js",
          "<<<<<<< SEARCH",
          'test("greets", () => expect(greet("Ada")).toBe("Hello, Ada!"));',
          "=======",
          'test.skip("greets", () => expect(greet("Ada")).toBe("Hello, Ada!"));',
          ">>>>>>> REPLACE",
          "",
        ].join("\n"),
      ),
    );
  const repair = await repairPullRequest(world.state, world.deps, model());
  expect(repair).toMatchObject({ outcome: "stopped", stop: "tests-weakened" });
  expect(repair.stopReason).toContain("tests-weakened (test/greet.test.js)");
  expect(repair.rounds).toHaveLength(1);
  expect(repair.rounds[0].commitSha).toBeUndefined();
  expect(branchHead()).toBe(world.headSha);
});

test("someone else's commit on the branch: nothing is pushed on top of it", async () => {
  bedrock.on(ConverseCommand).resolves(converseAnswer(TYPO_FIX));
  const foreign = world.sim.pushCommit(OWNER, REPO, BRANCH, { "NOTES.md": "mine\n" });
  const state = { ...world.state, ci: { ...world.state.ci!, headSha: foreign } };
  await expect(repairPullRequest(state, world.deps, model())).rejects.toMatchObject({
    name: "AFU9.BranchNotOwned",
  });
  expect(branchHead()).toBe(foreign);
});
