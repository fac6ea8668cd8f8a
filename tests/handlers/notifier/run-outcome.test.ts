import { REPORT_FAILURE_STATE } from "../../../contract/notifications";
import { WORKFLOW_STATE_NAMES } from "../../../workflow";
import { runOutcome } from "../../../contract/run-outcome";
import { CI_FAILED, INPUT, MERGED, succeeded } from "./fixtures";

const ci = (outcome: "success" | "failure" | "pending" | "no-ci" | "timeout") => ({
  outcome,
  headSha: "abc",
  headIsPatchCommit: true,
  failures: [],
  pendingChecks: [],
});

describe("runOutcome", () => {
  it("names each way a run ends", () => {
    const cases: [ReturnType<typeof succeeded>, string][] = [
      [MERGED, "merged"],
      [CI_FAILED, "ci-failed"],
      [
        succeeded({
          ci: ci("failure"),
          repair: {
            outcome: "stopped",
            rounds: [
              { round: 1, signature: "s", failed: ["test"], files: ["a.js"], tokens: 10, calls: 1 },
            ],
            stop: "same-failure",
            usage: { calls: 2, inputTokens: 10, outputTokens: 1 },
            budget: { maxCalls: 3, maxTokens: 1000 },
          },
        }),
        "repair-exhausted",
      ],
      [succeeded({ ci: ci("success"), merge: { outcome: "disabled" } }), "needs-approval"],
      [
        succeeded({
          ci: ci("success"),
          merge: { outcome: "not-mergeable", reason: "review required" },
        }),
        "needs-approval",
      ],
      [succeeded({ ci: ci("timeout") }), "timed-out"],
      // The review gate held green CI back until the wait ended.
      [
        succeeded({
          ci: {
            ...ci("timeout"),
            approval: {
              state: "missing",
              required: true,
              approvedBy: [],
              changesRequestedBy: [],
              staleApprovalsBy: [],
            },
          },
        }),
        "needs-approval",
      ],
      [
        succeeded({
          ci: ci("success"),
          merge: { outcome: "waiting", reason: "@omar requested changes" },
        }),
        "needs-approval",
      ],
      // A wait for reviews earlier in the run does not hide a later CI timeout.
      [
        succeeded({ ci: ci("pending"), merge: { outcome: "waiting", reason: "review" } }),
        "timed-out",
      ],
      [succeeded({ ci: ci("no-ci") }), "timed-out"],
      [succeeded({ ci: ci("pending") }), "timed-out"],
      [succeeded({ ci: ci("success"), merge: { outcome: "head-moved" } }), "timed-out"],
      [succeeded({ ci: ci("success"), merge: { outcome: "dry-run" } }), "dry-run"],
      [
        succeeded({
          analysis: {
            type: "question",
            priority: "P3",
            actionable: false,
            reasons: [],
            plan: null,
            config: null,
            textSha256: "0".repeat(64),
          },
        }),
        "not-actionable",
      ],
      [succeeded({ validation: { valid: false, violations: [] } }), "patch-rejected"],
      [succeeded({ ci: ci("pending"), stopped: { by: "maintainer" } }), "stopped"],
      [
        succeeded({
          ci: ci("pending"),
          revision: { outcome: "refused", files: [], reason: "no diff" },
        }),
        "revision-refused",
      ],
      // Ended at the lock (coalesced, a command queued or answered busy): no work of its own.
      [{ status: "SUCCEEDED", state: INPUT }, "not-run"],
      // A pushed revision ends like any run: by its CI and its merge.
      [
        succeeded({
          ci: ci("success"),
          revision: { outcome: "pushed", headSha: "abc", files: ["a.js"] },
          merge: { outcome: "merged", sha: "abc" },
        }),
        "merged",
      ],
    ];
    for (const [end, outcome] of cases)
      expect([outcome, runOutcome(end).outcome]).toEqual([outcome, outcome]);
  });

  it("carries the failing checks of a CI failure only", () => {
    expect(runOutcome(CI_FAILED).failingChecks).toHaveLength(2);
    expect(runOutcome(MERGED).failingChecks).toEqual([]);
  });

  it("reports failed, timed-out and aborted executions, with the task's error message", () => {
    const failed = runOutcome({
      status: "FAILED",
      state: {
        ...INPUT,
        error: {
          Error: "AFU9.PullRequestRefused",
          Cause: JSON.stringify({
            errorType: "AFU9.PullRequestRefused",
            errorMessage: "GitHub said no\nmore",
          }),
        },
      },
      error: { Error: "AFU9.WorkflowFailed" },
    });
    expect(failed).toEqual({
      outcome: "failed",
      reason: "AFU9.PullRequestRefused: GitHub said no",
      failingChecks: [],
    });
    expect(runOutcome({ status: "TIMED_OUT", state: INPUT }).outcome).toBe("timed-out");
    expect(runOutcome({ status: "ABORTED", state: INPUT }).outcome).toBe("failed");
  });
});

describe("the names the notifier relies on", () => {
  it("ReportFailure is a state of the definition (a failed run's state is its input)", () => {
    expect(WORKFLOW_STATE_NAMES).toContain(REPORT_FAILURE_STATE);
  });
});
