// CI events at the webhook: real payloads from @octokit/webhooks-examples, signed; the filters
// (final only, factory branches only, the App's installations only), one lookup in a real local
// table (dynalite), and SendTaskSuccess answered like Step Functions (a spent token is
// TaskTimedOut, a malformed one InvalidToken, an unknown one TaskDoesNotExist): all 202.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { routeCiEvent } from "../../../handlers/webhook/ci-event";
import type { WebhookProcessor } from "../../../handlers/webhook/handle-webhook";
import { startCiWakeWebhook, type CiWakeWebhook } from "./ci-wake-harness";
import { deliveryEvent } from "./helpers";

type Payload = Record<string, unknown>;

function example(event: string, action: string | undefined): Payload {
  const root = dirname(require.resolve("@octokit/webhooks-examples/package.json"));
  const all = JSON.parse(readFileSync(join(root, "api.github.com", "index.json"), "utf8")) as {
    name: string;
    examples: Payload[];
  }[];
  const found = all
    .find((d) => d.name === event)
    ?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return structuredClone(found);
}

const INSTALLATION = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };

/** An example as the App receives it for a factory branch at `sha`. */
function onFactoryBranch(event: string, action: string | undefined, sha: string): Payload {
  const payload: Payload = { ...example(event, action), installation: INSTALLATION };
  const branch = "afu9/issue-7";
  if (event === "status") return { ...payload, sha, branches: [{ name: branch }] };
  const key = event as "check_suite" | "check_run" | "workflow_run";
  const subject = payload[key] as Payload;
  if (key === "check_run") {
    subject.check_suite = { ...(subject.check_suite as Payload), head_branch: branch };
  } else {
    subject.head_branch = branch;
  }
  subject.head_sha = sha;
  return payload;
}

const SHA = "a".repeat(40);

describe("routeCiEvent: cheap filters on the payload alone", () => {
  test.each([
    ["check_suite", "completed"],
    ["check_run", "completed"],
    ["workflow_run", "completed"],
    ["status", undefined],
  ])("%s %s on a factory branch wakes the run waiting on its head", (event, action) => {
    const decision = routeCiEvent(event as never, onFactoryBranch(event, action, SHA));
    expect(decision).toMatchObject({ kind: "ci", event, headSha: SHA, branch: "afu9/issue-7" });
  });

  test.each([
    ["check_suite", "requested", /check_suite.requested is not final/],
    ["check_run", "created", /check_run.created is not final/],
    ["workflow_run", "requested", /workflow_run.requested is not final/],
  ])("%s %s is not final: ignored", (event, action, reason) => {
    const decision = routeCiEvent(event as never, onFactoryBranch(event, action, SHA));
    expect(decision).toEqual({ kind: "ci-ignored", event, reason: expect.stringMatching(reason) });
  });

  test("a pending status, another branch, no installation: ignored, each saying why", () => {
    const pending = { ...onFactoryBranch("status", undefined, SHA), state: "pending" };
    expect(routeCiEvent("status", pending)).toMatchObject({
      reason: "status pending is not final",
    });
    const other = { ...example("check_suite", "completed"), installation: INSTALLATION };
    expect(routeCiEvent("check_suite", other)).toMatchObject({
      kind: "ci-ignored",
      reason: expect.stringMatching(/^no factory branch among /),
    });
    const repoHook = onFactoryBranch("check_run", "completed", SHA);
    delete repoHook.installation;
    expect(routeCiEvent("check_run", repoHook)).toMatchObject({
      reason: expect.stringMatching(/no installation/),
    });
  });

  test("the branch may come from the check's pull requests (a status lists up to 10 branches)", () => {
    const payload = onFactoryBranch("check_run", "completed", SHA);
    const run = payload.check_run as Payload;
    run.check_suite = { ...(run.check_suite as Payload), head_branch: "main" };
    run.pull_requests = [{ number: 3, head: { ref: "afu9/issue-3", sha: SHA } }];
    expect(routeCiEvent("check_run", payload)).toMatchObject({
      kind: "ci",
      branch: "afu9/issue-3",
    });
  });
});

