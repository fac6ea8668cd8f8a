// The answers the issue lists, one by one, plus routing rules, rotation, logs and metrics.
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import {
  createHarness,
  deliveryEvent,
  parseBody,
  PREVIOUS_SECRET,
  sign,
  TEST_SECRET,
} from "./helpers";
import { issueTextSha256 } from "../../../handlers/shared/issue-text";

const issuePayload = (overrides: Record<string, unknown> = {}) => ({
  action: "opened",
  issue: {
    number: 7,
    title: "Fix the typo in README",
    body: null,
    user: { login: "alice", type: "User" },
    author_association: "MEMBER",
    labels: [{ name: "afu9" }, { name: "docs" }],
  },
  repository: {
    id: 99,
    name: "widgets",
    full_name: "acme/widgets",
    owner: { login: "acme" },
    default_branch: "main",
  },
  sender: { login: "alice", id: 5, type: "User" },
  installation: { id: 31 },
  ...overrides,
});

const startCount = (h: ReturnType<typeof createHarness>) =>
  h.sfn.commandCalls(StartExecutionCommand).length;

describe("client mistakes are 4xx, and start nothing", () => {
  test("missing X-GitHub-Event or X-GitHub-Delivery: 400 naming the header", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload());
    for (const header of ["x-github-event", "x-github-delivery"]) {
      const event = await deliveryEvent({ event: "issues", body });
      delete event.headers?.[header];
      const response = await h.handle(event);
      expect(response.statusCode).toBe(400);
      expect(parseBody(response).message).toContain(header);
    }
    expect(startCount(h)).toBe(0);
  });

  test("missing or malformed X-Hub-Signature-256: 401, without re-reading the secret", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload());
    const unsigned = await deliveryEvent({ event: "issues", body, secret: null });
    expect((await h.handle(unsigned)).statusCode).toBe(401);
    const malformed = await deliveryEvent({ event: "issues", body });
    malformed.headers = { ...malformed.headers, "x-hub-signature-256": "sha1=abc" };
    const response = await h.handle(malformed);
    expect(response.statusCode).toBe(401);
    expect(parseBody(response).message).toContain("sha256=");
    // The malformed one read the secret once (to try it); no forced refresh followed.
    expect(h.secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(startCount(h)).toBe(0);
  });

  test("content type other than JSON: 415 (form-encoded deliveries included)", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload());
    for (const contentType of ["application/x-www-form-urlencoded", "text/plain", ""]) {
      const response = await h.handle(await deliveryEvent({ event: "issues", body, contentType }));
      expect(response.statusCode).toBe(415);
    }
    const withCharset = await deliveryEvent({
      event: "issues",
      body,
      contentType: "application/json; charset=utf-8",
    });
    expect((await h.handle(withCharset)).statusCode).toBe(202);
  });

  test("body over the configured limit: 413, plain or base64, before any verification", async () => {
    const h = createHarness({ maxBodyBytes: 1000 });
    const big = JSON.stringify(issuePayload({ padding: "x".repeat(1200) }));
    for (const base64 of [false, true]) {
      const response = await h.handle(await deliveryEvent({ event: "issues", body: big, base64 }));
      expect(response.statusCode).toBe(413);
    }
    expect(h.secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    // Multi-byte text counts in bytes: 600 characters of "é" are 1200 bytes.
    const accents = JSON.stringify({ zen: "é".repeat(600) });
    expect(accents.length).toBeLessThan(1000);
    expect((await h.handle(await deliveryEvent({ event: "ping", body: accents }))).statusCode).toBe(
      413,
    );
  });

  test("malformed JSON with a valid signature: 400", async () => {
    const h = createHarness();
    const response = await h.handle(await deliveryEvent({ event: "issues", body: '{"action":' }));
    expect(response.statusCode).toBe(400);
    expect(parseBody(response).message).toBe("body is not valid JSON");
  });

  test("a signed payload missing a field the run needs: 400 naming the field", async () => {
    const h = createHarness();
    const payload = issuePayload();
    const body = JSON.stringify({ ...payload, issue: { ...payload.issue, number: "7" } });
    const response = await h.handle(await deliveryEvent({ event: "issues", body }));
    expect(response.statusCode).toBe(400);
    expect(parseBody(response).message).toContain("issue.number");
    expect(startCount(h)).toBe(0);
  });

  test("base64 bodies that are not UTF-8: 400 (they cannot be verified exactly)", async () => {
    const h = createHarness();
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    const event = await deliveryEvent({ event: "ping", body: "{}" });
    const response = await h.handle({
      ...event,
      body: bytes.toString("base64"),
      isBase64Encoded: true,
    });
    expect(response.statusCode).toBe(400);
  });
});

