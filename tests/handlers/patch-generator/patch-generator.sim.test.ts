// Must-show 4 (and the violation comment of must-show 2) against the local GitHub simulator,
// through the real lambda.ts handler and the real client factory: a patch becomes an unreferenced
// commit whose tree equals the expected files, nothing else in the repository changes, violations
// are commented on the issue, and a moved base is regenerated once.
import { defaultRepoConfig } from "../../../handlers/shared/repo-config";
import type { Octokit } from "@octokit/rest";
import { createAiChangeSource } from "../../../handlers/patch-generator/ai/ai-strategy";
import { createOpenAiCompatibleProvider } from "../../../handlers/patch-generator/ai/openai-compatible";
import { listBranchFiles } from "../../../handlers/github/git-trees";
import { createPatchGeneratorHandler } from "../../../handlers/patch-generator/lambda";
import type {
  PatchResult,
  RepoConfig,
  ValidationResult,
  WorkflowState,
} from "../../../contract/state";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { type Files, gitDiff } from "./git-fixture";
import { startModelServer } from "../../../local/model-server";
import { issueTextSha256 } from "../../../handlers/shared/issue-text";
import { analysedState } from "../../support/run-state";
import { simulatorTaskDeps } from "../../support/task-deps";

const OWNER = "acme";
const REPO = "widgets";
const FENCE = "```";

const BASE: Record<string, string> = {
  "README.md": "# widgets\n\nTiny helpers.\n",
  "src/math.ts":
    "export function add(a: number, b: number): number {\n  return a - b;\n}\n\nexport const ZERO = 0;\n",
  "src/old-name.ts":
    "export const legacy = true;\nexport const one = 1;\nexport const two = 2;\nexport const three = 3;\n",
  "docs/obsolete.md": "Remove me\n",
  "package.json": '{\n  "name": "widgets",\n  "version": "1.0.0"\n}\n',
  ".github/workflows/ci.yml": "on: push\njobs: {}\n",
};

const asFiles = (record: Record<string, string>): Files =>
  Object.fromEntries(
    Object.entries(record).map(([p, content]) => [p, { content, mode: "100644" }]),
  );

/** The defaults a repository without settings gets, with `infra/**` protected. */
function config(overrides: Partial<RepoConfig> = {}): RepoConfig {
  return { ...defaultRepoConfig(), protectedPaths: ["infra/**"], ...overrides };
}

interface World {
  sim: GitHubSimulator;
  octokit: Octokit;
  handler: ReturnType<typeof createPatchGeneratorHandler>;
  headSha: string;
  state(body: string): WorkflowState;
}

async function world(
  options: Parameters<typeof createPatchGeneratorHandler>[1] = { ai: null },
): Promise<World> {
  const sim = await startGitHubSimulator();
  const installation = sim.createInstallation(OWNER);
  const repo = sim.createRepository({
    owner: OWNER,
    name: REPO,
    installationId: installation.id,
    files: BASE,
  });
  const deps = simulatorTaskDeps(sim);
  const github = deps.github;
  const handler = createPatchGeneratorHandler(deps, options);
  const octokit = await github(installation.id);
  return {
    sim,
    octokit,
    handler,
    headSha: repo.headSha,
    state(body: string) {
      const issue = sim.createIssue(OWNER, REPO, { title: "add() subtracts", body, user: "alice" });
      return analysedState({
        installationId: installation.id,
        repository: { id: repo.id, owner: OWNER, name: REPO, defaultBranch: repo.defaultBranch },
        issue: { number: issue.number, title: issue.title, body },
        analysis: { config: config() },
      });
    },
  };
}

async function allRefs(octokit: Octokit): Promise<Record<string, string>> {
  const { data } = await octokit.rest.git.listMatchingRefs({
    owner: OWNER,
    repo: REPO,
    ref: "heads/",
  });
  return Object.fromEntries(data.map((ref) => [ref.ref, ref.object.sha]));
}

const EXPECTED: Record<string, string> = {
  ...BASE,
  "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b"),
  "src/new-name.ts": BASE["src/old-name.ts"].replace("legacy = true", "legacy = false"),
  "src/extra.ts": "export const extra = 1;\n",
  "package.json": '{\n  "name": "widgets",\n  "version": "1.0.1"\n}\n',
};
delete EXPECTED["src/old-name.ts"];
delete EXPECTED["docs/obsolete.md"];

