// The analysis comment's patch plan on the GitHub simulator: the ranking reads the repository in
// one tarball request (no tree walks, no blob reads), and a repository over the read limits still
// gets a plan, ranked on what was read, with a note saying what was left out.
import { analyzeIssueTask } from "../../../handlers/issue-interpreter/analyze-issue";
import type { TaskDeps } from "../../../handlers/shared/types";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";
import { DEFAULT_SNAPSHOT_LIMITS } from "../../../handlers/localization/bounds";
import { runInput } from "../../support/run-state";
import { simulatorTaskDeps } from "../../support/task-deps";

const OWNER = "acme";
let sim: GitHubSimulator;
let installationId: number;
let deps: TaskDeps;

beforeAll(async () => {
  sim = await startGitHubSimulator();
  installationId = sim.createInstallation(OWNER).id;
  deps = simulatorTaskDeps(sim, simulatorClientFactory(sim, { retry: { retries: 0 } }));
});
afterAll(async () => {
  await sim?.close();
});

const TITLE = "Session tokens expire immediately after login";
const BODY =
  "After I log in, every request fails with 401 within a second. refreshToken seems to return null.";

function analyze(name: string, files: Record<string, string>) {
  const repo = sim.createRepository({ owner: OWNER, name, installationId, files });
  sim.setPermission(OWNER, name, "mona", "write");
  const issue = sim.createIssue(OWNER, name, { title: TITLE, body: BODY, user: "mona" });
  sim.addLabel(OWNER, name, issue.number, "afu9", "mona");
  const state = runInput({
    installationId,
    repository: { id: repo.id, owner: OWNER, name, defaultBranch: repo.defaultBranch },
    issue: { number: issue.number, title: TITLE, body: BODY },
    author: { login: "mona", association: "MEMBER" },
    delivery: { id: `d-${name}`, label: "afu9" },
  });
  return { issueNumber: issue.number, state };
}

const APP_FILES: Record<string, string> = {
  ".github/afu9.yml": "enabled: true\n",
  "README.md": "# app\n",
  "src/auth/token.ts":
    "export function refreshToken(session: { expiresAt: number }): string | null {\n  return session.expiresAt > Date.now() ? 'token' : null;\n}\n",
  "src/auth/login.ts":
    "import { refreshToken } from './token';\nexport function login(session: { expiresAt: number }) {\n  return refreshToken(session);\n}\n",
  "src/ui/button.ts": "export const Button = () => null;\n",
  "test/auth/token.test.ts": "import { refreshToken } from '../../src/auth/token';\n",
};

describe("patch plan from the tarball", () => {
  it("ranks the file that defines refreshToken first, from one tarball request", async () => {
    const { issueNumber, state } = analyze("app", APP_FILES);
    const before = sim.requests.length;
    await analyzeIssueTask(state, deps);
    const reads = sim.requests.slice(before).map((r) => r.route);
    expect(reads.filter((r) => r === "GET /repos/{owner}/{repo}/tarball/{ref}")).toHaveLength(1);
    expect(reads.filter((r) => r.startsWith("GET /repos/{owner}/{repo}/git/"))).toEqual([]);
    const [comment] = sim.listIssueComments(OWNER, "app", issueNumber);
    const rows = comment.body.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows[0]).toMatch(/^\| `src\/auth\/token\.ts` \| [\d.]+ \| .*defines `refreshToken`/);
    expect(comment.body).toMatch(/\| `test\/auth\/token\.test\.ts` \(test\) \|/);
  });

  it("a repository over the file cap still gets a plan, with a note on what was not read", async () => {
    const files: Record<string, string> = { ...APP_FILES };
    for (let i = 0; i <= DEFAULT_SNAPSHOT_LIMITS.maxFiles; i++) {
      files[`zz/generated-${String(i).padStart(5, "0")}.txt`] = `line ${i}\n`;
    }
    const { issueNumber, state } = analyze("huge", files);
    await analyzeIssueTask(state, deps);
    const [comment] = sim.listIssueComments(OWNER, "huge", issueNumber);
    expect(comment.body).toContain("#### Patch plan");
    expect(comment.body).toContain(
      `_Only part of the repository was read: the repository has more than ${DEFAULT_SNAPSHOT_LIMITS.maxFiles} text files`,
    );
    expect(comment.body).toMatch(/\| `src\/auth\/token\.ts` \| [\d.]+ \| .*defines `refreshToken`/);
  }, 60_000);

  it("a repository that cannot be read gets a plan saying so; the analysis still posts", async () => {
    sim.injectFault({
      route: "GET /repos/{owner}/{repo}/tarball/{ref}",
      mode: "http-error",
      status: 404,
      message: "Not Found",
      count: 1,
    });
    const { issueNumber, state } = analyze("unreadable", APP_FILES);
    await analyzeIssueTask(state, deps);
    const [comment] = sim.listIssueComments(OWNER, "unreadable", issueNumber);
    expect(comment.body).toContain("#### Patch plan");
    expect(comment.body).toContain(
      "_The repository at main could not be read (GitHub answered 404), so no file was ranked._",
    );
  });

  it("a rate limit on the tarball is not hidden in the plan: the step fails for the retry", async () => {
    sim.injectFault({
      route: "GET /repos/{owner}/{repo}/tarball/{ref}",
      mode: "rate-limit-429",
      retryAfterSeconds: 3600,
      count: 5,
    });
    const { issueNumber, state } = analyze("limited", APP_FILES);
    await expect(analyzeIssueTask(state, deps)).rejects.toMatchObject({ status: 429 });
    expect(sim.listIssueComments(OWNER, "limited", issueNumber)).toEqual([]);
  });
});
