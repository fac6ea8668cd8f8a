// Task tokens of `.waitForTaskToken` states on one machine: what Step Functions issues per task
// entry and answers SendTaskSuccess / SendTaskFailure against. Answers use the service's error
// names: a token never issued here is TaskDoesNotExist, one of another form InvalidToken, one
// whose task already ended (resumed, timed out, failed, execution stopped) TaskTimedOut.
import { randomUUID } from "node:crypto";

export type TokenAnswer = "ok" | "TaskTimedOut" | "InvalidToken" | "TaskDoesNotExist";

export interface TaskTokens {
  /** A new token for one task entry of `execution`. */
  issue(execution: string): string;
  /** Resolves with the output of SendTaskSuccess, rejects with the error of SendTaskFailure. */
  wait(token: string): Promise<unknown>;
  succeed(token: string, output: unknown): TokenAnswer;
  fail(token: string, error: string, cause: string): TokenAnswer;
  /** The task ended without the token (timeout, failure, abort): later sends are TaskTimedOut. */
  close(token: string): void;
  /** Tokens whose task still waits (tests). */
  open(): string[];
}

const PREFIX = "afu9-local-token:";

export function createTaskTokens(): TaskTokens {
  const waiting = new Map<
    string,
    { resolve(value: unknown): void; reject(error: Error): void; promise: Promise<unknown> }
  >();
  const issued = new Set<string>();

  function settle(
    token: string,
    how: (entry: NonNullable<ReturnType<typeof waiting.get>>) => void,
  ) {
    if (!token.startsWith(PREFIX)) return "InvalidToken" as const;
    if (!issued.has(token)) return "TaskDoesNotExist" as const;
    const entry = waiting.get(token);
    if (!entry) return "TaskTimedOut" as const;
    waiting.delete(token);
    how(entry);
    return "ok" as const;
  }

  return {
    issue(execution) {
      const token = `${PREFIX}${execution}:${randomUUID()}`;
      issued.add(token);
      let resolve!: (value: unknown) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A token nobody waits for must not surface as an unhandled rejection.
      promise.catch(() => undefined);
      waiting.set(token, { resolve, reject, promise });
      return token;
    },
    wait(token) {
      const entry = waiting.get(token);
      if (!entry) return Promise.reject(new Error(`task token ${token} is not waiting`));
      return entry.promise;
    },
    succeed: (token, output) => settle(token, (entry) => entry.resolve(output)),
    fail: (token, error, cause) =>
      settle(token, (entry) => entry.reject(Object.assign(new Error(cause), { name: error }))),
    close(token) {
      waiting.delete(token);
    },
    open: () => [...waiting.keys()],
  };
}
