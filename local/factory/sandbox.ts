// Sandbox mode: the factory plus the GitHub simulator, wired both ways. The simulator's webhooks
// point at the factory's POST /webhook (signed with a fresh secret), the task functions' GitHub
// clients point at the simulator (App JWT -> installation token, as on github.com), and a demo
// repository is seeded with an AFU-9 config, a maintainer with write permission and scripted CI.
import { randomBytes } from "node:crypto";
import type { GitHubClientFactory } from "../../handlers/shared/types";
import { ENV } from "../../contract/environment";
import type { FactorySettings } from "../../contract/state";
import {
  seedDemoRepository,
  simulatorClientFactory,
  startGitHubSimulator,
  type DemoSeed,
  type GitHubSimulator,
} from "../github-simulator";
import { createLocalFactory, type LocalFactory, type LocalFactoryOptions } from "./factory";
import { TYPO_RULE } from "./repair-demo";
import { createLocalNotifier, type LocalNotifier } from "./local-notifier";
import { startNotificationReceiver, type NotificationReceiver } from "./notification-receiver";
import { gitHubClientLog, type FactoryOutput } from "./output";
import { sampleIssues } from "./sample-issues";
import { parseFileIssueRequest } from "./file-issue-request";
import { branchForIssue } from "../../contract/conventions";

export const DEMO_MAINTAINER = "demo-maintainer";
export const DEMO_STRANGER = "random-visitor";
export const DEMO_CHECKS = ["build", "test"];
/** The sandbox's notification destinations (what a stack's notify config would name). */
export const DEMO_DESTINATIONS = { "demo-slack": "slack", "demo-teams": "teams" } as const;
/** The simulator's web root: the links in its payloads (html_url) start with it. */
export const SANDBOX_GITHUB_WEB_URL = "https://github.sandbox.invalid";

export interface SandboxOptions {
  /** Factory HTTP port (0 = any free port). */
  port: number;
  settings: FactorySettings;
  timeScale: number;
  retryDelayMs?: number;
  output: FactoryOutput;
  /** How long the demo repository's scripted CI takes, real ms. */
  ciDelayMs: number;
  /** Octokit's 5xx backoff unit, real ms (the n-th retry waits n^2 x this). */
  githubRetryBaseMs: number;
  /** Check every simulator response against GitHub's schema (slower; tests keep it on). */
  validateResponses?: boolean;
  /** Seed the demo repository (default true; tests seed their own). */
  seedDemo?: boolean;
  wrapTasks?: LocalFactoryOptions["wrapTasks"];
  /** Keep finished runs on disk (see the factory); the simulated repository stays in memory. */
  dataDir?: string;
  ciWait?: LocalFactoryOptions["ciWait"];
  webhookClock?: LocalFactoryOptions["webhookClock"];
  /**
   * An OpenAI-compatible model for the AI strategy and repair rounds (the scripted model server
   * in local/model-server.ts); unset: AI is off, as on a stack without aiProvider.
   */
  ai?: { url: string; model?: string; maxCalls?: number; maxTokens?: number };
  /** Delivery retry policy of the notifier (default: the deployed one). */
  notifyPolicy?: Parameters<typeof createLocalNotifier>[0]["policy"];
}

