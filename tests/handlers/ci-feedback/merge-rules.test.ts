import { decideMerge, mergeCommandOf } from "../../../handlers/ci-feedback/merge-rules";
import type {
  ApprovalEvaluation,
  CiEvaluation,
  PullRequestCommand,
  WorkflowState,
} from "../../../contract/state";

const HEAD = "c0ffee".padEnd(40, "0");

function ci(outcome: CiEvaluation["outcome"], pendingChecks: string[] = []): CiEvaluation {
  return { outcome, headSha: HEAD, headIsPatchCommit: true, failures: [], pendingChecks };
}

function approval(
  state: ApprovalEvaluation["state"],
  extra: Partial<ApprovalEvaluation> = {},
): ApprovalEvaluation {
  return {
    state,
    required: state === "missing" || state === "approved",
    approvedBy: state === "approved" ? ["maya"] : [],
    changesRequestedBy: state === "changes-requested" ? ["omar"] : [],
    staleApprovalsBy: [],
    ...extra,
  };
}

function command(name: PullRequestCommand["name"]): PullRequestCommand {
  return {
    name,
    args: "",
    by: "maya",
    pullNumber: 7,
    source: { kind: "issue_comment", id: 1 },
  };
}

describe("decideMerge", () => {
  it("green CI, automerge on, gate open: merge", () => {
    for (const state of ["approved", "not-required"] as const) {
      expect(
        decideMerge({
          ci: ci("success"),
          approval: approval(state),
          automerge: true,
          mergeCommand: false,
        }),
      ).toEqual({ action: "merge" });
    }
  });

  it("requireApproval without an approval: wait, naming the review it needs (and a stale one)", () => {
    const decision = decideMerge({
      ci: ci("success"),
      approval: approval("missing", { staleApprovalsBy: ["lee"] }),
      automerge: true,
      mergeCommand: false,
    });
    expect(decision).toEqual({
      action: "wait",
      missing: [
        "an approving review of c0ffee0 by someone with write access " +
          "(`automerge.requireApproval`) (@lee approved an older commit, which does not count)",
      ],
    });
  });

  it("changes requested: wait, naming who must approve", () => {
    expect(
      decideMerge({
        ci: ci("success"),
        approval: approval("changes-requested"),
        automerge: true,
        mergeCommand: false,
      }),
    ).toEqual({
      action: "wait",
      missing: [
        "@omar requested changes: merged only after they approve c0ffee0 or the review is dismissed",
      ],
    });
  });

  it("automerge off: disabled, whatever the reviews say", () => {
    for (const state of ["approved", "missing", "changes-requested"] as const) {
      expect(
        decideMerge({
          ci: ci("success"),
          approval: approval(state),
          automerge: false,
          mergeCommand: false,
        }),
      ).toEqual({ action: "disabled" });
    }
  });

  it("/afu9 merge overrides automerge: false, nothing else", () => {
    const base = { automerge: false, mergeCommand: true };
    expect(decideMerge({ ...base, ci: ci("success"), approval: approval("not-required") })).toEqual(
      { action: "merge" },
    );
    // Not requireApproval ...
    expect(decideMerge({ ...base, ci: ci("success"), approval: approval("missing") }).action).toBe(
      "wait",
    );
    // ... not changes requested ...
    expect(
      decideMerge({ ...base, ci: ci("success"), approval: approval("changes-requested") }).action,
    ).toBe("wait");
    // ... and not CI: pending CI and a missing approval are both named.
    expect(
      decideMerge({ ...base, ci: ci("pending", ["build"]), approval: approval("missing") }),
    ).toEqual({
      action: "wait",
      missing: [
        "green CI: still pending `build`",
        "an approving review of c0ffee0 by someone with write access (`automerge.requireApproval`)",
      ],
    });
  });
});

describe("mergeCommandOf", () => {
  const base = {} as WorkflowState;

  it("finds /afu9 merge on this wake first, then on the run", () => {
    const wake = command("merge");
    const run = { ...command("merge"), by: "omar" };
    expect(mergeCommandOf({ ...base, ciWake: { source: "command", command: wake } })).toBe(wake);
    expect(mergeCommandOf({ ...base, command: run })).toBe(run);
    expect(
      mergeCommandOf({ ...base, command: run, ciWake: { source: "command", command: wake } }),
    ).toBe(wake);
  });

  it("other commands, a CI wake, or a caught timeout are no merge request", () => {
    expect(mergeCommandOf(base)).toBeUndefined();
    expect(mergeCommandOf({ ...base, command: command("retry") })).toBeUndefined();
    expect(
      mergeCommandOf({ ...base, ciWake: { source: "command", command: command("stop") } }),
    ).toBeUndefined();
    expect(mergeCommandOf({ ...base, ciWake: { source: "check_suite" } })).toBeUndefined();
    expect(mergeCommandOf({ ...base, ciWake: { Error: "States.Timeout" } })).toBeUndefined();
  });
});