describe("verification", () => {
  test("base64-encoded bodies are verified over the decoded bytes", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload({ note: "naïve – ünïcödé ✓" }));
    const response = await h.handle(await deliveryEvent({ event: "issues", body, base64: true }));
    expect(response.statusCode).toBe(202);
    expect(parseBody(response).outcome).toBe("started");
  });

  test("the body is verified as sent: re-serialised JSON does not verify", async () => {
    const h = createHarness();
    const spaced = JSON.stringify(issuePayload(), null, 2);
    const event = await deliveryEvent({ event: "issues", body: spaced });
    const compact = JSON.stringify(JSON.parse(spaced));
    expect((await h.handle({ ...event, body: compact })).statusCode).toBe(401);
    expect((await h.handle(event)).statusCode).toBe(202);
  });

  test("during a rotation the previous secret verifies too", async () => {
    const h = createHarness({
      secret: { githubWebhookSecret: TEST_SECRET, githubWebhookSecretPrevious: PREVIOUS_SECRET },
    });
    const body = JSON.stringify(issuePayload());
    for (const secret of [TEST_SECRET, PREVIOUS_SECRET]) {
      const response = await h.handle(await deliveryEvent({ event: "issues", body, secret }));
      expect(response.statusCode).toBe(202);
    }
    expect(startCount(h)).toBe(2);
  });

  test("a rotated secret is picked up by one re-read on the first failed verification", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload());
    expect((await h.handle(await deliveryEvent({ event: "issues", body }))).statusCode).toBe(202);
    h.setSecret({
      githubWebhookSecret: "rotated-secret",
      githubWebhookSecretPrevious: TEST_SECRET,
    });
    h.clock.advance(60_000);
    const response = await h.handle(
      await deliveryEvent({ event: "issues", body, secret: "rotated-secret" }),
    );
    expect(response.statusCode).toBe(202);
    expect(h.secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test("bad signatures do not turn into a Secrets Manager read each", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload());
    const reads = () => h.secretsManager.commandCalls(GetSecretValueCommand).length;
    const burst = async () => {
      for (let i = 0; i < 20; i++) {
        const event = await deliveryEvent({ event: "issues", body, secret: `bad-key-${i}` });
        expect((await h.handle(event)).statusCode).toBe(401);
      }
    };
    await burst();
    // The first read is younger than the 30 s refresh interval: no forced re-read yet.
    expect(reads()).toBe(1);
    h.clock.advance(31_000);
    await burst();
    // One forced re-read for the whole burst, not one per request.
    expect(reads()).toBe(2);
  });

  test("no readable secret: 5xx, nothing verified or started (fail closed)", async () => {
    const h = createHarness();
    h.secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"githubAppPrivateKey":"k"}' });
    const body = JSON.stringify(issuePayload());
    const response = await h.handle(await deliveryEvent({ event: "issues", body }));
    expect(response.statusCode).toBe(500);
    expect(parseBody(response).outcome).toBe("secret-unavailable");
    // Level and message prefix are what Observability's secrets-failure metric filter matches.
    expect(h.logs[0]).toMatchObject({
      level: "error",
      extra: { errorMessage: expect.stringMatching(/^secret arn:.* lacks githubWebhookSecret/) },
    });
    const throttled = createHarness();
    throttled.secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    const again = await throttled.handle(await deliveryEvent({ event: "issues", body }));
    expect(again.statusCode).toBe(503);
    expect(throttled.logs[0]).toMatchObject({
      level: "error",
      extra: { errorMessage: expect.stringMatching(/^cannot read secret arn:/) },
    });
    expect(startCount(throttled)).toBe(0);
  });
});

