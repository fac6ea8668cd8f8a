// The PR and CI handlers inside the real state machine definition (aws-local-stepfunctions via the
// local runner), against the simulator: the CI wait loop, head-moved back into the loop, the
// failure path, and a handler error reaching ReportFailure's issue comment through the
// Lambda-like error boundary. The analysis/patch/validation slices come from the harness (the
// interpreter and patch generator have their own tests).
import { createCiFeedbackHandler } from "../../../handlers/ci-feedback/lambda";
import { createPrCreatorHandler } from "../../../handlers/pr-creator/lambda";
import type { TaskDeps } from "../../../handlers/shared/types";
import type { ExecutionInput } from "../../../contract/state";
import type { TaskEvent } from "../../../contract/task-actions";
import {
  createStateMachineRunner,
  type ExecutionReport,
} from "../../../local/state-machine-runner";
import { buildStateMachineDefinition, RUN_LOCK_STATE_NAMES } from "../../../workflow";
import {
  LOCAL_RUN_TABLE_NAME,
  startLocalRunTable,
  type LocalRunTable,
} from "../../../local/factory/local-run-table";
import { OWNER, REPO, markedComments, startHarness, type Harness } from "./sim-harness";

const ARNS = {
  issueInterpreter: "arn:aws:lambda:eu-central-1:000000000000:function:test-interpreter",
  patchGenerator: "arn:aws:lambda:eu-central-1:000000000000:function:test-patch",
  prCreator: "arn:aws:lambda:eu-central-1:000000000000:function:test-pr",
  ciFeedback: "arn:aws:lambda:eu-central-1:000000000000:function:test-ci",
};

interface RunOptions {
  /** Called before each evaluate with its 1-based count and the PR head; scripts CI. */
  onEvaluate?: (count: number, headSha: string) => Promise<void> | void;
  deps?: TaskDeps;
}

// The run lock's DynamoDB states run on a local table (dynalite); the CI loop here is the poll one.
let table: LocalRunTable;
beforeAll(async () => {
  table = await startLocalRunTable();
});
afterAll(async () => {
  await table?.close();
});

async function runWorkflow(h: Harness, options: RunOptions = {}): Promise<ExecutionReport> {
  const deps = options.deps ?? h.deps;
  const ci = createCiFeedbackHandler(deps);
  let evaluations = 0;
  const ciWithScript = async (event: TaskEvent) => {
    if (event.action === "evaluate") {
      evaluations += 1;
      await options.onEvaluate?.(evaluations, event.state.pr!.headSha);
      // WaitForCI is scaled to 0 ms; the handler's clock moves one poll interval per visit.
      h.clock.advance(event.state.settings.ciPollSeconds);
    }
    return ci(event);
  };
  const runner = createStateMachineRunner({
    definition: buildStateMachineDefinition({
      functionArns: ARNS,
      ciPollSeconds: 60,
      ciMaxWaitSeconds: 3600,
      ciWaitMode: "poll",
      runLock: {
        tableName: LOCAL_RUN_TABLE_NAME,
        stateMachineArn: "arn:aws:states:eu-central-1:000000000000:stateMachine:test",
      },
    }),
    serviceIntegrations: {
      ...table.integrations,
      "arn:aws:states:::states:startExecution": async () => {
        throw new Error("no follow-up run is expected in these tests");
      },
    },
    tasks: {
      analyze: async () => h.state.analysis,
      generate: async () => h.state.patch,
      validate: async () => h.state.validation,
      // The analysis here allows no repair rounds, so RepairPatch is never entered.
      repair: async () => {
        throw new Error("RepairPatch was entered although the analysis allows no repair");
      },
      // No run here is started by a /afu9 command.
      revise: async () => {
        throw new Error("RevisePullRequest was entered although no command started the run");
      },
      [ARNS.prCreator]: createPrCreatorHandler(deps),
      [ARNS.ciFeedback]: ciWithScript,
    },
    waitScale: 0,
    retryDelayMs: 0,
  });
  const input: ExecutionInput = {
    delivery: { ...h.state.delivery, receivedAt: 1_790_000_000, fingerprint: "f".repeat(64) },
    installationId: h.state.installationId,
    repository: h.state.repository,
    issue: h.state.issue,
    sender: h.state.sender,
    settings: h.state.settings,
  };
  return runner.run(input);
}

/** The pipeline's states (the run lock's own are left out). */
const visited = (report: ExecutionReport) =>
  report.visits
    .map((v) => v.name)
    .filter((name) => !(RUN_LOCK_STATE_NAMES as readonly string[]).includes(name));

