// Lambda entry for the notifier function: used as the CallbackFunction's callbackFactory, so it
// runs once per container (clients, logger and the destination cache are built here) and returns
// the per-invocation handler. EventBridge and SNS invoke it asynchronously.
import { SFNClient } from "@aws-sdk/client-sfn";
import { ENV, type NotifyDestination } from "../../contract/environment";
import { createLogger, createMetrics } from "../runtime/logger";
import { systemClock } from "../runtime/task-deps";
import { fetchPost } from "./deliver";
import { createDestinationStore } from "./destination-store";
import { createSfnRunEndReader } from "./execution-reader";
import { handleNotification, type NotifyReport } from "./notify";

/** Destinations are re-read from the secret at most this often. */
const SECRET_TTL_SECONDS = 300;

export function createNotifierHandler(): (event: unknown) => Promise<NotifyReport> {
  const clock = systemClock();
  // The environment is read on first use: an archive loaded without it (packaging tests) builds.
  let store: (() => Promise<Record<string, NotifyDestination>>) | undefined;
  const destinations = () => {
    const secretArn = process.env[ENV.secretArn];
    if (!secretArn) {
      throw Object.assign(
        new Error(
          `${ENV.secretArn} is not set: the Notifier component sets it to the stack secret's ARN`,
        ),
        { code: "CONFIG_MISSING" },
      );
    }
    store ??= createDestinationStore({ secretArn, ttlSeconds: SECRET_TTL_SECONDS, now: clock.now });
    return store();
  };
  const deps = {
    destinations,
    readRunEnd: createSfnRunEndReader(
      new SFNClient({ maxAttempts: 3, requestHandler: { requestTimeout: 5000 } }),
    ),
    post: fetchPost(),
    clock,
    logger: createLogger("afu9-notifier"),
    metrics: createMetrics("afu9-notifier"),
    githubWebUrl: (process.env[ENV.githubWebUrl] || "https://github.com").replace(/\/+$/, ""),
  };
  return async (event: unknown) => handleNotification(event, deps);
}
