// The patch generator as it is deployed (see tests/support/serialized-task.ts): from a fresh Node
// process it generates a patch commit from a diff in an issue and validates it on the simulator.
import { createPatchGeneratorHandler } from "../../../handlers/patch-generator/lambda";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { serializeTaskFunction, type SerializedTask } from "../../support/serialized-task";
import { gitDiff } from "./git-fixture";
import { analysedState } from "../../support/run-state";

describe("the serialized patch generator", () => {
  let task: SerializedTask;
  let sim: GitHubSimulator;
  beforeAll(async () => {
    task = await serializeTaskFunction(createPatchGeneratorHandler, "patch");
    sim = await startGitHubSimulator();
  }, 120_000);
  afterAll(async () => {
    task?.dispose();
    await sim?.close();
  });

  it("generates and validates a patch on the simulator from a fresh process", async () => {
    const base = { "src/math.ts": "export const add = (a: number, b: number) => a - b;\n" };
    const fixed = { "src/math.ts": "export const add = (a: number, b: number) => a + b;\n" };
    const diff = gitDiff(
      { "src/math.ts": { content: base["src/math.ts"], mode: "100644" } },
      { "src/math.ts": { content: fixed["src/math.ts"], mode: "100644" } },
    );
    const { id: installationId } = sim.createInstallation("acme");
    const repo = sim.createRepository({
      owner: "acme",
      name: "serialized",
      installationId,
      files: base,
    });
    const body = `Fix:\n\n\`\`\`diff\n${diff}\`\`\`\n`;
    const issue = sim.createIssue("acme", "serialized", {
      title: "add subtracts",
      body,
      user: "mona",
    });
    const state = analysedState({
      installationId,
      repository: { id: repo.id, owner: "acme", name: "serialized" },
      issue: { number: issue.number, title: "add subtracts", body, labels: [] },
      author: { login: "mona", association: "OWNER" },
      delivery: { id: "ser-1" },
      settings: { ciMaxWaitSeconds: 600, ciNoChecksGraceSeconds: 60 },
      analysis: { plan: { strategy: "unified-diff", files: ["src/math.ts"] }, config: null },
    });
    const result = (await task.run(sim, state, [
      { action: "generate", as: "patch" },
      { action: "validate", as: "validation" },
    ])) as { error?: string; patch: { commitSha: string }; validation: unknown };
    expect(result.error).toBeUndefined();
    expect(result.patch).toMatchObject({ baseSha: repo.headSha, strategy: "unified-diff" });
    expect(result.validation).toEqual({ valid: true, violations: [] });
    expect(sim.readTree("acme", "serialized", result.patch.commitSha)).toEqual(fixed);
    expect(sim.getRef("acme", "serialized", "heads/main")).toBe(repo.headSha);
  }, 90_000);
});