describe("patch generator against the GitHub simulator", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.sim.close();
  });

  it("a diff in the issue becomes an unreferenced commit whose tree is exactly the expected files", async () => {
    const diff = gitDiff(asFiles(BASE), asFiles(EXPECTED));
    const state = w.state(`Please apply this fix:\n\n${FENCE}diff\n${diff}${FENCE}\n`);
    const refsBefore = await allRefs(w.octokit);
    const mark = w.sim.requests.length;

    const patch = (await w.handler({ action: "generate", state })) as PatchResult;

    expect(patch.baseSha).toBe(w.headSha);
    expect(patch.strategy).toBe("unified-diff");
    expect(w.sim.readTree(OWNER, REPO, patch.commitSha)).toEqual(EXPECTED);
    const { data: commit } = await w.octokit.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: patch.commitSha,
    });
    expect(commit.parents.map((p) => p.sha)).toEqual([w.headSha]);
    // Nothing else changed: same refs, same default branch head, no comment, only git object
    // writes to the repository (the token exchange is authentication, not a repository write).
    expect(await allRefs(w.octokit)).toEqual(refsBefore);
    expect(w.sim.readTree(OWNER, REPO, w.sim.getRef(OWNER, REPO, "heads/main")!)).toEqual(BASE);
    expect(w.sim.listIssueComments(OWNER, REPO, state.issue.number)).toEqual([]);
    const writes = w.sim.requests
      .slice(mark)
      .filter((r) => r.method !== "GET" && r.route.includes("/repos/"))
      .map((r) => r.route);
    expect(new Set(writes)).toEqual(
      new Set([
        "POST /repos/{owner}/{repo}/git/blobs",
        "POST /repos/{owner}/{repo}/git/trees",
        "POST /repos/{owner}/{repo}/git/commits",
      ]),
    );
    // The state carries a summary, never contents.
    expect(patch.files).toEqual([
      { path: "docs/obsolete.md", change: "deleted", additions: 0, deletions: 1 },
      { path: "package.json", change: "modified", additions: 1, deletions: 1 },
      { path: "src/extra.ts", change: "added", additions: 1, deletions: 0 },
      { path: "src/math.ts", change: "modified", additions: 1, deletions: 1 },
      {
        path: "src/new-name.ts",
        change: "renamed",
        previousPath: "src/old-name.ts",
        additions: 1,
        deletions: 1,
      },
    ]);
    expect(JSON.stringify(patch)).not.toContain("a + b");

    const validation = (await w.handler({
      action: "validate",
      state: { ...state, patch },
    })) as ValidationResult;
    expect(validation).toEqual({ valid: true, violations: [] });
    expect(w.sim.listIssueComments(OWNER, REPO, state.issue.number)).toEqual([]);
  });

  it("edit instructions from a writer's comment are used, a stranger's are ignored", async () => {
    const state = w.state("add() subtracts instead of adding.");
    w.sim.setPermission(OWNER, REPO, "maintainer", "write");
    w.sim.addComment(OWNER, REPO, state.issue.number, {
      body: "Replace `a - b` with `a + b` in `src/math.ts`.",
      user: "maintainer",
    });
    w.sim.addComment(OWNER, REPO, state.issue.number, {
      body: `${FENCE}diff\n${gitDiff(asFiles(BASE), asFiles({ ...BASE, "README.md": "pwned\n" }))}${FENCE}\n`,
      user: "stranger",
    });
    const patch = (await w.handler({ action: "generate", state })) as PatchResult;
    expect(patch.strategy).toBe("edit-instructions");
    expect(w.sim.readTree(OWNER, REPO, patch.commitSha)).toEqual({
      ...BASE,
      "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b"),
    });
  });

  it("violations end in one comment listing each of them", async () => {
    const bad = {
      ...BASE,
      ".github/workflows/ci.yml": "on: [push, pull_request]\njobs: {}\n",
      "infra/main.tf": "resource {}\n",
      "package.json": '{\n  "name": "widgets",\n  "version": 1\n}\n',
      "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b;;; )"),
      "src/keys.ts":
        'export const githubToken = "ghp_' + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Y" + '";\n',
    };
    const state = w.state(`${FENCE}diff\n${gitDiff(asFiles(BASE), asFiles(bad))}${FENCE}\n`);
    const patch = (await w.handler({ action: "generate", state })) as PatchResult;
    const validation = (await w.handler({
      action: "validate",
      state: { ...state, patch },
    })) as ValidationResult;
    expect(validation.valid).toBe(false);
    expect(validation.violations.map((v) => `${v.rule} ${v.path}`).sort()).toEqual([
      "js-syntax src/math.ts",
      "package-json package.json",
      "protected-path infra/main.tf",
      "secret src/keys.ts",
      "workflow-file .github/workflows/ci.yml",
    ]);
    const comments = w.sim.listIssueComments(OWNER, REPO, state.issue.number);
    expect(comments).toHaveLength(1);
    for (const violation of validation.violations) {
      expect(comments[0].body).toContain(`| \`${violation.rule}\` | \`${violation.path}\` |`);
    }
    expect(comments[0].body).not.toContain("Ab1Cd2Ef3Gh4");
    // A second run updates the same comment instead of adding one.
    await w.handler({ action: "validate", state: { ...state, patch } });
    expect(w.sim.listIssueComments(OWNER, REPO, state.issue.number)).toHaveLength(1);
  });

  it("a later valid patch turns the violations comment into a resolved note", async () => {
    const bad = { ...BASE, ".github/workflows/ci.yml": "on: [push]\n" };
    const state = w.state(`${FENCE}diff\n${gitDiff(asFiles(BASE), asFiles(bad))}${FENCE}\n`);
    const badPatch = (await w.handler({ action: "generate", state })) as PatchResult;
    await w.handler({ action: "validate", state: { ...state, patch: badPatch } });
    const fix = { ...BASE, "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b") };
    // The author edits the issue; the next run analyses (and hashes) the new text.
    const fixedBody = `${FENCE}diff\n${gitDiff(asFiles(BASE), asFiles(fix))}${FENCE}\n`;
    await w.octokit.rest.issues.update({
      owner: OWNER,
      repo: REPO,
      issue_number: state.issue.number,
      body: fixedBody,
    });
    const fixed = {
      ...state,
      analysis: { ...state.analysis!, textSha256: issueTextSha256(state.issue.title, fixedBody) },
    };
    const goodPatch = (await w.handler({ action: "generate", state: fixed })) as PatchResult;
    const validation = (await w.handler({
      action: "validate",
      state: { ...fixed, patch: goodPatch },
    })) as ValidationResult;
    expect(validation.valid).toBe(true);
    const comments = w.sim.listIssueComments(OWNER, REPO, state.issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("now passes validation");
  });

  it("lists the default branch's files for the interpreter's patch plan", async () => {
    expect(await listBranchFiles(w.octokit, { owner: OWNER, repo: REPO }, "main")).toEqual(
      Object.keys(BASE).sort(),
    );
  });

  it("base moved: the patch is regenerated once on the new head", async () => {
    const fix = { ...BASE, "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b") };
    const state = w.state(`${FENCE}diff\n${gitDiff(asFiles(BASE), asFiles(fix))}${FENCE}\n`);
    const patch = (await w.handler({ action: "generate", state })) as PatchResult;
    const newHead = w.sim.pushCommit(OWNER, REPO, "main", {
      "README.md": "# widgets\n\nMoved on.\n",
    });

    const validation = (await w.handler({
      action: "validate",
      state: { ...state, patch },
    })) as ValidationResult;

    expect(validation.valid).toBe(true);
    expect(validation.patch?.baseSha).toBe(newHead);
    expect(validation.patch?.commitSha).not.toBe(patch.commitSha);
    expect(w.sim.readTree(OWNER, REPO, validation.patch!.commitSha)).toEqual({
      ...fix,
      "README.md": "# widgets\n\nMoved on.\n",
    });
    expect(w.sim.getRef(OWNER, REPO, "heads/main")).toBe(newHead);
  });

  it("base moved and the patch no longer applies: base-moved violation, commented", async () => {
    const fix = { ...BASE, "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b") };
    const state = w.state(`${FENCE}diff\n${gitDiff(asFiles(BASE), asFiles(fix))}${FENCE}\n`);
    const patch = (await w.handler({ action: "generate", state })) as PatchResult;
    w.sim.pushCommit(OWNER, REPO, "main", {
      "src/math.ts": BASE["src/math.ts"].replace("a - b", "b - a"),
    });

    const validation = (await w.handler({
      action: "validate",
      state: { ...state, patch },
    })) as ValidationResult;

    expect(validation.valid).toBe(false);
    expect(validation.violations).toEqual([
      expect.objectContaining({
        rule: "base-moved",
        message: expect.stringContaining("the change conflicts with what was merged into main"),
      }),
    ]);
    expect(validation.patch).toBeUndefined();
    const [comment] = w.sim.listIssueComments(OWNER, REPO, state.issue.number);
    expect(comment.body).toContain("`base-moved`");
  });

  it("a diff that does not apply fails GeneratePatch with the reason and writes nothing", async () => {
    const stale = { ...BASE, "src/math.ts": "something else entirely\n" };
    const changed = { ...stale, "src/math.ts": "something better\n" };
    const state = w.state(`${FENCE}diff\n${gitDiff(asFiles(stale), asFiles(changed))}${FENCE}\n`);
    const mark = w.sim.requests.length;
    await expect(w.handler({ action: "generate", state })).rejects.toMatchObject({
      name: "AFU9.PatchDoesNotApply",
      message: expect.stringContaining("src/math.ts does not apply"),
    });
    // Only repository writes count (the installation token exchange is authentication).
    const writes = w.sim.requests
      .slice(mark)
      .filter((r) => r.method !== "GET" && r.route.includes("/repos/"));
    expect(writes).toEqual([]);
  });

  it("a path outside the repository fails GeneratePatch before anything is written", async () => {
    const state = w.state(`Create file \`../../etc/evil\`:\n\n${FENCE}\nx\n${FENCE}\n`);
    const mark = w.sim.requests.length;
    await expect(w.handler({ action: "generate", state })).rejects.toMatchObject({
      name: "AFU9.PatchUnsafe",
      message: expect.stringContaining("../../etc/evil"),
    });
    expect(
      w.sim.requests.slice(mark).filter((r) => r.method !== "GET" && r.route.includes("/repos/")),
    ).toEqual([]);
  });

  it("an edit that changes nothing: the empty violation", async () => {
    const state = w.state("Replace `ZERO` with `ZERO` in `src/math.ts`.");
    const patch = (await w.handler({ action: "generate", state })) as PatchResult;
    expect(patch.files).toEqual([]);
    const validation = (await w.handler({
      action: "validate",
      state: { ...state, patch },
    })) as ValidationResult;
    expect(validation.violations.map((v) => v.rule)).toEqual(["empty"]);
    expect(w.sim.listIssueComments(OWNER, REPO, state.issue.number)[0].body).toContain("`empty`");
  });

  it("a commit that is not based on the recorded base: the commit-parent violation", async () => {
    const ref = { owner: OWNER, repo: REPO };
    const { data: head } = await w.octokit.rest.git.getCommit({ ...ref, commit_sha: w.headSha });
    const { data: between } = await w.octokit.rest.git.createCommit({
      ...ref,
      message: "someone else's commit",
      tree: head.tree.sha,
      parents: [w.headSha],
    });
    const { data: stray } = await w.octokit.rest.git.createCommit({
      ...ref,
      message: "patch on the wrong parent",
      tree: head.tree.sha,
      parents: [between.sha],
    });
    const state = w.state("x");
    const patch: PatchResult = {
      commitSha: stray.sha,
      baseSha: w.headSha,
      strategy: "unified-diff",
      files: [],
    };
    const validation = (await w.handler({
      action: "validate",
      state: { ...state, patch },
    })) as ValidationResult;
    expect(validation.violations.map((v) => v.rule)).toEqual(["commit-parent"]);
    expect(w.sim.listIssueComments(OWNER, REPO, state.issue.number)[0].body).toContain(
      "`commit-parent`",
    );
  });

  it("rejects an action it does not handle", async () => {
    await expect(w.handler({ action: "merge", state: w.state("x") })).rejects.toMatchObject({
      name: "AFU9.UnknownAction",
      message: expect.stringContaining(
        'handles "generate", "validate", "repair", "revise", not "merge"',
      ),
    });
  });

  it("AI strategy through the handler: the commit holds the model's edit, usage is in the result", async () => {
    const model = await startModelServer([
      "src/math.ts\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n",
    ]);
    const provider = createOpenAiCompatibleProvider({
      url: model.url,
      model: "m",
      apiKey: async () => "k",
      timeoutMs: 5000,
    });
    const limits = {
      maxCalls: 2,
      maxTokens: 50_000,
      maxOutputTokens: 1000,
      maxFiles: 5,
      maxFileBytes: 10_000,
    };
    const aiWorld = await world({ ai: (spent) => createAiChangeSource(provider, limits, spent) });
    try {
      const state = aiWorld.state("`add()` in src/math.ts subtracts instead of adding.");
      const patch = (await aiWorld.handler({ action: "generate", state })) as PatchResult;
      expect(patch.strategy).toBe("ai");
      expect(patch.usage).toEqual({ calls: 1, inputTokens: 1000, outputTokens: 50 });
      expect(aiWorld.sim.readTree(OWNER, REPO, patch.commitSha)).toEqual({
        ...BASE,
        "src/math.ts": BASE["src/math.ts"].replace("a - b", "a + b"),
      });
    } finally {
      await aiWorld.sim.close();
      await model.close();
    }
  });
});
