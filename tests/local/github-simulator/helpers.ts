// Shared setup: a simulator with one installation and repository, and a real Octokit from the
// production client factory (App JWT -> installation token), write spacing off for speed.
import type { Octokit } from "@octokit/rest";
import examples from "@octokit/webhooks-examples";
import { simulatorClientFactory } from "../../../local/github-simulator/client-factory";
import {
  startGitHubSimulator,
  type GitHubSimulator,
  type GitHubSimulatorOptions,
} from "../../../local/github-simulator";

export interface SimFixture {
  sim: GitHubSimulator;
  octokit: Octokit;
  owner: string;
  repo: string;
  installationId: number;
  headSha: string;
}

export async function startFixture(
  options: GitHubSimulatorOptions = {},
  files: Record<string, string> = {
    "README.md": "# widgets\n",
    "src/a.ts": "export const a = 1;\n",
  },
): Promise<SimFixture> {
  const sim = await startGitHubSimulator(options);
  const { id: installationId } = sim.createInstallation("acme");
  const created = sim.createRepository({ owner: "acme", name: "widgets", installationId, files });
  const factory = simulatorClientFactory(sim);
  const octokit = await factory(installationId);
  return { sim, octokit, owner: "acme", repo: "widgets", installationId, headSha: created.headSha };
}

/** The HTTP status of a rejected Octokit call (fails the test if the call succeeded). */
export async function statusOf(
  call: Promise<unknown>,
): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; message?: string };
    return { status: e.status ?? -1, message: e.message ?? "" };
  }
  throw new Error("expected the request to be rejected, but it succeeded");
}

/**
 * A fixture for every test of the file (`each`) or one shared by them (`all`), closed after; the
 * getter reads the current one.
 */
export function useFixture(scope: "each" | "all"): () => SimFixture {
  let fixture: SimFixture | undefined;
  const [before, after] = scope === "each" ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    fixture = await startFixture();
  });
  after(async () => {
    await fixture?.sim.close();
  });
  return () => {
    if (!fixture) throw new Error("the fixture is read outside a test");
    return fixture;
  };
}

/** Pushes `files` to a new branch and opens a PR from it to main (as the App). */
export async function openPull(
  f: SimFixture,
  branch: string,
  files: Record<string, string>,
): Promise<{ number: number; head: string }> {
  const head = f.sim.pushCommit(f.owner, f.repo, branch, files);
  const { data } = await f.octokit.rest.pulls.create({
    owner: f.owner,
    repo: f.repo,
    title: branch,
    head: branch,
    base: "main",
  });
  return { number: data.number, head };
}

/** The keys every recorded GitHub example of this event and action has (at `nested`, if given). */
export function exampleKeys(event: string, action: string, nested?: string): string[] {
  const payloads = (examples.find((e) => e.name === event)?.examples ?? []) as Array<
    Record<string, unknown>
  >;
  const matching = payloads.filter((p) => p.action === action);
  if (matching.length === 0) throw new Error(`no recorded example of ${event}.${action}`);
  const sets = matching.map((p) => Object.keys((nested ? p[nested] : p) as object));
  return sets[0].filter((k) => sets.every((s) => s.includes(k)) && k !== "organization");
}
