// startGitHubSimulator: the HTTP server plus the programmatic API tests and the sandbox use to
// arrange state, script CI, inject faults and inspect what the code under test did.
import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createArrangeApi } from "./api/arrange";
import { createCiApi } from "./api/ci";
import { createInspectApi } from "./api/inspect";
import { createRepositoryViewApi } from "./api/repository-view";
import { createReviewApi } from "./api/reviews";
import { createRulesetApi } from "./api/rulesets";
import { publicKeyOf } from "./auth/app-jwt";
import { createCiRunner } from "./ci-program";
import type { SimContext } from "./context";
import { createFaults } from "./faults";
import { createSimServer, type RecordedRequest } from "./http/server";
import type { RouteTable } from "./http/route-types";
import { emitSynchronize } from "./payloads";
import { appRoutes } from "./routes/apps";
import { archiveRoutes } from "./routes/archives";
import { checkRoutes } from "./routes/checks";
import { gitRoutes } from "./routes/git";
import { commentRoutes } from "./routes/comments";
import { issueRoutes } from "./routes/issues";
import { labelRoutes } from "./routes/labels";
import { pullRoutes } from "./routes/pulls";
import { reactionRoutes } from "./routes/reactions";
import { repoRoutes } from "./routes/repos";
import { reviewCommentRoutes } from "./routes/review-comments";
import { reviewRoutes } from "./routes/reviews";
import { ruleRoutes } from "./routes/rules";
import type { GitHubSimulator, GitHubSimulatorOptions } from "./simulator-types";
import { createStore } from "./state/store";
import { createWebhookEmitter } from "./webhooks";

export type {
  GitHubSimulator,
  GitHubSimulatorOptions,
  IssueRestObject,
  SimCheckRun,
} from "./simulator-types";

const ROUTES: RouteTable = {
  ...appRoutes,
  ...gitRoutes,
  ...repoRoutes,
  ...archiveRoutes,
  ...issueRoutes,
  ...labelRoutes,
  ...commentRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  ...reviewCommentRoutes,
  ...reactionRoutes,
  ...ruleRoutes,
  ...checkRoutes,
};

export async function startGitHubSimulator(
  options: GitHubSimulatorOptions = {},
): Promise<GitHubSimulator> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const appId = options.appId ?? 1001;
  const store = createStore(appId, options.appSlug ?? "afu9-sandbox");
  const clock = options.now ?? Date.now;
  const faults = createFaults();
  const emitter = createWebhookEmitter(options.webhooks, () => appId);
  const requests: RecordedRequest[] = [];
  const ci = createCiRunner(() => ctx);
  const ctx: SimContext = {
    store,
    apiUrl: "http://127.0.0.1",
    webUrl: "https://github.sandbox.invalid",
    now: () => new Date(clock()),
    mergeableComputeReads: options.mergeableComputeReads ?? 0,
    emit: (event, payload) => emitter.emit(event, payload),
    onPush: (repo, ref, before, after, pusher) => {
      emitSynchronize(ctx, repo, ref, before, after, pusher);
      ci.onPush(repo, ref, after);
    },
  };
  const appPublicKey = publicKeyOf(privateKey);
  const sleepTimers = new Set<NodeJS.Timeout>();
  const server = createSimServer(
    () => ({
      ctx,
      routes: ROUTES,
      faults,
      appPublicKey,
      validateResponses: options.validateResponses ?? true,
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => (sleepTimers.delete(timer), resolve()), ms);
          sleepTimers.add(timer);
        }),
    }),
    requests,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  ctx.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: ctx.apiUrl,
    app: { id: appId, slug: store.app.slug, privateKey },
    requests,
    events: emitter.events,
    waitForWebhooks: () => emitter.idle(),
    dropWebhooks: (spec) => emitter.drop(spec),
    ...createArrangeApi(ctx),
    ...createCiApi(ctx),
    ...createInspectApi(ctx),
    ...createReviewApi(ctx),
    ...createRulesetApi(ctx),
    ...createRepositoryViewApi(ctx),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => {
      faults.clear();
      emitter.clearDrops();
    },
    async close() {
      ci.stop();
      for (const timer of sleepTimers) clearTimeout(timer);
      await emitter.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
