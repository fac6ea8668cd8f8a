// Every CallbackFunction's deployment archive, unpacked outside the project, must load in a fresh
// Node 24 process with plain require, export an async `handler` of at most two parameters, carry
// no secret, and carry exactly the packages pinned below.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { traceHandler } from "../../components/archive-trace";
import { FUNCTION_PACKAGES, isRuntimeProvided } from "../../components/function-packages";
import { ROOT, SECRET_NEEDLES, TEST_SECRETS } from "./support/stack-config-fixture";
import {
  ARCHIVE_ZIPPED_BUDGET_BYTES,
  buildFunctionArchives,
  type FunctionArchive,
  listFiles,
  zipBytes,
} from "./support/archive-files";
import { emulateLambdaRuntimeSdk } from "./support/lambda-runtime-sdk";

const run = promisify(execFile);
const NODE24 = join(ROOT, "node_modules", ".bin", "node");
const PROBE = join(__dirname, "support", "probe-handler.cjs");

const FUNCTIONS = {
  "afu9-webhook": "webhook",
  "afu9-issue-interpreter": "issueInterpreter",
  "afu9-patch-generator": "patchGenerator",
  "afu9-pr-creator": "prCreator",
  "afu9-ci-feedback": "ciFeedback",
  "afu9-notifier": "notifier",
} as const;
type FunctionName = keyof typeof FUNCTIONS;

/** Events that make a stub or a real handler answer quickly (a 4xx, or a rejection). */
const PROBE_EVENTS: Record<FunctionName, unknown> = {
  "afu9-webhook": {
    version: "2.0",
    routeKey: "POST /webhook",
    rawPath: "/webhook",
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    body: "{}",
    isBase64Encoded: false,
    requestContext: { http: { method: "POST", path: "/webhook" }, requestId: "archive-probe" },
  },
  "afu9-issue-interpreter": { action: "archive-probe", state: {} },
  "afu9-patch-generator": { action: "archive-probe", state: {} },
  "afu9-pr-creator": { action: "archive-probe", state: {} },
  "afu9-ci-feedback": { action: "archive-probe", state: {} },
  // Neither an execution status change nor an SNS delivery: logged and ignored.
  "afu9-notifier": { "detail-type": "archive-probe" },
};

/** What each archive ships (node_modules entries). Growth is a decision: update it knowingly. */
const OCTOKIT_APP = [
  "@octokit/auth-app",
  "@octokit/auth-oauth-app",
  "@octokit/auth-oauth-device",
  "@octokit/auth-oauth-user",
  "@octokit/auth-token",
  "@octokit/core",
  "@octokit/endpoint",
  "@octokit/graphql",
  "@octokit/oauth-authorization-url",
  "@octokit/oauth-methods",
  "@octokit/plugin-paginate-rest",
  "@octokit/plugin-request-log",
  "@octokit/plugin-rest-endpoint-methods",
  "@octokit/plugin-retry",
  "@octokit/plugin-throttling",
  "@octokit/request",
  "@octokit/request-error",
  "@octokit/rest",
  "before-after-hook",
  "bottleneck",
  "content-type",
  "json-with-bigint",
  "toad-cache",
  "universal-github-app-jwt",
  "universal-user-agent",
];
const POWERTOOLS = [
  "@aws-lambda-powertools/commons",
  "@aws-lambda-powertools/logger",
  "@aws/lambda-invoke-store",
];
/** The localization engine: MiniSearch, and tar-stream with the stream helpers it loads. */
const LOCALIZATION = [
  "b4a",
  "events-universal",
  "fast-fifo",
  "minisearch",
  "streamx",
  "tar-stream",
  "text-decoder",
];
// Packages whose files the handler never loads ship no entry: only the webhook's and the
// notifier's handlers use @aws-lambda-powertools/metrics; @octokit/webhooks depends on @octokit/request-error but its
// bundle does not import it; @babel/parser's build is one self-contained file, so its
// dependencies (@babel/types and helpers) never load.
const EXPECTED_PACKAGES: Record<FunctionName, string[]> = {
  // The GitHub App client: the permission read and the reply of `/afu9` commands.
  "afu9-webhook": [
    ...POWERTOOLS,
    ...OCTOKIT_APP,
    "@aws-lambda-powertools/metrics",
    "@octokit/webhooks",
    "@octokit/webhooks-methods",
  ],
  "afu9-issue-interpreter": [...POWERTOOLS, ...OCTOKIT_APP, ...LOCALIZATION, "yaml", "zod"],
  "afu9-patch-generator": [
    ...POWERTOOLS,
    ...OCTOKIT_APP,
    ...LOCALIZATION,
    "@babel/parser",
    "yaml",
    "zod",
  ],
  "afu9-pr-creator": [...POWERTOOLS, ...OCTOKIT_APP],
  "afu9-ci-feedback": [...POWERTOOLS, ...OCTOKIT_APP],
  "afu9-notifier": [...POWERTOOLS, "@aws-lambda-powertools/metrics"],
};

