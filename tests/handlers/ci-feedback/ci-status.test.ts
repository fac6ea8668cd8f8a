import fc from "fast-check";
import {
  CI_LIST_LIMIT,
  FAILING_CHECK_CONCLUSIONS,
  PASSING_CHECK_CONCLUSIONS,
  classifyCiSignals,
  decideCiOutcome,
  latestCheckRunPerName,
  type CheckRunSignal,
  type CiSignals,
  type StatusSignal,
} from "../../../handlers/ci-feedback/ci-status";

let nextId = 1;
function check(name: string, conclusion: string | null, status = "completed"): CheckRunSignal {
  nextId += 1;
  return {
    id: nextId,
    name,
    status,
    conclusion,
    summary: `${name} says ${conclusion}`,
    url: `https://ci.example/${name}`,
  };
}
function status(context: string, state: string): StatusSignal {
  return {
    context,
    state,
    description: `${context} is ${state}`,
    url: `https://ci.example/s/${context}`,
  };
}
function signals(partial: Partial<CiSignals>): CiSignals {
  return { checkRuns: [], statuses: [], requiredChecks: [], ...partial };
}
const early = { elapsedSeconds: 10, ciNoChecksGraceSeconds: 300, ciMaxWaitSeconds: 3600 };

describe("CI verdict", () => {
  it.each(FAILING_CHECK_CONCLUSIONS)("a check concluded %s makes the commit red", (conclusion) => {
    const verdict = classifyCiSignals(
      signals({ checkRuns: [check("build", "success"), check("test", conclusion)] }),
    );
    expect(verdict.outcome).toBe("failure");
    expect(verdict.failures).toEqual([
      {
        kind: "check",
        name: "test",
        conclusion,
        summary: `test says ${conclusion}`,
        url: "https://ci.example/test",
      },
    ]);
  });

  it.each(["failure", "error"])("a status %s makes the commit red", (state) => {
    const verdict = classifyCiSignals(
      signals({ checkRuns: [check("build", "success")], statuses: [status("ci/legacy", state)] }),
    );
    expect(verdict.outcome).toBe("failure");
    expect(verdict.failures.map((f) => [f.kind, f.name, f.conclusion])).toEqual([
      ["status", "ci/legacy", state],
    ]);
  });

  it("neutral and skipped checks pass", () => {
    const verdict = classifyCiSignals(
      signals({
        checkRuns: [
          check("build", "success"),
          check("lint", "neutral"),
          check("deploy", "skipped"),
        ],
        statuses: [status("ci/x", "success")],
      }),
    );
    expect(verdict).toEqual({
      outcome: "success",
      failures: [],
      pendingChecks: [],
      noSignals: false,
    });
  });

  it("a running check or pending status keeps it pending, and a failure elsewhere still wins", () => {
    expect(
      classifyCiSignals(
        signals({ checkRuns: [check("build", null, "in_progress"), check("lint", "success")] }),
      ),
    ).toMatchObject({
      outcome: "pending",
      pendingChecks: ["build"],
    });
    expect(
      classifyCiSignals(
        signals({ checkRuns: [check("lint", "success")], statuses: [status("ci/x", "pending")] }),
      ).outcome,
    ).toBe("pending");
    expect(
      classifyCiSignals(
        signals({ checkRuns: [check("build", null, "queued"), check("test", "failure")] }),
      ).outcome,
    ).toBe("failure");
  });

  it("an unknown conclusion is not green", () => {
    const verdict = classifyCiSignals(signals({ checkRuns: [check("odd", "something_new")] }));
    expect(verdict.outcome).toBe("pending");
    expect(verdict.pendingChecks).toEqual(["odd"]);
  });

  it("a required check that has not reported keeps it pending", () => {
    const verdict = classifyCiSignals(
      signals({ checkRuns: [check("build", "success")], requiredChecks: ["build", "security"] }),
    );
    expect(verdict.outcome).toBe("pending");
    expect(verdict.pendingChecks).toEqual(["security (required, not reported yet)"]);
    // Satisfied by a commit status of that name as well as by a check run.
    const satisfied = classifyCiSignals(
      signals({
        checkRuns: [check("build", "success")],
        statuses: [status("security", "success")],
        requiredChecks: ["build", "security"],
      }),
    );
    expect(satisfied.outcome).toBe("success");
  });

  it("only the latest run per check name counts (re-runs)", () => {
    const old = { ...check("test", "failure"), id: 10 };
    const rerun = { ...check("test", "success"), id: 11 };
    expect(latestCheckRunPerName([rerun, old])).toEqual([rerun]);
    expect(classifyCiSignals(signals({ checkRuns: [rerun, old] })).outcome).toBe("success");
    expect(classifyCiSignals(signals({ checkRuns: [{ ...old, id: 12 }, rerun] })).outcome).toBe(
      "failure",
    );
  });

  it("keeps at most CI_LIST_LIMIT failures and pending names (state size), the verdict counts all", () => {
    const runs = Array.from({ length: 150 }, (_, i) =>
      check(`job-${String(i).padStart(3, "0")}`, "failure"),
    );
    const verdict = classifyCiSignals(signals({ checkRuns: runs }));
    expect(verdict.outcome).toBe("failure");
    expect(verdict.failures).toHaveLength(CI_LIST_LIMIT);
    const pending = Array.from({ length: 150 }, (_, i) => check(`p-${i}`, null, "queued"));
    expect(classifyCiSignals(signals({ checkRuns: pending })).pendingChecks).toHaveLength(
      CI_LIST_LIMIT,
    );
  });

  it("long summaries are cut for the comment", () => {
    const run = { ...check("test", "failure"), summary: "x".repeat(2000) };
    const summary = classifyCiSignals(signals({ checkRuns: [run] })).failures[0].summary ?? "";
    expect(summary.length).toBeLessThanOrEqual(501);
    expect(summary.endsWith("…")).toBe(true);
  });

  it("property: green only when every check and status passed and every required one reported", () => {
    const conclusion = fc.constantFrom(
      ...FAILING_CHECK_CONCLUSIONS,
      ...PASSING_CHECK_CONCLUSIONS,
      null,
      "weird",
    );
    const run = fc.record({
      id: fc.integer({ min: 1, max: 1000 }),
      name: fc.constantFrom("a", "b", "c", "d"),
      status: fc.constantFrom("queued", "in_progress", "completed"),
      conclusion,
    });
    const st = fc.record({
      context: fc.constantFrom("s1", "s2", "a"),
      state: fc.constantFrom("pending", "success", "failure", "error"),
    });
    fc.assert(
      fc.property(
        fc.array(run, { maxLength: 8 }),
        fc.array(st, { maxLength: 4 }),
        fc.subarray(["a", "b", "s1", "x"]),
        (runs, statuses, required) => {
          const verdict = classifyCiSignals({
            checkRuns: runs,
            statuses,
            requiredChecks: required,
          });
          const latest = latestCheckRunPerName(runs);
          const anyRed =
            latest.some(
              (r) =>
                r.status === "completed" && FAILING_CHECK_CONCLUSIONS.includes(r.conclusion ?? ""),
            ) || statuses.some((s) => s.state === "failure" || s.state === "error");
          const allGreen =
            latest.length + statuses.length > 0 &&
            latest.every(
              (r) =>
                r.status === "completed" && PASSING_CHECK_CONCLUSIONS.includes(r.conclusion ?? ""),
            ) &&
            statuses.every((s) => s.state === "success") &&
            required.every(
              (name) =>
                latest.some((r) => r.name === name) || statuses.some((s) => s.context === name),
            );
          expect(verdict.outcome).toBe(anyRed ? "failure" : allGreen ? "success" : "pending");
        },
      ),
    );
  });
});

