// Item 6: while other pull requests merge, the default branch keeps moving. A change that still
// applies to the new head is applied again there (bounded, jittered attempts) and stays valid;
// only a real conflict is reported, and the comment says it is one.
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

const newFile = (path: string) =>
  `${FENCE}diff\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+${path}\n${FENCE}\n`;

describe("ValidatePatch on a moving default branch", () => {
  let sim: GitHubSimulator;
  let installationId: number;
  let repoId: number;
  /** Pushes to main this many more times, each right after the factory writes a commit. */
  let movesLeft = 0;
  let pushes = 0;
  let handler: ReturnType<typeof createPatchGeneratorHandler>;

  beforeEach(async () => {
    sim = await startGitHubSimulator();
    installationId = sim.createInstallation(OWNER).id;
    repoId = sim.createRepository({
      owner: OWNER,
      name: REPO,
      installationId,
      files: { "README.md": "# widgets\n" },
    }).id;
    const base = simulatorClientFactory(sim);
    const github = async (id: number): Promise<Octokit> => {
      const octokit = await base(id);
      octokit.hook.after("request", (_response, options) => {
        if (
          options.method === "POST" &&
          String(options.url).endsWith("/git/commits") &&
          movesLeft > 0
        ) {
          movesLeft -= 1;
          pushes += 1;
          sim.pushCommit(OWNER, REPO, "main", { [`other/${pushes}.txt`]: `merged ${pushes}\n` });
        }
      });
      return octokit;
    };
    handler = createPatchGeneratorHandler(simulatorTaskDeps(sim, github), { ai: null });
  });
  afterEach(() => sim.close());

  function state(body: string): WorkflowState {
    const issue = sim.createIssue(OWNER, REPO, { title: "t", body, user: "alice" });
    return analysedState({
      installationId,
      repository: { id: repoId, owner: OWNER, name: REPO },
      issue: { number: issue.number, title: issue.title, body },
      analysis: { type: "feature" },
    });
  }

  it("the head moves again while the patch is re-based: re-based again, valid (item 6)", async () => {
    const s = state(newFile("src/new.txt"));
    const patch = (await handler({ action: "generate", state: s })) as PatchResult;
    // Main moves after GeneratePatch, and again after each of the next two commits the factory writes.
    sim.pushCommit(OWNER, REPO, "main", { "other/0.txt": "merged 0\n" });
    movesLeft = 2;
    const validation = (await handler({
      action: "validate",
      state: { ...s, patch },
    })) as ValidationResult;

    expect(validation.violations).toEqual([]);
    expect(validation.valid).toBe(true);
    const head = sim.getRef(OWNER, REPO, "heads/main");
    expect(validation.patch?.baseSha).toBe(head);
    expect(sim.readTree(OWNER, REPO, validation.patch!.commitSha)).toMatchObject({
      "src/new.txt": "src/new.txt\n",
      "other/0.txt": "merged 0\n",
      "other/2.txt": "merged 2\n",
    });
    expect(sim.listIssueComments(OWNER, REPO, s.issue.number)).toEqual([]);
  });

  it("a head that never stops moving: the last re-based patch stands, no violation", async () => {
    const s = state(newFile("src/busy.txt"));
    const patch = (await handler({ action: "generate", state: s })) as PatchResult;
    sim.pushCommit(OWNER, REPO, "main", { "other/0.txt": "merged 0\n" });
    movesLeft = 100;
    const validation = (await handler({
      action: "validate",
      state: { ...s, patch },
    })) as ValidationResult;
    expect(validation.valid).toBe(true);
    expect(validation.patch?.baseSha).not.toBe(patch.baseSha);
    expect(movesLeft).toBeGreaterThan(90);
  });

  it("a real conflict: the comment says the change conflicts with what was merged", async () => {
    const s = state(newFile("src/taken.txt"));
    const patch = (await handler({ action: "generate", state: s })) as PatchResult;
    sim.pushCommit(OWNER, REPO, "main", { "src/taken.txt": "someone else's\n" });
    const validation = (await handler({
      action: "validate",
      state: { ...s, patch },
    })) as ValidationResult;
    expect(validation.valid).toBe(false);
    const [comment] = sim.listIssueComments(OWNER, REPO, s.issue.number);
    expect(comment.body).toContain("`base-moved`");
    expect(comment.body).toContain("the change conflicts with what was merged into main");
  });
});
