// startGitHubSimulator: the HTTP server plus the programmatic API tests and the sandbox use to
// arrange state, script CI, inject faults and inspect what the code under test did.
import { generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { RestEndpointMethodTypes } from "@octokit/rest";
import { publicKeyOf } from "./auth/app-jwt";
import { createCiRunner } from "./ci-program";
import type { SimContext } from "./context";
import { createFaults, type FaultSpec } from "./faults";
import { createSimServer, type RecordedRequest } from "./http/server";
import { isSimError, type RouteRequest, type RouteTable } from "./http/route-types";
import { emitCommentEvent, emitIssueEvent, emitSynchronize } from "./payloads";
import { ensureLabel, recordIssueEvent, renderIssue, renderLabel } from "./render/issues";
import { appRoutes } from "./routes/apps";
import {
  checkRoutes,
  recordStatus,
  writeCheckRun,
  type CheckRunInput,
  type StatusInput,
} from "./routes/checks";
import { gitRoutes, moveRef } from "./routes/git";
import { createIssueState, issueRoutes } from "./routes/issues";
import { pullRoutes } from "./routes/pulls";
import { repoRoutes } from "./routes/repos";
import {
  commitTree,
  getObject,
  readFlatTree,
  writeBlob,
  writeCommit,
  writeFlatTree,
} from "./state/git-objects";
import { pullHeadSha } from "./state/pull-logic";
import {
  createStore,
  nextId,
  repoKey,
  userId,
  type CiProgram,
  type Permission,
  type RepoState,
} from "./state/store";
import { createWebhookEmitter, type EmittedEvent, type WebhookTarget } from "./webhooks";

export type IssueRestObject = RestEndpointMethodTypes["issues"]["get"]["response"]["data"];

export interface GitHubSimulatorOptions {
  /** Default 0 = random; the server always listens on 127.0.0.1. */
  port?: number;
  /** Test mode (default true): every JSON response is checked against GitHub's schema (500 if not). */
  validateResponses?: boolean;
  /** Signed deliveries for repository events. */
  webhooks?: WebhookTarget;
  /** Clock for JWT / token expiry checks and timestamps (default Date.now). */
  now?: () => number;
  appId?: number;
  appSlug?: string;
}

export interface SimCheckRun {
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?: string;
  output?: { title?: string; summary?: string };
  details_url?: string;
}

export interface GitHubSimulator {
  url: string;
  app: { id: number; slug: string; privateKey: string };
  createInstallation(account: string): { id: number };
  createRepository(input: {
    owner: string;
    name: string;
    installationId: number;
    defaultBranch?: string;
    files: Record<string, string>;
    private?: boolean;
  }): { id: number; owner: string; name: string; defaultBranch: string; headSha: string };
  setPermission(owner: string, repo: string, login: string, permission: Permission): void;
  createIssue(
    owner: string,
    repo: string,
    input: {
      title: string;
      body: string;
      user: string;
      labels?: string[];
      authorAssociation?: string;
    },
  ): IssueRestObject;
  addLabel(owner: string, repo: string, issueNumber: number, label: string, actor: string): void;
  /** Extension: a person comments on an issue or PR (emits issue_comment.created). */
  addComment(
    owner: string,
    repo: string,
    issueNumber: number,
    input: { body: string; user: string; authorAssociation?: string },
  ): { id: number };
  /** Extension: a person pushes a commit to a branch (creates the branch from default if new). */
  pushCommit(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    message?: string,
  ): string;
  setCheckRun(owner: string, repo: string, sha: string, run: SimCheckRun): void;
  setStatus(
    owner: string,
    repo: string,
    sha: string,
    status: {
      context: string;
      state: "pending" | "success" | "failure" | "error";
      description?: string;
      target_url?: string;
    },
  ): void;
  programCi(owner: string, repo: string, program: CiProgram): void;
  setRequiredChecks(owner: string, repo: string, branch: string, contexts: string[]): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  requests: RecordedRequest[];
  /** Extension: every event emitted (delivered or not), with delivery status. */
  events: EmittedEvent[];
  /** Extension: resolves when all webhook deliveries so far were answered. */
  waitForWebhooks(): Promise<void>;
  getRef(owner: string, repo: string, ref: string): string | undefined;
  readTree(owner: string, repo: string, commitSha: string): Record<string, string>;
  listIssueComments(
    owner: string,
    repo: string,
    issueNumber: number,
  ): Array<{ id: number; body: string; user: string }>;
  listPulls(
    owner: string,
    repo: string,
  ): Array<{ number: number; head: string; state: string; merged: boolean }>;
  /** Extension: the issue as the REST API renders it (state, labels, locked, ...). */
  getIssue(owner: string, repo: string, issueNumber: number): IssueRestObject;
  close(): Promise<void>;
}

const ROUTES: RouteTable = {
  ...appRoutes,
  ...gitRoutes,
  ...repoRoutes,
  ...issueRoutes,
  ...pullRoutes,
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
    emit: (event, payload) => emitter.emit(event, payload),
    onPush: (repo, ref, before, after, pusher) => {
      emitSynchronize(ctx, repo, ref, before, after, pusher);
      ci.onPush(repo, ref, after);
    },
  };
  const sleepTimers = new Set<NodeJS.Timeout>();
  const server = createSimServer(
    () => ({
      ctx,
      routes: ROUTES,
      faults,
      appPublicKey: publicKeyOf(privateKey),
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

  const repoOf = (owner: string, name: string): RepoState => {
    const repo = store.repos.get(repoKey(owner, name));
    if (!repo)
      throw new Error(`simulator: no repository ${owner}/${name}; call createRepository first`);
    return repo;
  };
  // Programmatic calls reuse the route logic; its GitHub-style errors become plain Errors here.
  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (isSimError(error)) {
        throw new Error(`simulator ${what}: ${String(error.body.message)}`, { cause: error });
      }
      throw error;
    }
  };
  const apiRequest = { ctx } as Pick<RouteRequest, "ctx">;

  return {
    url: ctx.apiUrl,
    app: { id: appId, slug: store.app.slug, privateKey },
    requests,
    events: emitter.events,
    waitForWebhooks: () => emitter.idle(),

    createInstallation(account) {
      const id = nextId(store);
      store.installations.set(id, { id, account, accountId: userId(store, account) });
      return { id };
    },

    createRepository(input) {
      if (!store.installations.has(input.installationId)) {
        throw new Error(
          `simulator: installation ${input.installationId} does not exist; call createInstallation first`,
        );
      }
      if (store.repos.has(repoKey(input.owner, input.name))) {
        throw new Error(`simulator: repository ${input.owner}/${input.name} already exists`);
      }
      const defaultBranch = input.defaultBranch ?? "main";
      const repo: RepoState = {
        id: nextId(store),
        owner: input.owner,
        name: input.name,
        installationId: input.installationId,
        defaultBranch,
        private: input.private ?? false,
        createdAt: ctx
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
        objects: new Map(),
        refs: new Map(),
        issues: new Map(),
        pulls: new Map(),
        comments: new Map(),
        labels: new Map(),
        statuses: [],
        checkRuns: new Map(),
        checkSuites: new Map(),
        permissions: new Map(),
        requiredChecks: new Map(),
        nextNumber: 1,
      };
      const flat = new Map(
        Object.entries(input.files).map(([path, content]) => [
          path,
          { mode: "100644", type: "blob" as const, sha: writeBlob(repo, Buffer.from(content)) },
        ]),
      );
      const person = {
        name: input.owner,
        email: `${input.owner}@users.noreply.github.com`,
        date: repo.createdAt,
      };
      const headSha = writeCommit(repo, {
        tree: writeFlatTree(repo, flat),
        parents: [],
        message: "Initial commit",
        author: person,
      });
      repo.refs.set(`heads/${defaultBranch}`, headSha);
      store.repos.set(repoKey(input.owner, input.name), repo);
      return { id: repo.id, owner: repo.owner, name: repo.name, defaultBranch, headSha };
    },

    setPermission(owner, name, login, permission) {
      repoOf(owner, name).permissions.set(login.toLowerCase(), permission);
    },

    createIssue(owner, name, input) {
      const repo = repoOf(owner, name);
      const issue = createIssueState(apiRequest, repo, input);
      emitIssueEvent(ctx, repo, issue, "opened", input.user);
      return renderIssue(ctx, repo, issue) as unknown as IssueRestObject;
    },

    addLabel(owner, name, issueNumber, label, actor) {
      const repo = repoOf(owner, name);
      const issue = repo.issues.get(issueNumber);
      if (!issue) throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      const state = ensureLabel(ctx, repo, label);
      if (!issue.labels.includes(state.name)) issue.labels.push(state.name);
      recordIssueEvent(ctx, issue, { event: "labeled", actor, label: state.name });
      emitIssueEvent(ctx, repo, issue, "labeled", actor, { label: renderLabel(ctx, repo, state) });
    },

    addComment(owner, name, issueNumber, input) {
      const repo = repoOf(owner, name);
      if (!repo.issues.has(issueNumber))
        throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      const now = ctx
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
      const comment = {
        id: nextId(store),
        issueNumber,
        body: input.body,
        user: input.user,
        authorAssociation: input.authorAssociation ?? "NONE",
        createdAt: now,
        updatedAt: now,
      };
      repo.comments.set(comment.id, comment);
      emitCommentEvent(ctx, repo, comment, "created", input.user);
      return { id: comment.id };
    },

    pushCommit(owner, name, branch, files, message = "Update files") {
      const repo = repoOf(owner, name);
      const parent =
        repo.refs.get(`heads/${branch}`) ?? repo.refs.get(`heads/${repo.defaultBranch}`)!;
      const flat = commitTree(repo, parent);
      for (const [path, content] of Object.entries(files)) {
        if (content === null) flat.delete(path);
        else
          flat.set(path, {
            mode: "100644",
            type: "blob",
            sha: writeBlob(repo, Buffer.from(content)),
          });
      }
      const person = {
        name: owner,
        email: `${owner}@users.noreply.github.com`,
        date: ctx
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      };
      const sha = writeCommit(repo, {
        tree: writeFlatTree(repo, flat),
        parents: [parent],
        message,
        author: person,
      });
      moveRef({ ctx }, repo, `heads/${branch}`, sha, owner);
      return sha;
    },

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

    programCi(owner, name, program) {
      repoOf(owner, name).ci = { ...program };
    },

    setRequiredChecks(owner, name, branch, contexts) {
      repoOf(owner, name).requiredChecks.set(branch, [...contexts]);
    },

    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),

    getRef(owner, name, ref) {
      return repoOf(owner, name).refs.get(ref.replace(/^refs\//, ""));
    },

    readTree(owner, name, commitSha) {
      const repo = repoOf(owner, name);
      const commit = getObject(repo, commitSha, "commit");
      if (!commit) throw new Error(`simulator: no commit ${commitSha} in ${owner}/${name}`);
      const files: Record<string, string> = {};
      for (const [path, entry] of readFlatTree(repo, commit.tree)) {
        files[path] = getObject(repo, entry.sha, "blob")?.content.toString("utf8") ?? "";
      }
      return files;
    },

    listIssueComments(owner, name, issueNumber) {
      return [...repoOf(owner, name).comments.values()]
        .filter((c) => c.issueNumber === issueNumber)
        .map((c) => ({ id: c.id, body: c.body, user: c.user }));
    },

    listPulls(owner, name) {
      const repo = repoOf(owner, name);
      return [...repo.pulls.values()].map((p) => {
        const state = repo.issues.get(p.number)!.state;
        return {
          number: p.number,
          head: p.head,
          state,
          merged: p.merged,
          headSha: pullHeadSha(repo, p, state === "open"),
        };
      });
    },

    getIssue(owner, name, issueNumber) {
      const repo = repoOf(owner, name);
      const issue = repo.issues.get(issueNumber);
      if (!issue) throw new Error(`simulator: no issue #${issueNumber} in ${owner}/${name}`);
      return renderIssue(ctx, repo, issue) as unknown as IssueRestObject;
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
