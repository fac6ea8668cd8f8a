// A Lambda invocation's deadline as an AbortSignal: it aborts a margin before the invocation's
// remaining time (context.getRemainingTimeInMillis) runs out, and the GitHub client passes it to
// every request, so a task that runs out of time stops its in-flight and later requests instead
// of writing to GitHub after Step Functions has already moved on. One invocation at a time runs
// in a Lambda container; outside Lambda (no context) there is no deadline.

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

export interface InvocationDeadline {
  /** The current invocation's signal, undefined outside an invocation with a deadline. */
  signal(): AbortSignal | undefined;
  /** Runs `work` under the deadline of `context` (none without a context). */
  run<R>(context: unknown, work: () => Promise<R>): Promise<R>;
}

/** Time kept back to report the error to Step Functions before Lambda ends the invocation. */
export const DEADLINE_MARGIN_MS = 2000;

function remainingMs(context: unknown): number | undefined {
  const get = (context as Partial<LambdaContextLike> | null)?.getRemainingTimeInMillis;
  if (typeof get !== "function") return undefined;
  const ms = get.call(context);
  return typeof ms === "number" && Number.isFinite(ms) ? ms : undefined;
}

export function createInvocationDeadline(marginMs = DEADLINE_MARGIN_MS): InvocationDeadline {
  let current: AbortController | undefined;
  return {
    signal: () => current?.signal,
    async run(context, work) {
      const remaining = remainingMs(context);
      if (remaining === undefined) return work();
      const controller = new AbortController();
      // A plain abort (AbortError): Octokit's retry plugin does not retry it.
      const timer = setTimeout(() => controller.abort(), Math.max(0, remaining - marginMs));
      current = controller;
      try {
        return await work();
      } finally {
        clearTimeout(timer);
        if (current === controller) current = undefined;
      }
    },
  };
}
