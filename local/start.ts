// `npm start`: the local factory. Without GitHub credentials it starts the sandbox (GitHub
// simulator + demo repository, webhooks pointing here); with GITHUB_APP_ID, the App's private key
// and GITHUB_WEBHOOK_SECRET it serves real GitHub deliveries forwarded to POST /webhook.
import { normalizePrivateKey } from "../handlers/github/client";
import { createTaskDeps } from "../handlers/runtime/task-deps";
import { ENV } from "../contract/environment";
import { readStartConfig, START_HELP, type StartConfig } from "./factory/config";
import { README_TEST_HINT } from "./factory/demo-issues";
import { createLocalFactory, type LocalFactory } from "./factory/factory";
import { createFactoryOutput, gitHubClientLog, type FactoryOutput } from "./factory/output";
import { DEMO_MAINTAINER, DEMO_STRANGER, startSandbox } from "./factory/sandbox";

function scaleNote(config: StartConfig): string {
  const poll = config.settings.ciPollSeconds;
  return config.timeScale === 1
    ? "real time"
    : `x${config.timeScale} (a ${poll} s CI poll takes ${+(poll * config.timeScale).toFixed(3)} s)`;
}

async function startSandboxMode(config: StartConfig, output: FactoryOutput) {
  const sandbox = await startSandbox({
    port: config.port,
    settings: config.settings,
    timeScale: config.timeScale,
    output,
    ciDelayMs: config.ciDelayMs,
    githubRetryBaseMs: 200,
  });
  const { factory, sim, demo } = sandbox;
  const example = JSON.stringify({ title: README_TEST_HINT.title, body: README_TEST_HINT.body });
  output.say(
    [
      "",
      "AFU-9 local factory: sandbox mode (no GitHub credentials set)",
      "",
      `  factory         ${factory.url}   POST /webhook, GET /executions`,
      `  GitHub (sim)    ${sim.url}   demo repository ${demo?.owner}/${demo?.repo}`,
      `  webhook secret  ${sandbox.webhookSecret}   (sandbox only; deliveries are signed with it)`,
      `  time            ${scaleNote(config)}`,
      `  scripted CI     checks build, test; success after ${config.ciDelayMs} ms`,
      `  notifications   ${sandbox.receiver.url}/messages   what the notifier sent to the sandbox's Slack (demo-slack) and Teams (demo-teams)`,
      "",
      "File an issue (in another terminal):",
      `  npx tsx local/factory/file-issue.ts --factory ${factory.url}                 # ${DEMO_MAINTAINER}, label afu9, a diff: merged`,
      `  npx tsx local/factory/file-issue.ts --factory ${factory.url} --ci failure    # CI fails: feedback comment`,
      `  npx tsx local/factory/file-issue.ts --factory ${factory.url} --stranger      # ${DEMO_STRANGER}: labelled, not acted on`,
      "or with curl:",
      `  curl -s -X POST ${factory.url}/sandbox/issues -H 'content-type: application/json' \\`,
      `       -d '${example.replace(/'/g, "'\\''")}'`,
      "",
      "Ctrl-C stops the factory.",
      "",
    ].join("\n"),
    {
      mode: "sandbox",
      factoryUrl: factory.url,
      webhookUrl: factory.webhookUrl,
      githubApiUrl: sim.url,
      repository: `${demo?.owner}/${demo?.repo}`,
      webhookSecret: sandbox.webhookSecret,
      notificationsUrl: `${sandbox.receiver.url}/messages`,
    },
  );
  return () => sandbox.close();
}

async function startGitHubMode(config: StartConfig, output: FactoryOutput) {
  const github = config.github!;
  // Fail now, with the fix, rather than on the first delivery.
  normalizePrivateKey(github.privateKey);
  const deps = createTaskDeps({
    env: { [ENV.githubAppId]: github.appId, [ENV.githubApiUrl]: github.apiUrl },
    readPrivateKey: async () => github.privateKey,
    // Only deps.github is used: the client's notices, with expected 4xx probes demoted.
    logger: { ...output.logger({ service: "github" }), warn: gitHubClientLog(output).warn },
  });
  const factory: LocalFactory = await createLocalFactory({
    port: config.port,
    webhookSecret: github.webhookSecret,
    github: deps.github,
    settings: config.settings,
    timeScale: config.timeScale,
    output,
  });
  output.say(
    [
      "",
      `AFU-9 local factory: GitHub App ${github.appId} at ${github.apiUrl ?? "https://api.github.com"}`,
      "",
      `  webhook   ${factory.webhookUrl}`,
      `  time      ${scaleNote(config)}${config.settings.dryRun ? "   DRY RUN" : ""}`,
      "",
      "Forward the App's webhook deliveries to this URL through any tunnel, e.g.",
      `  cloudflared tunnel --url ${factory.url}       (then set the App's webhook URL to <tunnel>/webhook)`,
      `  npx smee-client --url https://smee.io/<channel> --target ${factory.webhookUrl}`,
      "Label an issue with the trigger label (default afu9) in a repository where the App is installed.",
      "",
    ].join("\n"),
    { mode: "github", webhookUrl: factory.webhookUrl, appId: github.appId },
  );
  return () => factory.close();
}

async function main(): Promise<number> {
  const config = readStartConfig(process.argv.slice(2), process.env);
  if (config === "help") {
    process.stdout.write(`${START_HELP}\n`);
    return 0;
  }
  const output = createFactoryOutput({ mode: config.output, verbose: config.verbose });
  const stop =
    config.mode === "sandbox"
      ? await startSandboxMode(config, output)
      : await startGitHubMode(config, output);
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      output.say("stopping: running executions are aborted");
      resolve();
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
  await stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `afu9 local factory: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