describe("CI verdict over time", () => {
  it("no checks and no statuses: pending during the grace period, then no-ci", () => {
    expect(decideCiOutcome(signals({}), early).outcome).toBe("pending");
    expect(decideCiOutcome(signals({}), { ...early, elapsedSeconds: 299 }).outcome).toBe("pending");
    expect(decideCiOutcome(signals({}), { ...early, elapsedSeconds: 300 }).outcome).toBe("no-ci");
  });

  it("pending beyond the maximum wait becomes timeout; a verdict is never overridden by the clock", () => {
    const running = signals({ checkRuns: [check("build", null, "in_progress")] });
    expect(decideCiOutcome(running, { ...early, elapsedSeconds: 3599 }).outcome).toBe("pending");
    expect(decideCiOutcome(running, { ...early, elapsedSeconds: 3600 })).toMatchObject({
      outcome: "timeout",
      pendingChecks: ["build"],
    });
    const red = signals({ checkRuns: [check("build", "failure")] });
    expect(decideCiOutcome(red, { ...early, elapsedSeconds: 99999 }).outcome).toBe("failure");
    const green = signals({ checkRuns: [check("build", "success")] });
    expect(decideCiOutcome(green, { ...early, elapsedSeconds: 99999 }).outcome).toBe("success");
  });
});
