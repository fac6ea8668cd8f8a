// Shared setup: a simulator with one installation and repository, and a real Octokit from the
// production client factory (App JWT -> installation token), write spacing off for speed.
import type { Octokit } from "@octokit/rest";
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
