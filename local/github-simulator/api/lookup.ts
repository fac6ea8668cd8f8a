// Shared by the programmatic API: find a repository, turn GitHub-style route errors into Errors.
import type { SimContext } from "../context";
import { isSimError } from "../http/route-types";
import { repoKey, type RepoState } from "../state/store";

export function findRepo(ctx: SimContext, owner: string, name: string): RepoState {
  const repo = ctx.store.repos.get(repoKey(owner, name));
  if (!repo)
    throw new Error(`simulator: no repository ${owner}/${name}; call createRepository first`);
  return repo;
}

/** Programmatic calls reuse the route logic; its GitHub-style errors become plain Errors here. */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isSimError(error)) {
      throw new Error(`simulator ${what}: ${String(error.body.message)}`, { cause: error });
    }
    throw error;
  }
}
