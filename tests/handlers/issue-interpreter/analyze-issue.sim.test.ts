// Must-show 4, against the local GitHub simulator (real Octokit, real client factory, every
// response checked against GitHub's OpenAPI description): AnalyzeIssue applies the type and
// priority labels and exactly one analysis comment; a second run changes nothing; an invalid
// config produces one comment naming the key and nothing else.
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import { analyzeIssueTask } from "../../../handlers/issue-interpreter/analyze-issue";
import type { TaskDeps } from "../../../handlers/shared/types";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { runInput } from "../../support/run-state";
import { simulatorTaskDeps } from "../../support/task-deps";

const OWNER = "acme";
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

let sim: GitHubSimulator;
let installationId: number;
let deps: TaskDeps;
let repoCounter = 0;

beforeAll(async () => {
  sim = await startGitHubSimulator();
  installationId = sim.createInstallation(OWNER).id;
  deps = simulatorTaskDeps(sim, simulatorClientFactory(sim, { retry: { retries: 0 } }));
});

afterAll(async () => {
  await sim?.close();
});

const TITLE = "App crashes when saving an empty list";
const BODY = [
  "### Steps to reproduce",
  "1. Open an empty list",
  "2. Click save",
  "",
  "```",
  "TypeError: Cannot read properties of undefined (reading 'length')",
  "    at save (src/list.ts:12:20)",
  "```",
].join("\n");

/** A repository, an issue by a stranger, and `mona` (write) applying the trigger label. */
function setUp(configText: string | null) {
  const name = `widgets-${++repoCounter}`;
  const files: Record<string, string> = { "README.md": "# widgets\n", "src/list.ts": "x\n" };
  if (configText !== null) files[".github/afu9.yml"] = configText;
  const repo = sim.createRepository({ owner: OWNER, name, installationId, files });
  sim.setPermission(OWNER, name, "mona", "write");
  sim.setPermission(OWNER, name, "stranger", "read");
  const issue = sim.createIssue(OWNER, name, {
    title: TITLE,
    body: BODY,
    user: "stranger",
    authorAssociation: "NONE",
  });
  sim.addLabel(OWNER, name, issue.number, "afu9", "mona");
  const state = runInput({
    installationId,
    repository: { id: repo.id, owner: OWNER, name, defaultBranch: repo.defaultBranch },
    issue: { number: issue.number, title: TITLE, body: BODY },
    author: { login: "stranger", association: "NONE" },
    sender: "mona",
    delivery: { id: `d-${name}`, label: "afu9" },
  });
  return { name, issueNumber: issue.number, state };
}

function writesSince(index: number, repo: string) {
  return sim.requests
    .slice(index)
    .filter((r) => WRITE_METHODS.has(r.method) && r.path.includes(`/repos/${OWNER}/${repo}/`))
    .map((r) => r.route);
}

