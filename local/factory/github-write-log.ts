// Which GitHub writes each execution made. Task functions run inside an AsyncLocalStorage scope
// named after their execution, so one hook per Octokit instance (clients are cached and shared by
// executions) can attribute every non-GET request to the execution whose task made it.
import { AsyncLocalStorage } from "node:async_hooks";
import type { GitHubClientFactory } from "../../handlers/shared/types";
import type { TaskFunction } from "../state-machine-runner";

export interface GitHubWrite {
  /** Epoch ms when the answer arrived. */
  at: number;
  method: string;
  /** The request path, e.g. /repos/o/r/issues/3/comments. */
  path: string;
  /** HTTP status of the final answer (after Octokit's retries); 0 = no answer. */
  status: number;
  /** The request's telling fields: a comment's body, labels, a title, a ref or sha. */
  detail: string;
  /** The `number` of the issue or pull request the answer describes, when it has one. */
  number?: number;
}

type RequestOptions = { method?: string; url?: string; [key: string]: unknown };

const DETAIL_FIELDS = ["title", "labels", "name", "ref", "sha", "merge_method", "state", "body"];
const DETAIL_LIMIT = 400;

function detailOf(options: RequestOptions): string {
  const parts: string[] = [];
  for (const field of DETAIL_FIELDS) {
    const value = options[field];
    if (value === undefined || value === null) continue;
    parts.push(`${field}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  const text = parts.join("\n");
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT)}...` : text;
}

function pathOf(url: string): string {
  try {
    return new URL(url, "http://github.invalid").pathname;
  } catch {
    return url;
  }
}

export interface GitHubWriteLog {
  /** The client factory whose clients record writes for the execution running the task. */
  recording(github: GitHubClientFactory): GitHubClientFactory;
  /** Task functions that run inside the execution's scope. */
  scoped(executionName: string, tasks: Record<string, TaskFunction>): Record<string, TaskFunction>;
  /** Called for each recorded write. */
  onWrite(listener: (executionName: string, write: GitHubWrite) => void): void;
}

export function createGitHubWriteLog(): GitHubWriteLog {
  const scope = new AsyncLocalStorage<string>();
  const hooked = new WeakSet<object>();
  const listeners: Array<(executionName: string, write: GitHubWrite) => void> = [];
  const record = (url: string, options: RequestOptions, status: number, data?: unknown) => {
    const execution = scope.getStore();
    const method = String(options.method ?? "GET").toUpperCase();
    if (!execution || method === "GET" || method === "HEAD") return;
    const path = pathOf(url);
    // Installation tokens are the client authenticating, not a change on GitHub.
    if (/^\/app\/installations\/[^/]+\/access_tokens$/.test(path)) return;
    const number = (data as { number?: unknown } | undefined)?.number;
    const write: GitHubWrite = {
      at: Date.now(),
      method,
      path,
      status,
      detail: detailOf(options),
      ...(typeof number === "number" ? { number } : {}),
    };
    for (const listener of listeners) listener(execution, write);
  };
  return {
    recording(github) {
      return async (installationId) => {
        const octokit = await github(installationId);
        if (!hooked.has(octokit)) {
          hooked.add(octokit);
          // The hook sees the route template ({owner}); the endpoint parser expands it.
          const urlOf = (options: unknown) =>
            octokit.request.endpoint.parse(
              options as Parameters<typeof octokit.request.endpoint.parse>[0],
            ).url;
          octokit.hook.after("request", (response, options) =>
            record(urlOf(options), options as RequestOptions, response.status, response.data),
          );
          octokit.hook.error("request", (error, options) => {
            const status = (error as { status?: number }).status ?? 0;
            record(urlOf(options), options as RequestOptions, status);
            throw error;
          });
        }
        return octokit;
      };
    },
    scoped(executionName, tasks) {
      return Object.fromEntries(
        Object.entries(tasks).map(([key, fn]) => [
          key,
          (event: Parameters<TaskFunction>[0]) => scope.run(executionName, () => fn(event)),
        ]),
      );
    },
    onWrite(listener) {
      listeners.push(listener);
    },
  };
}
