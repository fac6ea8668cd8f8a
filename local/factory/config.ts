// `npm start` configuration: command-line flags win over environment variables, which win over
// defaults. No GitHub credentials at all means sandbox mode; a partial set is an error naming what
// is missing (never a silent fall-back to the sandbox when someone meant real GitHub).
import { readFileSync } from "node:fs";
import type { FactorySettings } from "../../contract/state";
import type { OutputMode } from "./output";

export interface RealGitHubConfig {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  /** REST base URL (GitHub Enterprise Server); unset = https://api.github.com. */
  apiUrl?: string;
}

export interface StartConfig {
  mode: "sandbox" | "github";
  github?: RealGitHubConfig;
  port: number;
  output: OutputMode;
  verbose: boolean;
  /** Wait states and the handlers' clock run at this factor of real time (see factory.ts). */
  timeScale: number;
  settings: FactorySettings;
  /** Sandbox: how long scripted CI takes, real ms. */
  ciDelayMs: number;
  /** Finished runs are kept here across restarts; unset = in memory only. */
  dataDir?: string;
}

export const START_HELP = `npm start [-- options]   the AFU-9 local factory

  --port <n>            HTTP port on 127.0.0.1 (AFU9_LOCAL_PORT, default 3000; 0 = any free port)
  --json                JSON log lines instead of the human-readable progress (AFU9_LOCAL_JSON=1)
  --verbose             human mode: also print the handlers' info logs
  --time-scale <f>      Wait states and handler clocks at f x real time (AFU9_LOCAL_TIME_SCALE;
                        default 0.05 in the sandbox: a 60 s CI poll takes 3 s; 1 with real GitHub)
  --ci-poll <s>         WaitForCI seconds before scaling (AFU9_CI_POLL_SECONDS, default 60)
  --ci-max-wait <s>     CI waiting bound before scaling (AFU9_CI_MAX_WAIT_SECONDS, default 1800)
  --dry-run             no merge, no branch writes; comments say what would happen (AFU9_DRY_RUN=1)
  --data-dir <dir>      keep finished runs in <dir>/runs across restarts (AFU9_LOCAL_DATA_DIR;
                        default: in memory only; the sandbox's repository is always in memory)
  --help

Real GitHub instead of the sandbox (all three required):
  GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, GITHUB_WEBHOOK_SECRET
  GITHUB_API_URL        optional, GitHub Enterprise Server REST URL (https://HOST/api/v3)`;

function configError(message: string): Error {
  return Object.assign(new Error(message), { code: "AFU9_LOCAL_CONFIG" });
}

function parseArgs(argv: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  const valued = new Set(["port", "time-scale", "ci-poll", "ci-max-wait", "data-dir"]);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw configError(`unexpected argument "${arg}"; see --help`);
    const [, name, inline] = match;
    if (valued.has(name)) {
      const value = inline ?? argv[i + 1];
      if (value === undefined) throw configError(`--${name} needs a value; see --help`);
      if (inline === undefined) i += 1;
      flags.set(name, value);
    } else if (["json", "verbose", "dry-run", "help"].includes(name)) {
      flags.set(name, true);
    } else {
      throw configError(`unknown option --${name}; see --help`);
    }
  }
  return flags;
}

function numberSetting(
  name: string,
  raw: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
  expected: string,
): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) {
    throw configError(`${name} must be ${expected}, got "${raw}"`);
  }
  return value;
}

function readRealGitHub(env: Record<string, string | undefined>): RealGitHubConfig | undefined {
  const appId = env.GITHUB_APP_ID?.trim();
  const keyText = env.GITHUB_APP_PRIVATE_KEY;
  const keyFile = env.GITHUB_APP_PRIVATE_KEY_FILE?.trim();
  const webhookSecret = env.GITHUB_WEBHOOK_SECRET;
  const present = [appId, keyText || keyFile, webhookSecret].filter(Boolean).length;
  if (present === 0) return undefined;
  const missing = [
    appId ? undefined : "GITHUB_APP_ID",
    keyText || keyFile ? undefined : "GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE)",
    webhookSecret ? undefined : "GITHUB_WEBHOOK_SECRET",
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw configError(
      `real-GitHub mode needs ${missing.join(" and ")} as well (unset all three to use the ` +
        `sandbox instead)`,
    );
  }
  if (keyText && keyFile) {
    throw configError("set GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, not both");
  }
  let privateKey = keyText ?? "";
  if (keyFile) {
    try {
      privateKey = readFileSync(keyFile, "utf8");
    } catch (error) {
      throw configError(
        `cannot read GITHUB_APP_PRIVATE_KEY_FILE ${keyFile}: ${(error as Error).message}`,
      );
    }
  }
  const apiUrl = env.GITHUB_API_URL?.trim() || undefined;
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) {
    throw configError(`GITHUB_API_URL must be an http(s) URL, got "${apiUrl}"`);
  }
  return { appId: appId!, privateKey, webhookSecret: webhookSecret!, apiUrl };
}

/** Returns the config, or "help" when --help was asked for; throws a fix-it error when wrong. */
export function readStartConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): StartConfig | "help" {
  const flags = parseArgs(argv);
  if (flags.has("help")) return "help";
  const flag = (name: string) => {
    const value = flags.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const on = (name: string, envName: string) =>
    flags.has(name) || ["1", "true", "yes"].includes((env[envName] ?? "").toLowerCase());

  const github = readRealGitHub(env);
  const mode = github ? "github" : "sandbox";
  const port = numberSetting(
    "--port / AFU9_LOCAL_PORT",
    flag("port") ?? env.AFU9_LOCAL_PORT,
    3000,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    "a port number 0-65535",
  );
  const timeScale = numberSetting(
    "--time-scale / AFU9_LOCAL_TIME_SCALE",
    flag("time-scale") ?? env.AFU9_LOCAL_TIME_SCALE,
    mode === "sandbox" ? 0.05 : 1,
    (n) => n > 0 && n <= 1,
    "a factor > 0 and <= 1 (1 = real time)",
  );
  const ciPollSeconds = numberSetting(
    "--ci-poll / AFU9_CI_POLL_SECONDS",
    flag("ci-poll") ?? env.AFU9_CI_POLL_SECONDS,
    60,
    (n) => Number.isInteger(n) && n >= 1,
    "a whole number of seconds >= 1",
  );
  const ciMaxWaitSeconds = numberSetting(
    "--ci-max-wait / AFU9_CI_MAX_WAIT_SECONDS",
    flag("ci-max-wait") ?? env.AFU9_CI_MAX_WAIT_SECONDS,
    1800,
    (n) => Number.isInteger(n) && n >= ciPollSeconds,
    `a whole number of seconds >= the CI poll (${ciPollSeconds})`,
  );
  const dataDir = (flag("data-dir") ?? env.AFU9_LOCAL_DATA_DIR)?.trim() || undefined;
  return {
    mode,
    github,
    port,
    dataDir,
    output: on("json", "AFU9_LOCAL_JSON") ? "json" : "human",
    verbose: flags.has("verbose"),
    timeScale,
    settings: {
      dryRun: on("dry-run", "AFU9_DRY_RUN"),
      ciPollSeconds,
      ciMaxWaitSeconds,
      ciNoChecksGraceSeconds: 300,
    },
    // Scripted CI takes a little longer than one scaled poll, so a run shows pending first.
    ciDelayMs: Math.round(ciPollSeconds * 1000 * timeScale * 1.5),
  };
}