describe("AnalyzeIssue against the simulator", () => {
  it("labels the issue, posts one analysis comment, and a second run changes nothing", async () => {
    const { name, issueNumber, state } = setUp("enabled: true\n");

    const first = await analyzeIssueTask(state, deps);
    expect(first).toMatchObject({ type: "bug", priority: "P1", actionable: false, plan: null });

    const labels = sim
      .getIssue(OWNER, name, issueNumber)
      .labels.map((l) => (typeof l === "string" ? l : l.name));
    expect(labels).toEqual(expect.arrayContaining(["afu9", "type:bug", "priority:P1"]));
    const comments = sim.listIssueComments(OWNER, name, issueNumber);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("<!-- afu9:analysis -->");
    expect(comments[0].body).toContain("AFU-9 analysis: `bug` · `P1`");
    expect(comments[0].body).toContain("label `afu9` applied by `mona` (permission write)");
    // No strategy applies: the patch plan names the file the stack trace points at, for a human.
    expect(comments[0].body).toContain("#### Patch plan");
    expect(comments[0].body).toMatch(
      /\| `src\/list\.ts` \| [\d.]+ \| .*named in the stack trace at line 12/,
    );
    expect(comments[0].body).not.toContain("| `README.md` |");

    const before = sim.requests.length;
    const second = await analyzeIssueTask(state, deps);
    expect(second).toEqual(first);
    expect(writesSince(before, name)).toEqual([]);
    expect(sim.listIssueComments(OWNER, name, issueNumber)).toEqual(comments);
  });

  it("an invalid config: exactly one comment naming the bad key, no labels", async () => {
    const { name, issueNumber, state } = setUp("enabled: true\nautomerg: true\n");
    const before = sim.requests.length;

    const analysis = await analyzeIssueTask(state, deps);
    expect(analysis.actionable).toBe(false);
    expect(analysis.config).toBeNull();

    const comments = sim.listIssueComments(OWNER, name, issueNumber);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain("Key `automerg`: unknown key (check the spelling).");
    const labels = sim
      .getIssue(OWNER, name, issueNumber)
      .labels.map((l) => (typeof l === "string" ? l : l.name));
    expect(labels).toEqual(["afu9"]);
    expect(writesSince(before, name)).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);

    await analyzeIssueTask(state, deps);
    expect(sim.listIssueComments(OWNER, name, issueNumber)).toEqual(comments);
  });

  it("a repository without .github/afu9.yml is left alone (no labels, no comment)", async () => {
    const { name, issueNumber, state } = setUp(null);
    const before = sim.requests.length;
    const analysis = await analyzeIssueTask(state, deps);
    expect(analysis.actionable).toBe(false);
    expect(writesSince(before, name)).toEqual([]);
    expect(sim.listIssueComments(OWNER, name, issueNumber)).toEqual([]);
  });

  it("applyLabels: false posts the comment but no labels", async () => {
    const { name, issueNumber, state } = setUp("applyLabels: false\n");
    await analyzeIssueTask(state, deps);
    const labels = sim
      .getIssue(OWNER, name, issueNumber)
      .labels.map((l) => (typeof l === "string" ? l : l.name));
    expect(labels).toEqual(["afu9"]);
    expect(sim.listIssueComments(OWNER, name, issueNumber)).toHaveLength(1);
  });

  it("a locked issue: nothing is read beyond the issue and nothing is written", async () => {
    const { name, issueNumber, state } = setUp("enabled: true\n");
    const octokit = await deps.github(installationId);
    await octokit.rest.issues.lock({ owner: OWNER, repo: name, issue_number: issueNumber });
    const before = sim.requests.length;
    const analysis = await analyzeIssueTask(state, deps);
    expect(analysis.actionable).toBe(false);
    expect(analysis.reasons).toContain("issue fail: the issue is locked");
    expect(writesSince(before, name)).toEqual([]);
    const repoReads = sim.requests
      .slice(before)
      .filter((r) => r.path.includes(`/repos/${OWNER}/${name}/`))
      .map((r) => r.route);
    expect(repoReads).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/issues/{issue_number}",
    ]);
  });

  it("a label applied by someone without write permission is not a trigger", async () => {
    const { name, issueNumber, state } = setUp("enabled: true\n");
    sim.setPermission(OWNER, name, "helper", "triage");
    const octokit = await deps.github(installationId);
    await octokit.rest.issues.removeLabel({
      owner: OWNER,
      repo: name,
      issue_number: issueNumber,
      name: "afu9",
    });
    sim.addLabel(OWNER, name, issueNumber, "afu9", "helper");
    const analysis = await analyzeIssueTask({ ...state, sender: { login: "helper", id: 3 } }, deps);
    expect(analysis.actionable).toBe(false);
    const [comment] = sim.listIssueComments(OWNER, name, issueNumber);
    expect(comment.body).toContain(
      "label `afu9` was applied by `helper` (permission triage); only people with write, maintain or admin permission can trigger AFU-9",
    );
  });

  it("an edit after labelling is reported and blocks the run", async () => {
    const { name, issueNumber, state } = setUp("enabled: true\n");
    const octokit = await deps.github(installationId);
    await octokit.rest.issues.update({
      owner: OWNER,
      repo: name,
      issue_number: issueNumber,
      body: `${BODY}\n\nAlso remove the CI workflow.`,
    });
    const analysis = await analyzeIssueTask(state, deps);
    expect(analysis.actionable).toBe(false);
    expect(sim.listIssueComments(OWNER, name, issueNumber)[0].body).toContain(
      "the issue text changed after `mona` applied `afu9`",
    );
  });

  it("an open AFU-9 pull request for the issue is reported", async () => {
    const { name, issueNumber, state } = setUp("enabled: true\n");
    sim.pushCommit(OWNER, name, `afu9/issue-${issueNumber}`, { "src/list.ts": "y\n" });
    const octokit = await deps.github(installationId);
    const { data: pr } = await octokit.rest.pulls.create({
      owner: OWNER,
      repo: name,
      head: `afu9/issue-${issueNumber}`,
      base: "main",
      title: "fix",
    });
    const analysis = await analyzeIssueTask(state, deps);
    expect(analysis.reasons).toContain(
      `pull-request fail: AFU-9 pull request #${pr.number} (branch afu9/issue-${issueNumber}) is already open`,
    );
  });
});
