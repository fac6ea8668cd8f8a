// What routes, renderers and the programmatic API share for one simulator instance.
import type { Store, RepoState } from "./state/store";

export interface SimContext {
  store: Store;
  /** REST base URL, e.g. http://127.0.0.1:PORT */
  apiUrl: string;
  /** Base of html_url fields; not served (the sandbox has no web UI). */
  webUrl: string;
  now(): Date;
  /** Reads of a PR that report `mergeable: null` after its head or base moved (default 0). */
  mergeableComputeReads: number;
  /** Sends a signed webhook when configured; never throws. */
  emit(event: string, payload: Record<string, unknown>): void;
  /** Called after a ref of a repository moved to a new commit (CI programs, mergeability). */
  onPush(repo: RepoState, ref: string, before: string | null, after: string, pusher: string): void;
}

export function isoNow(ctx: SimContext): string {
  return ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}
