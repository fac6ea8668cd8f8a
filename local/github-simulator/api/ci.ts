// CI scripting: check runs, statuses, a CI program, branch protection's required checks.
import type { SimContext } from "../context";
import {
  recordStatus,
  writeCheckRun,
  type CheckRunInput,
  type StatusInput,
} from "../routes/checks";
import { getObject } from "../state/git-objects";
import type { GitHubSimulator } from "../simulator-types";
import { findRepo, guard } from "./lookup";

type CiApi = Pick<GitHubSimulator, "setCheckRun" | "setStatus" | "programCi" | "setRequiredChecks">;

export function createCiApi(ctx: SimContext): CiApi {
  const repoOf = (owner: string, name: string) => findRepo(ctx, owner, name);
  return {
    setCheckRun(owner, name, sha, run) {
      const repo = repoOf(owner, name);
      const existing = [...repo.checkRuns.values()]
        .reverse()
        .find((r) => r.headSha === sha && r.name === run.name);
      guard("setCheckRun", () =>
        writeCheckRun(ctx, repo, sha, run as CheckRunInput, "github-actions[bot]", existing),
      );
    },

    setStatus(owner, name, sha, status) {
      const repo = repoOf(owner, name);
      if (!getObject(repo, sha, "commit"))
        throw new Error(`simulator: no commit ${sha} in ${owner}/${name}`);
      recordStatus(ctx, repo, sha, status as StatusInput, "ci-bot");
    },

    programCi(owner, name, program, options) {
      const repo = repoOf(owner, name);
      if (options?.branch) repo.ciByBranch.set(options.branch, { ...program });
      else repo.ci = { ...program };
    },

    setRequiredChecks(owner, name, branch, contexts) {
      repoOf(owner, name).requiredChecks.set(branch, [...contexts]);
    },
  };
}
