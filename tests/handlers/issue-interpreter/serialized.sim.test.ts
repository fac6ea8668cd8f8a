// The interpreter as it is deployed (see tests/support/serialized-task.ts): analyses an issue on
// the simulator over HTTP from a fresh Node process; labels and the analysis comment appear.
import { createIssueInterpreterHandler } from "../../../handlers/issue-interpreter/lambda";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { serializeTaskFunction, type SerializedTask } from "../../support/serialized-task";
import { runInput } from "../../support/run-state";

describe("the serialized issue interpreter", () => {
  let task: SerializedTask;
  let sim: GitHubSimulator;
  beforeAll(async () => {
    task = await serializeTaskFunction(createIssueInterpreterHandler, "interpreter");
    sim = await startGitHubSimulator();
  }, 120_000);
  afterAll(async () => {
    task?.dispose();
    await sim?.close();
  });

  it("analyses an issue on the simulator from a fresh process", async () => {
    const { id: installationId } = sim.createInstallation("acme");
    const repo = sim.createRepository({
      owner: "acme",
      name: "serialized",
      installationId,
      files: { ".github/afu9.yml": "enabled: true\n" },
    });
    sim.setPermission("acme", "serialized", "mona", "write");
    const title = "Wunsch: Export als Excel-Datei";
    const body = "Es wäre toll, wenn man die Liste auch als xlsx exportieren könnte.";
    const issue = sim.createIssue("acme", "serialized", { title, body, user: "kunde" });
    sim.addLabel("acme", "serialized", issue.number, "afu9", "mona");
    const state = runInput({
      installationId,
      repository: { id: repo.id, owner: "acme", name: "serialized" },
      issue: { number: issue.number, title, body },
      author: { login: "kunde", association: "NONE" },
      sender: "mona",
      delivery: { id: "ser-1", label: "afu9" },
      settings: { ciMaxWaitSeconds: 600, ciNoChecksGraceSeconds: 60 },
    });
    const result = await task.run(sim, state, [{ action: "analyze", as: "analysis" }]);
    expect(result.error).toBeUndefined();
    expect(result.analysis).toMatchObject({ type: "feature", priority: "P3", actionable: false });
    const labels = sim
      .getIssue("acme", "serialized", issue.number)
      .labels.map((l) => (typeof l === "string" ? l : l.name));
    expect(labels).toEqual(expect.arrayContaining(["type:feature", "priority:P3"]));
    const comments = sim.listIssueComments("acme", "serialized", issue.number);
    expect(comments).toHaveLength(1);
    // The patch plan's tarball read and ranking ran inside the serialized archive.
    expect(comments[0].body).toContain("#### Patch plan");
    expect(comments[0].body).not.toContain("could not be read");
  }, 90_000);
});