/** Files no Node.js process loads: TypeScript sources and declarations, source maps. */
const BUILD_ONLY_FILE = /\.([cm]?ts|tsx|map)$/;

/**
 * What made the untraced archives large: the module format `require` does not pick (zod's ESM
 * .js next to its .cjs), browser builds, copies for old engines and test folders.
 */
const NEVER_LOADED =
  /(^|\/)node_modules\/(zod\/.*\.js$|yaml\/browser\/|bottleneck\/(es5\.js|test\/)|@babel\/types\/)/;

const TYPES_ONLY_FOLDER =
  /(^|\/)node_modules\/@octokit\/(openapi-types|openapi-webhooks-types|types|webhooks-types)\//;

let root: string;
let archives: Map<FunctionName, FunctionArchive>;
let reports: Map<FunctionName, Record<string, unknown>>;

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

beforeAll(async () => {
  // Every secret config key set, so the scan below looks for each of them.
  const built = await buildFunctionArchives("dev", {
    githubWebhookSecretPrevious: TEST_SECRETS.githubWebhookSecretPrevious,
    aiProvider: "openai",
    openaiBaseUrl: "https://llm.example.com/v1",
    openaiModel: "archive-probe-model",
    openaiApiKey: TEST_SECRETS.openaiApiKey,
    // With AI on, the stack config asks for room for up to three model calls.
    patchGeneratorTimeoutSeconds: 240,
    notifySlackWebhooks: TEST_SECRETS.notifySlackWebhooks,
    notifyTeamsWebhooks: TEST_SECRETS.notifyTeamsWebhooks,
  });
  root = built.root;
  archives = new Map(built.archives.map((archive) => [archive.name as FunctionName, archive]));

  // The nodejs24.x runtime provides AWS SDK v3 on NODE_PATH (/var/runtime/node_modules).
  const runtimeNodePath = emulateLambdaRuntimeSdk(root, ROOT);

  reports = new Map();
  await Promise.all(
    built.archives.map(async (archive) => {
      const name = archive.name as FunctionName;
      const reportFile = join(root, `${name}.report.json`);
      await run(NODE24, [PROBE, archive.dir, JSON.stringify(PROBE_EVENTS[name]), reportFile], {
        cwd: archive.dir,
        timeout: 30000,
        env: {
          PATH: process.env.PATH ?? "",
          NODE_PATH: runtimeNodePath,
          ...archive.environment,
          AWS_REGION: "eu-west-1",
          AWS_ACCESS_KEY_ID: "AKIAARCHIVEPROBE0000",
          AWS_SECRET_ACCESS_KEY: "archive-probe-not-a-secret",
          // Any AWS call fails at once instead of reaching out.
          AWS_ENDPOINT_URL: "http://127.0.0.1:9",
          AWS_LAMBDA_FUNCTION_NAME: name,
        },
      });
      reports.set(name, JSON.parse(readFileSync(reportFile, "utf8")));
    }),
  );
}, 120000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("function archives", () => {
  it("are built for exactly the six functions, with Node 24 to load them", () => {
    expect([...archives.keys()].sort()).toEqual(Object.keys(FUNCTIONS).sort());
    expect(execFileSync(NODE24, ["--version"], { encoding: "utf8" })).toMatch(/^v24\./);
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s loads with plain require in a fresh process; handler has at most two parameters and returns a Promise",
    (name) => {
      const report = reports.get(name)!;
      // On failure the diff shows the whole report, loadError (stack) included.
      expect(report).toEqual({
        loaded: true,
        type: "function",
        arity: report.arity,
        returnsPromise: true,
        settled: report.settled,
        ...(report.error === undefined ? {} : { error: report.error }),
      });
      expect(report.arity).toBeLessThanOrEqual(2);
      // Stub or real handler, the Promise settles (a 4xx answer or a clear rejection).
      expect(["resolved", "rejected"]).toContain(report.settled);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s is built by its handlers/*/lambda.ts factory once per container",
    (name) => {
      const source = archives.get(name)!.handlerSource;
      expect(source).toMatch(/exports\.handler = __\w+\(\);/);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s ships exactly its pinned packages",
    (name) => {
      const packages = archives
        .get(name)!
        .entries.filter((entry) => entry !== "__index.js")
        .map((entry) => entry.replace(/^node_modules\//, ""));
      expect(archives.get(name)!.entries).toContain("__index.js");
      expect(packages).toEqual([...EXPECTED_PACKAGES[name]].sort());
      expect(packages.filter(isRuntimeProvided)).toEqual([]);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s carries every package its handler requires (or the runtime provides it)",
    (name) => {
      const archive = archives.get(name)!;
      const required = [...archive.handlerSource.matchAll(/require\("([^"]+)"\)/g)].map(
        (m) => m[1],
      );
      const missing = required
        .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s))
        .map(packageName)
        .filter(
          (pkg) => !isRuntimeProvided(pkg) && !archive.entries.includes(`node_modules/${pkg}`),
        );
      // A package listed here: add it to FUNCTION_PACKAGES in components/function-packages.ts.
      expect([name, missing]).toEqual([name, []]);
      const listed = FUNCTION_PACKAGES[FUNCTIONS[name]];
      expect(listed.length).toBeGreaterThan(0);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s is at most 1 MB zipped (the benchmarks budget, measured as npm run size does)",
    (name) => {
      const { zipped } = zipBytes(archives.get(name)!.dir);
      expect([name, zipped]).toEqual([name, expect.any(Number)]);
      expect(zipped).toBeLessThanOrEqual(ARCHIVE_ZIPPED_BUDGET_BYTES);
    },
  );

  it.each(Object.keys(FUNCTIONS) as FunctionName[])(
    "%s carries every file a fresh trace of its handler finds, and the trace resolves everything",
    async (name) => {
      const archive = archives.get(name)!;
      const trace = await traceHandler(archive.handlerSource, ROOT);
      expect(trace.warnings).toEqual([]);
      // Archive paths are the files' paths in the project (npm's node_modules layout).
      const missing = trace.files
        .map((file) => relative(ROOT, file))
        .filter((path) => !existsSync(join(archive.dir, path)));
      expect([name, missing]).toEqual([name, []]);
      expect(trace.files.length).toBeGreaterThan(10);
    },
  );

  it("ship nothing but the project's own package files, at their node_modules paths", () => {
    for (const archive of archives.values()) {
      const foreign = listFiles(archive.dir)
        .filter((file) => file.path !== "__index.js")
        .filter((file) => {
          const source = join(ROOT, file.path);
          return !existsSync(source) || readFileSync(source).length !== file.bytes;
        });
      expect([archive.name, foreign.slice(0, 3)]).toEqual([archive.name, []]);
    }
  });

  it("ship none of the files their handlers never load (other module format, browser, tests)", () => {
    for (const archive of archives.values()) {
      const neverLoaded = listFiles(archive.dir).filter((file) => NEVER_LOADED.test(file.path));
      expect([archive.name, neverLoaded.slice(0, 3)]).toEqual([archive.name, []]);
    }
    // The pattern does match what the untraced archives carried.
    expect(NEVER_LOADED.test("node_modules/zod/v4/core/core.js")).toBe(true);
    expect(NEVER_LOADED.test("node_modules/zod/v4/core/core.cjs")).toBe(false);
  });

  it("contain no types-only Octokit package, at any depth", () => {
    for (const archive of archives.values()) {
      const typesOnly = listFiles(archive.dir).filter((file) => TYPES_ONLY_FOLDER.test(file.path));
      expect([archive.name, typesOnly.slice(0, 3)]).toEqual([archive.name, []]);
    }
  });

  it("contain no TypeScript sources, declarations or source maps (nothing loads them)", () => {
    for (const archive of archives.values()) {
      const buildOnly = listFiles(archive.dir).filter((file) => BUILD_ONLY_FILE.test(file.path));
      expect([archive.name, buildOnly.slice(0, 3)]).toEqual([archive.name, []]);
    }
  });

  it("contain no secret config value, in any file", () => {
    for (const archive of archives.values()) {
      for (const file of listFiles(archive.dir)) {
        const content = readFileSync(join(archive.dir, file.path));
        for (const needle of SECRET_NEEDLES) {
          if (content.includes(needle))
            throw new Error(`${archive.name}/${file.path} contains a secret`);
        }
      }
    }
    // The scan itself works: the needles are what the stack's secret config held.
    expect(SECRET_NEEDLES).toHaveLength(6);
  });
});