describe("PR and CI states in the state machine (simulator)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("pending, pending, success: the loop waits, then AutoMerge merges the passing sha", async () => {
    h = await startHarness();
    const report = await runWorkflow(h, {
      onEvaluate: (count, sha) => {
        if (count === 1) h.sim.setCheckRun(OWNER, REPO, sha, { name: "build", status: "queued" });
        if (count === 2)
          h.sim.setCheckRun(OWNER, REPO, sha, { name: "build", status: "in_progress" });
        if (count === 3)
          h.sim.setCheckRun(OWNER, REPO, sha, {
            name: "build",
            status: "completed",
            conclusion: "success",
          });
      },
    });
    expect(report.status).toBe("SUCCEEDED");
    expect(visited(report).filter((name) => name === "ProcessCIFeedback")).toHaveLength(3);
    expect(visited(report).slice(-3)).toEqual(["AutoMerge", "CheckMergeResult", "Merged"]);
    const output = report.output as {
      merge: { outcome: string; sha: string };
      pr: { headSha: string };
    };
    expect(output.merge).toEqual({ outcome: "merged", sha: output.pr.headSha });
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(true);
  });

  it("409 on the merge sends the run back to the CI loop; the new head is not auto-merged", async () => {
    h = await startHarness();
    let late: string | undefined;
    const racingDeps: TaskDeps = {
      ...h.deps,
      github: async (installationId) => {
        const octokit = await h.deps.github(installationId);
        octokit.hook.before("request", async (options) => {
          if (options.method === "PUT" && String(options.url).endsWith("/merge") && !late) {
            late = await h.commit(h.state.patch!.commitSha, { "NOTES.md": "late\n" }, "late push");
            await h.octokit.rest.git.updateRef({
              owner: OWNER,
              repo: REPO,
              ref: `heads/afu9/issue-${h.issueNumber}`,
              sha: late,
            });
          }
        });
        return octokit;
      },
    };
    const report = await runWorkflow(h, {
      deps: racingDeps,
      onEvaluate: (_count, sha) => {
        h.sim.setCheckRun(OWNER, REPO, late ?? sha, {
          name: "build",
          status: "completed",
          conclusion: "success",
        });
      },
    });
    expect(report.status).toBe("SUCCEEDED");
    expect(visited(report)).toEqual(
      expect.arrayContaining([
        "AutoMerge",
        "CheckMergeResult",
        "CountCIPoll",
        "WaitForCI",
        "ProcessCIFeedback",
      ]),
    );
    expect(visited(report).filter((name) => name === "AutoMerge")).toHaveLength(2);
    const output = report.output as {
      merge: { outcome: string };
      ci: { headSha: string; headIsPatchCommit: boolean };
    };
    expect(output.ci).toMatchObject({ headSha: late, headIsPatchCommit: false });
    expect(output.merge.outcome).toBe("disabled");
    const merges = h.sim.requests.filter(
      (r) => r.route === "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
    );
    expect(merges.map((r) => r.status)).toEqual([409]);
    expect(h.sim.listPulls(OWNER, REPO)[0].merged).toBe(false);
  });

  it("CI failure ends in PostFeedback with the feedback comment", async () => {
    h = await startHarness();
    const report = await runWorkflow(h, {
      onEvaluate: (_count, sha) => {
        h.sim.setCheckRun(OWNER, REPO, sha, {
          name: "test",
          status: "completed",
          conclusion: "failure",
        });
      },
    });
    expect(report.status).toBe("SUCCEEDED");
    expect(visited(report).slice(-2)).toEqual(["PostFeedback", "CIFailed"]);
    const pr = h.sim.listPulls(OWNER, REPO)[0];
    expect(markedComments(h, pr.number, "ci-feedback")[0].body).toContain(
      "| test | check | `failure` |",
    );
  });

  it("someone else's commit on the branch: CreatePullRequest stops, ReportFailure says why on the issue", async () => {
    h = await startHarness();
    const foreign = await h.commit(h.state.patch!.baseSha, { "NOTES.md": "human\n" }, "human work");
    await h.octokit.rest.git.createRef({
      owner: OWNER,
      repo: REPO,
      ref: `refs/heads/afu9/issue-${h.issueNumber}`,
      sha: foreign,
    });
    const report = await runWorkflow(h);
    expect(report.status).toBe("FAILED");
    expect(visited(report).slice(-3)).toEqual(["CreatePullRequest", "ReportFailure", "Failed"]);
    const [comment] = markedComments(h, h.issueNumber, "failure");
    expect(comment.body).toContain("**AFU-9 stopped** while opening the pull request");
    expect(comment.body).toContain("AFU9.BranchNotOwned");
    expect(comment.body).toContain("does not overwrite other people's work");
    expect(comment.body).not.toMatch(/\bat \w+ \(|__index|\.ts:\d+/);
    expect(h.sim.getRef(OWNER, REPO, `heads/afu9/issue-${h.issueNumber}`)).toBe(foreign);
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([]);
  });

  it("dry run through the whole machine: only comments are written", async () => {
    h = await startHarness({ dryRun: true });
    const mark = h.mark();
    const report = await runWorkflow(h);
    expect(report.status).toBe("SUCCEEDED");
    expect(visited(report).slice(-3)).toEqual(["CheckPatchValid", "DescribeDryRun", "DryRun"]);
    const writes = h.writesSince(mark);
    expect(writes).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201"]);
    expect(h.sim.listPulls(OWNER, REPO)).toEqual([]);
  });
});
