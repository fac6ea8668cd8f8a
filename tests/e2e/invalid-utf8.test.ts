// Item 14: a delivery whose body is not valid UTF-8 is answered 400 bad-request, as the webhook
// README says, also when it arrives as text (the local gateway, like API Gateway, decodes text
// bodies, replacing the invalid bytes); it is not reported as a bad signature.
import { createHmac, randomUUID } from "node:crypto";
import { createFactoryOutput } from "../../local/factory/output";
import { startSandbox, type Sandbox } from "../../local/factory/sandbox";
import { SETTINGS, TIME_SCALE } from "./harness";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    settings: SETTINGS,
    timeScale: TIME_SCALE,
    retryDelayMs: 5,
    output: createFactoryOutput({ mode: "silent" }),
    ciDelayMs: 100,
    githubRetryBaseMs: 5,
    seedDemo: false,
  });
});
afterAll(() => sandbox?.close());

test("a JSON body with invalid UTF-8, signed over its bytes, is 400 bad-request, not 401", async () => {
  const type = "application/json";
  const bytes = Buffer.concat([
    Buffer.from('{"zen":"'),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('"}'),
  ]);
  const signature = `sha256=${createHmac("sha256", sandbox.webhookSecret).update(bytes).digest("hex")}`;
  const response = await fetch(sandbox.factory.webhookUrl, {
    method: "POST",
    headers: {
      "content-type": type,
      "x-github-event": "ping",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signature,
    },
    body: bytes,
  });
  const body = (await response.json()) as { outcome?: string; message?: string };
  expect(response.status).toBe(400);
  expect(body).toMatchObject({
    outcome: "bad-request",
    message: expect.stringContaining("UTF-8"),
  });
});
