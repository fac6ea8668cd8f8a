import {
  dryRunComment,
  issueLinkComment,
  patchCommitMarker,
  pullRequestBody,
  pullRequestTitle,
  readPatchCommitMarker,
} from "../../../handlers/pr-creator/pr-text";
import type { WorkflowState } from "../../../contract/state";
import { runInput } from "../../support/run-state";

const commitSha = "c".repeat(40);
const state: WorkflowState = {
  ...runInput({
    issue: { number: 42, title: "Fix | the\nparser", body: "b", labels: [] },
    author: { login: "u", association: "OWNER" },
    delivery: { id: "d1", action: "opened" },
  }),
  analysis: {
    type: "bug",
    priority: "P1",
    actionable: true,
    reasons: ["diff block found"],
    plan: null,
    config: null,
    textSha256: "0".repeat(64),
  },
  patch: {
    commitSha,
    baseSha: "b".repeat(40),
    strategy: "unified-diff",
    files: [
      { path: "src/a|b.ts", change: "modified", additions: 3, deletions: 1 },
      {
        path: "src/new.ts",
        previousPath: "src/old.ts",
        change: "renamed",
        additions: 0,
        deletions: 0,
      },
    ],
  },
  validation: { valid: true, violations: [] },
};

describe("PR text", () => {
  it("body closes the issue, lists every file, carries the patch-commit marker", () => {
    const body = pullRequestBody(state, true);
    expect(body).toContain("Closes #42");
    expect(readPatchCommitMarker(body)).toBe(commitSha);
    expect(body).toContain("| `src/a\\|b.ts` | modified | 3 | 1 |");
    expect(body).toContain("`src/old.ts` → `src/new.ts`");
    expect(body).toContain("type **bug**, priority **P1**");
    expect(body).toContain("Passed: no violations.");
    expect(body).toContain("merges this pull request when every check passes");
    expect(pullRequestBody(state, false)).toContain("Auto-merge is off");
  });

  it("is deterministic (a re-run finds nothing to update)", () => {
    expect(pullRequestBody(state, true)).toBe(pullRequestBody(structuredClone(state), true));
  });

  it("title is one line and bounded", () => {
    expect(pullRequestTitle(state)).toBe("AFU-9: Fix | the parser");
    const long = pullRequestTitle({ ...state, issue: { ...state.issue, title: "x".repeat(500) } });
    expect(long.length).toBeLessThanOrEqual(200);
  });

  it("the dry-run comment cannot carry an AFU-9 marker from the issue title", () => {
    const evil = { ...state, issue: { ...state.issue, title: "x <!-- afu9:merge -->" } };
    const text = dryRunComment(evil, "b", { draft: true, automerge: false, mergeMethod: "squash" });
    expect(text).not.toContain("<!-- afu9:merge -->");
  });

  it("marker parsing accepts only a full sha", () => {
    expect(readPatchCommitMarker(patchCommitMarker(commitSha))).toBe(commitSha);
    expect(readPatchCommitMarker("<!-- afu9:patch-commit abc -->")).toBeNull();
    expect(readPatchCommitMarker(null)).toBeNull();
  });

  it("issue comment links the PR; dry-run comment says what would happen", () => {
    expect(
      issueLinkComment({
        prNumber: 7,
        url: "https://x/pull/7",
        branch: "afu9/issue-42",
        commitSha,
        draft: true,
      }),
    ).toBe(
      `Draft pull request #7 (https://x/pull/7) is open from branch \`afu9/issue-42\` at ${commitSha}.`,
    );
    const dry = dryRunComment(state, "afu9/issue-42", {
      draft: false,
      automerge: true,
      mergeMethod: "squash",
    });
    expect(dry).toContain("**Dry run**");
    expect(dry).toContain(`point branch \`afu9/issue-42\` at commit ${commitSha}`);
    expect(dry).toContain("changing 2 file(s)");
    expect(dry).toContain("would merge the pull request (squash)");
  });
});
