// The Git Data path (GeneratePatch + ValidatePatch through the real lambda.ts handler against the
// GitHub simulator) refuses the same escapes as `afu9 patch`: paths below a symlink or submodule of
// the base tree, paths with hidden characters, and contents adding bidi controls.
import type { Octokit } from "@octokit/rest";
import { createPatchGeneratorHandler } from "../../../handlers/patch-generator/lambda";
import type { PatchResult, ValidationResult, WorkflowState } from "../../../contract/state";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { analysedState } from "../../support/run-state";
import { simulatorTaskDeps } from "../../support/task-deps";

const OWNER = "acme";
const REPO = "widgets";
const FENCE = "```";

function newFileDiff(path: string, line: string): string {
  return [
    `diff --git a/${path} b/${path}`,
    "new file mode 100644",
    "--- /dev/null",
    `+++ b/${path}`,
    "@@ -0,0 +1 @@",
    `+${line}`,
    "",
  ].join("\n");
}

describe("ValidatePatch on the Git Data path refuses escapes", () => {
  let sim: GitHubSimulator;
  let octokit: Octokit;
  let handler: ReturnType<typeof createPatchGeneratorHandler>;
  let installationId: number;
  let repoId: number;

  beforeEach(async () => {
    sim = await startGitHubSimulator();
    installationId = sim.createInstallation(OWNER).id;
    repoId = sim.createRepository({
      owner: OWNER,
      name: REPO,
      installationId,
      files: { "README.md": "# widgets\n" },
    }).id;
    const github = simulatorClientFactory(sim);
    handler = createPatchGeneratorHandler(simulatorTaskDeps(sim, github), { ai: null });
    octokit = await github(installationId);
  });
  afterEach(() => sim.close());

  /** Commits one special entry (symlink or gitlink) onto main through the Git Data API. */
  async function commitEntry(path: string, mode: "120000" | "160000", target: string) {
    const ref = { owner: OWNER, repo: REPO };
    const head = sim.getRef(OWNER, REPO, "heads/main")!;
    const { data: commit } = await octokit.rest.git.getCommit({ ...ref, commit_sha: head });
    const sha =
      mode === "120000"
        ? (await octokit.rest.git.createBlob({ ...ref, content: target, encoding: "utf-8" })).data
            .sha
        : target;
    const { data: tree } = await octokit.rest.git.createTree({
      ...ref,
      base_tree: commit.tree.sha,
      tree: [{ path, mode, type: mode === "120000" ? "blob" : "commit", sha }],
    });
    const { data: next } = await octokit.rest.git.createCommit({
      ...ref,
      message: `add ${path}`,
      tree: tree.sha,
      parents: [head],
    });
    await octokit.rest.git.updateRef({ ...ref, ref: "heads/main", sha: next.sha });
  }

  function state(body: string): WorkflowState {
    const issue = sim.createIssue(OWNER, REPO, { title: "t", body, user: "alice" });
    return analysedState({
      installationId,
      repository: { id: repoId, owner: OWNER, name: REPO },
      issue: { number: issue.number, title: issue.title, body },
      analysis: { type: "bug" },
    });
  }

  async function run(body: string): Promise<{ validation: ValidationResult; issue: number }> {
    const s = state(`${FENCE}diff\n${body}${FENCE}\n`);
    const patch = (await handler({ action: "generate", state: s })) as PatchResult;
    const validation = (await handler({
      action: "validate",
      state: { ...s, patch },
    })) as ValidationResult;
    return { validation, issue: s.issue.number };
  }

  it("a new file below a symlink of the base tree (item 1)", async () => {
    await commitEntry("docs", "120000", "/some/outside/dir");
    const { validation, issue } = await run(newFileDiff("docs/pwned.txt", "x"));
    expect(validation.valid).toBe(false);
    expect(validation.violations).toContainEqual(
      expect.objectContaining({ rule: "path-through-symlink", path: "docs/pwned.txt" }),
    );
    const [comment] = sim.listIssueComments(OWNER, REPO, issue);
    expect(comment.body).toContain("`path-through-symlink`");
  });

  it("a new file inside a submodule of the base tree (item 1)", async () => {
    await commitEntry("vendor/lib", "160000", "a".repeat(40));
    const { validation } = await run(newFileDiff("vendor/lib/evil.js", "x"));
    expect(validation.violations).toContainEqual(
      expect.objectContaining({ rule: "path-in-submodule", path: "vendor/lib/evil.js" }),
    );
  });

  it("a path with U+202E and contents with bidi controls (item 2)", async () => {
    const { validation } = await run(
      newFileDiff("src/helper\u202Esj.txt", "x") + newFileDiff("src/a.js", "let a; /*\u202E*/"),
    );
    expect(validation.valid).toBe(false);
    expect(validation.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: "hidden-characters-in-path",
          path: "src/helper<U+202E>sj.txt",
        }),
        expect.objectContaining({ rule: "trojan-source", path: "src/a.js" }),
      ]),
    );
  });
});