describe("the webhook wakes the waiting run", () => {
  const logs: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const logger = {
    debug: () => undefined,
    info: (message: string, extra?: Record<string, unknown>) =>
      logs.push({ level: "info", message, extra }),
    warn: (message: string, extra?: Record<string, unknown>) =>
      logs.push({ level: "warn", message, extra }),
    error: (message: string, extra?: Record<string, unknown>) =>
      logs.push({ level: "error", message, extra }),
  };
  let w: CiWakeWebhook;

  beforeAll(async () => {
    w = await startCiWakeWebhook(logger);
  });

  afterAll(async () => {
    await w?.close();
  });

  async function deliver(processor: WebhookProcessor, event: string, payload: Payload) {
    const started = Date.now();
    const response = await processor(await deliveryEvent({ event, body: JSON.stringify(payload) }));
    return {
      status: response.statusCode,
      body: JSON.parse(response.body),
      ms: Date.now() - started,
    };
  }

  async function registered(sha: string, token: string) {
    const payload = onFactoryBranch("check_suite", "completed", sha);
    const repositoryId = (payload.repository as { id: number }).id;
    await w.registerWait(repositoryId, sha, token);
    return payload;
  }

  test("check_suite completed resumes the token once; the duplicate finds it spent (202, logged)", async () => {
    const sha = "b".repeat(40);
    const token = w.sfn.taskTokens.issue("issue-7-run");
    const resumed = w.sfn.taskTokens.wait(token);
    const payload = await registered(sha, token);

    const first = await deliver(w.handle, "check_suite", payload);
    expect(first).toMatchObject({
      status: 202,
      body: { outcome: "ci-resumed", issue: "acme/widgets#7" },
    });
    expect(first.ms).toBeLessThan(1000);
    await expect(resumed).resolves.toMatchObject({ source: "check_suite", headSha: sha });

    const duplicate = await deliver(w.handle, "check_suite", payload);
    expect(duplicate).toMatchObject({ status: 202, body: { outcome: "ci-stale" } });
    expect(logs.at(-1)).toMatchObject({
      level: "info",
      extra: expect.objectContaining({ outcome: "ci-stale", errorName: "TaskTimedOut" }),
    });
  });

  test("a malformed or unknown token is normal too: 202 ci-stale with the service's error name", async () => {
    const malformed = await registered("c".repeat(40), "not-a-task-token");
    const answer = await deliver(w.handle, "check_suite", malformed);
    expect(answer).toMatchObject({ status: 202, body: { outcome: "ci-stale" } });
    expect(logs.at(-1)?.extra).toMatchObject({ errorName: "InvalidToken" });

    const unknown = await registered("d".repeat(40), "afu9-local-token:gone:0000");
    expect(
      await deliver(w.handle, "workflow_run", {
        ...unknown,
        workflow_run: { ...(unknown.check_suite as Payload), head_sha: "d".repeat(40) },
        action: "completed",
      }),
    ).toMatchObject({
      status: 202,
      body: { outcome: "ci-stale" },
    });
    expect(logs.at(-1)?.extra).toMatchObject({ errorName: "TaskDoesNotExist" });
  });

  test("no run waits on the head: 202 ignored; in poll mode CI events are not looked up", async () => {
    const nobody = onFactoryBranch("check_run", "completed", "e".repeat(40));
    expect(await deliver(w.handle, "check_run", nobody)).toMatchObject({
      status: 202,
      body: { outcome: "ignored", reason: expect.stringMatching(/^no run waits for CI on e{12}/) },
    });
    expect(await deliver(w.pollMode, "check_run", nobody)).toMatchObject({
      status: 202,
      body: { outcome: "ignored", reason: expect.stringMatching(/waits for CI by polling/) },
    });
  });
});
