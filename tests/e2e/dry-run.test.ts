// Stack-wide dry run (`npm start -- --dry-run`): the whole pipeline runs, nothing is written to the
// repository's branches, no pull request is opened or merged; comments say what would happen.
import { README_TEST_HINT } from "../../local/factory/demo-issues";
import { createFactoryOutput } from "../../local/factory/output";
import { startSandbox, type Sandbox } from "../../local/factory/sandbox";
import { SETTINGS, TIME_SCALE, statesOf } from "./harness";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    settings: { ...SETTINGS, dryRun: true },
    timeScale: TIME_SCALE,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 100,
    githubRetryBaseMs: 5,
    validateResponses: true,
  });
});

afterAll(async () => {
  await sandbox?.close();
});

test("dry run: analysed and commented, no branch, no PR, no merge", async () => {
  const { sim, demo } = sandbox;
  const headBefore = sim.getRef(demo!.owner, demo!.repo, "heads/main");
  const issue = sim.createIssue(demo!.owner, demo!.repo, {
    ...README_TEST_HINT,
    user: "demo-maintainer",
    labels: ["afu9"],
    authorAssociation: "MEMBER",
  });
  await sandbox.settle();
  const [run] = sandbox.factory.executions();
  const states = statesOf(run);
  // No PR means no CI: the run ends in its own DryRun state.
  expect(states).toEqual([
    "AnalyzeIssue",
    "CheckIfActionable",
    "GeneratePatch",
    "ValidatePatch",
    "CheckPatchValid",
    "DescribeDryRun",
    "DryRun",
  ]);
  expect(states).not.toContain("AutoMerge");
  const comments = sim.listIssueComments(demo!.owner, demo!.repo, issue.number).map((c) => c.body);
  const prComment = comments.find((c) => c.includes("<!-- afu9:pull-request -->")) ?? "";
  expect(prComment).toContain("Dry run");
  expect(prComment).toContain(`afu9/issue-${issue.number}`);
  // The switch that is on, named the way it was set here (the local flag) and on AWS.
  expect(prComment).toContain("`npm start -- --dry-run`");
  expect(prComment).toContain("`pulumi config set dryRun false`");
  expect(prComment).not.toContain(".github/afu9.yml");
  expect(sim.listPulls(demo!.owner, demo!.repo)).toEqual([]);
  expect(sim.getRef(demo!.owner, demo!.repo, `heads/afu9/issue-${issue.number}`)).toBeUndefined();
  expect(sim.getRef(demo!.owner, demo!.repo, "heads/main")).toBe(headBefore);
});