describe("routing", () => {
  test("ping: 200", async () => {
    const h = createHarness();
    const response = await h.handle(
      await deliveryEvent({ event: "ping", body: '{"zen":"Keep it logically awesome."}' }),
    );
    expect(response.statusCode).toBe(200);
    expect(parseBody(response)).toEqual({ outcome: "ping" });
  });

  test("issue actions are configurable", async () => {
    const h = createHarness({ issueActions: ["labeled"] });
    const opened = JSON.stringify(issuePayload());
    const labeled = JSON.stringify(issuePayload({ action: "labeled" }));
    const a = await h.handle(await deliveryEvent({ event: "issues", body: opened }));
    expect(parseBody(a)).toEqual({
      outcome: "ignored",
      reason: 'action "opened" of "issues" is not handled (handled: labeled)',
    });
    const b = await h.handle(await deliveryEvent({ event: "issues", body: labeled }));
    expect(parseBody(b).outcome).toBe("started");
  });

  test("the App's own actions (bot sender) and comments on pull requests are ignored", async () => {
    const h = createHarness();
    const byBot = issuePayload({
      action: "labeled",
      sender: { login: "afu9[bot]", id: 9, type: "Bot" },
    });
    const r1 = await h.handle(
      await deliveryEvent({ event: "issues", body: JSON.stringify(byBot) }),
    );
    expect(parseBody(r1)).toEqual({ outcome: "ignored", reason: "sender afu9[bot] is a bot" });
    const payload = issuePayload({
      action: "created",
      comment: { id: 1, body: "hi", user: { login: "bob" }, author_association: "NONE" },
    });
    const onPr = { ...payload, issue: { ...payload.issue, pull_request: { url: "https://x" } } };
    const r2 = await h.handle(
      await deliveryEvent({ event: "issue_comment", body: JSON.stringify(onPr) }),
    );
    expect(parseBody(r2).reason).toBe(
      "comment is on a pull request and starts with no /afu9 command",
    );
    expect(startCount(h)).toBe(0);
  });

  test("item 8: an issue body of 256 KiB starts a run like a small one (the input refers to it)", async () => {
    const h = createHarness();
    const payload = issuePayload();
    // 65,536 characters is GitHub's body limit; four-byte characters make that 256 KiB of UTF-8.
    const big = "😀".repeat(65536);
    const body = JSON.stringify({ ...payload, issue: { ...payload.issue, body: big } });
    const response = await h.handle(await deliveryEvent({ event: "issues", body }));
    expect(response.statusCode).toBe(202);
    expect(parseBody(response).outcome).toBe("started");
    expect(startCount(h)).toBe(1);
    const input = h.sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input ?? "";
    expect(Buffer.byteLength(input)).toBeLessThan(4096);
    expect(JSON.parse(input).issue.textSha256).toBe(
      issueTextSha256(String(payload.issue.title), big),
    );
  });
});

describe("logs and metrics", () => {
  test("one structured entry per delivery: id, event, action, repository, outcome, latency", async () => {
    const h = createHarness();
    const body = JSON.stringify(issuePayload());
    await h.handle(await deliveryEvent({ event: "issues", body, deliveryId: "d-1" }));
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toEqual({
      level: "info",
      message: "delivery handled",
      extra: {
        deliveryId: "d-1",
        event: "issues",
        action: "opened",
        repository: "acme/widgets",
        outcome: "started",
        status: 202,
        latencyMs: 0,
        executionName: "issue-7-d-1",
      },
    });
    expect(h.metrics).toEqual([
      { name: "Deliveries", dimensions: { outcome: "started" }, value: 1 },
    ]);
  });

  test("never the body, the signature or the secret", async () => {
    const h = createHarness({
      secret: { githubWebhookSecret: TEST_SECRET, githubWebhookSecretPrevious: PREVIOUS_SECRET },
    });
    const marker = "BODY-MARKER-5b1f";
    const body = JSON.stringify(issuePayload({ issue: { ...issuePayload().issue, body: marker } }));
    const signature = await sign(TEST_SECRET, body);
    await h.handle(await deliveryEvent({ event: "issues", body }));
    await h.handle(await deliveryEvent({ event: "issues", body, secret: "wrong" }));
    await h.handle(await deliveryEvent({ event: "issues", body: "{not json" }));
    const logged = JSON.stringify(h.logs);
    for (const forbidden of [marker, signature, TEST_SECRET, PREVIOUS_SECRET, "wrong"]) {
      expect(logged).not.toContain(forbidden);
    }
    expect(h.metrics.map((m) => m.dimensions.outcome)).toEqual([
      "started",
      "unauthorized",
      "bad-request",
    ]);
  });
});
