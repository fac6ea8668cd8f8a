// The one-comment-per-purpose rule against the simulator: created once, updated in place, left
// alone when unchanged, and never adopted from a person who pasted the marker.
import type { Octokit } from "@octokit/rest";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import {
  commentMarker,
  findMarkedComment,
  upsertMarkedComment,
} from "../../../handlers/github/marked-comment";
import { startGitHubSimulator, type GitHubSimulator } from "../../../local/github-simulator";

const OWNER = "acme";
const REPO = "widgets";
let sim: GitHubSimulator;
let octokit: Octokit;
let issueNumber: number;

beforeAll(async () => {
  sim = await startGitHubSimulator();
  const { id: installationId } = sim.createInstallation(OWNER);
  sim.createRepository({
    owner: OWNER,
    name: REPO,
    installationId,
    files: { "README.md": "hi\n" },
  });
  const github = simulatorClientFactory(sim);
  octokit = await github(installationId);
});

beforeEach(() => {
  issueNumber = sim.createIssue(OWNER, REPO, { title: "t", body: "b", user: "alice" }).number;
});

afterAll(async () => {
  await sim.close();
});

const target = () => ({ owner: OWNER, repo: REPO, issueNumber });

test("created once, unchanged on the same text, updated in place on new text", async () => {
  const first = await upsertMarkedComment(octokit, target(), "analysis", "v1");
  const again = await upsertMarkedComment(octokit, target(), "analysis", "v1");
  const changed = await upsertMarkedComment(octokit, target(), "analysis", "v2");
  expect([first.action, again.action, changed.action]).toEqual(["created", "unchanged", "updated"]);
  expect(again.id).toBe(first.id);
  expect(changed.id).toBe(first.id);
  const comments = sim.listIssueComments(OWNER, REPO, issueNumber);
  expect(comments.map((c) => c.body)).toEqual([`${commentMarker("analysis")}\nv2`]);
});

test("a person's comment carrying the marker is never adopted or edited", async () => {
  const planted = `${commentMarker("analysis")}\nplanted by a stranger`;
  sim.addComment(OWNER, REPO, issueNumber, { body: planted, user: "mallory" });
  expect(await findMarkedComment(octokit, target(), "analysis")).toBeNull();
  const result = await upsertMarkedComment(octokit, target(), "analysis", "real analysis");
  expect(result.action).toBe("created");
  const bodies = sim.listIssueComments(OWNER, REPO, issueNumber).map((c) => c.body);
  expect(bodies).toEqual([planted, `${commentMarker("analysis")}\nreal analysis`]);
});

test("kinds are separate and marker kinds are validated", async () => {
  await upsertMarkedComment(octokit, target(), "analysis", "a");
  await upsertMarkedComment(octokit, target(), "ci-feedback", "b");
  expect(sim.listIssueComments(OWNER, REPO, issueNumber)).toHaveLength(2);
  expect(() => commentMarker("Bad Kind")).toThrow(
    "comment marker kind must be lower-case letters, digits, ':' or '-': \"Bad Kind\"",
  );
});
