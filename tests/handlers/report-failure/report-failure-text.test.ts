import {
  describeCaughtError,
  failureComment,
  redactForComment,
  stoppedAt,
} from "../../../handlers/report-failure/report-failure";
import type { WorkflowState } from "../../../contract/state";
import { runInput } from "../../support/run-state";

const baseState: WorkflowState = runInput({
  issue: { number: 5, title: "t", body: "b", labels: [] },
  author: { login: "u", association: "OWNER" },
  delivery: { id: "d3f1-77", action: "opened" },
});

describe("ReportFailure text", () => {
  it("keeps only the first line of a Lambda error, never the trace", () => {
    const cause = JSON.stringify({
      errorType: "AFU9.BranchNotOwned",
      errorMessage:
        "branch afu9/issue-5 points at abc, a commit AFU-9 did not put there\nsecond line",
      trace: ["Error: branch ...", "    at pointBranchAtPatch (/var/task/__index.js:10:5)"],
    });
    const described = describeCaughtError({ Error: "AFU9.BranchNotOwned", Cause: cause });
    expect(described).toEqual({
      type: "AFU9.BranchNotOwned",
      message: "branch afu9/issue-5 points at abc, a commit AFU-9 did not put there",
    });
    const text = failureComment({
      ...baseState,
      error: { Error: "AFU9.BranchNotOwned", Cause: cause },
    });
    expect(text).not.toMatch(/__index\.js|\bat pointBranchAtPatch|second line/);
    expect(text).toContain("d3f1-77");
  });

  it("redacts private keys, tokens, access keys, credentials in URLs, secret assignments and ARNs", () => {
    const dirty = [
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
      "ghs_abcdefghijklmnopqrstuvwxyz0123",
      "github_pat_11ABCDEFG0123456789_abcdefghijk",
      "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl",
      "AKIAABCDEFGHIJKLMNOP",
      "Bearer abcdefghijklmnop123",
      "https://x-access-token:sekrit123@github.com/acme/widgets",
      'password="hunter22"',
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9-abc",
    ].join(" ");
    const clean = redactForComment(dirty);
    for (const leaked of [
      "MIIEow",
      "ghs_abc",
      "github_pat_11",
      "eyJhbGci",
      "AKIAABCD",
      "abcdefghijklmnop123",
      "sekrit123",
      "hunter22",
      "123456789012",
    ]) {
      expect(clean).not.toContain(leaked);
    }
    expect(clean).toContain("[private key]");
    expect(clean).toContain("[AWS resource]");
  });

  it("an error message cannot carry an AFU-9 comment marker", () => {
    const described = describeCaughtError({ Error: "E", Cause: "bad <!-- afu9:merge --> thing" });
    expect(described.message).not.toContain("<!--");
  });

  it("a Cause that is plain text is used, first line only, bounded", () => {
    expect(
      describeCaughtError({ Error: "States.Timeout", Cause: "Task timed out after 30.00 seconds" }),
    ).toEqual({
      type: "States.Timeout",
      message: "Task timed out after 30.00 seconds",
    });
    expect(
      describeCaughtError({ Error: "X", Cause: "y".repeat(5000) }).message.length,
    ).toBeLessThanOrEqual(401);
    expect(describeCaughtError(undefined)).toEqual({ type: "Error", message: "" });
  });

  it("names the step the run stopped at from the results it holds", () => {
    expect(stoppedAt(baseState)).toBe("analysing the issue");
    const withPr = {
      ...baseState,
      analysis: {
        type: "bug",
        priority: "P2",
        actionable: true,
        reasons: [],
        plan: null,
        config: null,
        textSha256: "0".repeat(64),
      },
      patch: {
        commitSha: "a".repeat(40),
        baseSha: "b".repeat(40),
        strategy: "unified-diff",
        files: [],
      },
      validation: { valid: true, violations: [] },
    } as WorkflowState;
    expect(stoppedAt(withPr)).toBe("opening the pull request");
  });
});