export interface Sandbox {
  factory: LocalFactory;
  sim: GitHubSimulator;
  webhookSecret: string;
  /** The demo repository (absent when seedDemo was false). */
  demo?: DemoSeed;
  /** The sandbox's Slack and Teams: records every notification sent to DEMO_DESTINATIONS. */
  receiver: NotificationReceiver;
  notifier: LocalNotifier;
  /** Resolves when every webhook delivery was answered and no execution runs (repeatedly). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function sandboxAiConfig(ai: NonNullable<SandboxOptions["ai"]>): string {
  return JSON.stringify({
    provider: "openai-compatible",
    url: ai.url,
    model: ai.model ?? "afu9-sandbox-model",
    ...(ai.maxCalls !== undefined ? { maxCalls: ai.maxCalls } : {}),
    ...(ai.maxTokens !== undefined ? { maxTokens: ai.maxTokens } : {}),
  });
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const webhookSecret = randomBytes(20).toString("hex");
  // The factory needs the simulator's URL for its GitHub clients and the simulator needs the
  // factory's URL for its webhooks: the clients are resolved on first use, after both started.
  const clients: { sim?: GitHubClientFactory } = {};
  const github: GitHubClientFactory = async (installationId) => {
    if (!clients.sim) throw new Error("sandbox: the GitHub simulator is not running");
    return clients.sim(installationId);
  };
  let sim: GitHubSimulator | undefined;
  let demo: DemoSeed | undefined;
  const samples = sampleIssues(DEMO_MAINTAINER, DEMO_STRANGER);

  const receiver = await startNotificationReceiver({ ...DEMO_DESTINATIONS });
  const notifier = createLocalNotifier({
    destinations: receiver.destinations,
    logger: options.output.logger({ service: "notifier" }),
    githubWebUrl: SANDBOX_GITHUB_WEB_URL,
    policy: options.notifyPolicy,
  });

  const factory = await createLocalFactory({
    port: options.port,
    webhookSecret,
    github,
    settings: options.settings,
    timeScale: options.timeScale,
    retryDelayMs: options.retryDelayMs,
    output: options.output,
    // The notifier sees every task call (it keeps ReportFailure's input), outermost.
    wrapTasks: (tasks) => notifier.wrapTasks(options.wrapTasks ? options.wrapTasks(tasks) : tasks),
    executionObserver: notifier,
    dataDir: options.dataDir,
    sandbox: {
      repositories: {
        listRepositories: () => sim?.listRepositories() ?? [],
        describeRepository: (owner, name) => {
          if (!sim) throw new Error("sandbox: the GitHub simulator is not running");
          return sim.describeRepository(owner, name);
        },
      },
      repository: () => (demo ? { owner: demo.owner, name: demo.repo } : undefined),
      samples,
      fileSample(id) {
        const sample = samples.find((s) => s.id === id);
        if (!sample) throw new Error(`sandbox: no sample issue "${id}"`);
        const answer = fileIssue({
          ...sample.issue,
          user: sample.user,
          labels: sample.labels,
          ci: sample.ci,
        });
        if (answer.status !== 201) throw new Error(`sandbox: ${JSON.stringify(answer.body)}`);
        return { number: (answer.body as { number: number }).number };
      },
    },
    ciWait: options.ciWait,
    webhookClock: options.webhookClock,
    taskEnv: options.ai
      ? { ...process.env, [ENV.aiConfig]: sandboxAiConfig(options.ai) }
      : undefined,
    routes: {
      // What the printed "file an issue" command calls: a person opens an issue in the sandbox.
      "POST /sandbox/issues": (body) => fileIssue(body),
    },
  }).catch(async (error: unknown) => {
    await receiver.close();
    throw error;
  });

  function fileIssue(raw: unknown) {
    if (!sim || !demo) return { status: 409, body: { message: "no demo repository is seeded" } };
    const request = parseFileIssueRequest(raw);
    if ("error" in request) return { status: 400, body: { message: request.error } };
    const user = request.user ?? DEMO_MAINTAINER;
    const issue = sim.createIssue(demo.owner, demo.repo, {
      title: request.title,
      body: request.body,
      user,
      labels: request.labels ?? ["afu9"],
      authorAssociation: user === DEMO_MAINTAINER ? "MEMBER" : "NONE",
    });
    if (request.ci) {
      // Only this issue's branch: issues filed before or after keep their own CI. "repair": the
      // `test` check judges src/greet.js (red while it has the self-repair demo's typo).
      sim.programCi(
        demo.owner,
        demo.repo,
        {
          checks: DEMO_CHECKS,
          outcome: request.ci === "failure" ? "failure" : "success",
          delayMs: options.ciDelayMs,
          ...(request.ci === "repair" ? { rules: [TYPO_RULE] } : {}),
        },
        { branch: branchForIssue(issue.number) },
      );
    }
    return { status: 201, body: { number: issue.number, url: issue.html_url } };
  }

  try {
    sim = await startGitHubSimulator({
      webhooks: { url: factory.webhookUrl, secret: webhookSecret },
      validateResponses: options.validateResponses ?? false,
    });
  } catch (error) {
    await factory.close();
    await receiver.close();
    throw error;
  }
  const started = sim;
  // The sandbox is not github.com: no spacing of writes, short 5xx backoff.
  clients.sim = simulatorClientFactory(started, {
    retry: { baseDelayMs: options.githubRetryBaseMs },
    log: gitHubClientLog(options.output),
  });
  if (options.seedDemo ?? true) {
    demo = seedDemoRepository(started, { maintainer: DEMO_MAINTAINER });
    started.programCi(demo.owner, demo.repo, {
      checks: DEMO_CHECKS,
      outcome: "success",
      delayMs: options.ciDelayMs,
    });
  }

  return {
    factory,
    sim: started,
    webhookSecret,
    demo,
    receiver,
    notifier,
    async settle() {
      // Executions cause events (labels, PRs, CI) and events may start executions: loop until
      // both are quiet.
      for (let round = 0; round < 100; round += 1) {
        await started.waitForWebhooks();
        const running = factory.executions().some((e) => e.status === "RUNNING");
        if (!running) {
          await started.waitForWebhooks();
          if (!factory.executions().some((e) => e.status === "RUNNING")) {
            await notifier.idle();
            return;
          }
        }
        await factory.idle();
      }
    },
    async close() {
      await factory.close();
      await notifier.idle();
      await started.close();
      await receiver.close();
    },
  };
}
