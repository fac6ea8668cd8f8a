// Over arbitrary headers and bodies the handler never answers 5xx, never lets an
// exception escape, and starts nothing unless the signature is valid.
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import fc from "fast-check";
import type { WebhookRequestEvent } from "../../../handlers/webhook/request";
import { createHarness, sign, TEST_SECRET } from "./helpers";

const h = createHarness();
beforeEach(() => h.sfn.resetHistory());

const headerName = fc.oneof(
  fc.constantFrom(
    "x-github-event",
    "X-GitHub-Event",
    "x-github-delivery",
    "x-hub-signature-256",
    "X-Hub-Signature-256",
    "content-type",
    "Content-Type",
  ),
  fc.string({ maxLength: 20 }),
);
const headerValue = fc.oneof(
  fc.constantFrom(
    "issues",
    "issue_comment",
    "ping",
    "push",
    "application/json",
    "application/json; charset=utf-8",
    "sha256=" + "0".repeat(64),
    "sha256=",
    "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const body = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom("", "{}", "null", "[]", '{"action":"opened"}'),
);

/** Arbitrary events, including shapes API Gateway would never send (null headers, no body). */
const arbitraryEvent: fc.Arbitrary<WebhookRequestEvent> = fc.record(
  {
    headers: fc.oneof(fc.dictionary(headerName, headerValue, { maxKeys: 8 }), fc.constant(null)),
    body: fc.oneof(body, fc.constant(null)),
    isBase64Encoded: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Mostly the valid shape, sometimes anything at all. */
const usually = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: fc.anything(), weight: 1 });

/** An issue-ish payload whose fields may have any type: signed, it reaches the router. */
const issueish = fc.record({
  action: usually(fc.constantFrom("opened", "edited", "labeled", "reopened", "created", "closed")),
  issue: usually(
    fc.record(
      {
        number: usually(fc.nat()),
        title: usually(fc.string()),
        body: usually(fc.oneof(fc.string(), fc.constant(null))),
        user: usually(fc.record({ login: fc.string() })),
        author_association: usually(fc.constantFrom("OWNER", "MEMBER", "NONE")),
        labels: usually(fc.array(fc.record({ name: fc.string() }), { maxLength: 3 })),
        pull_request: fc.anything(),
      },
      { requiredKeys: ["number", "title", "body", "user", "author_association", "labels"] },
    ),
  ),
  comment: usually(
    fc.record({
      id: usually(fc.nat()),
      body: usually(fc.string()),
      user: usually(fc.record({ login: fc.string() })),
      author_association: usually(fc.constantFrom("OWNER", "NONE")),
    }),
  ),
  repository: usually(
    fc.record({
      id: usually(fc.nat()),
      name: usually(fc.string()),
      full_name: fc.string(),
      owner: usually(fc.record({ login: fc.string() })),
      default_branch: usually(fc.string()),
    }),
  ),
  sender: usually(
    fc.record({ login: fc.string(), id: usually(fc.nat()), type: fc.constantFrom("User", "Bot") }),
  ),
  installation: usually(fc.record({ id: usually(fc.nat()) })),
});

describe("property: hostile input", () => {
  test("arbitrary requests: never 5xx, never throws, never starts", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEvent, async (event) => {
        h.sfn.resetHistory();
        const response = await h.handle(event);
        expect(response.statusCode).toBeGreaterThanOrEqual(200);
        expect(response.statusCode).toBeLessThan(500);
        expect(() => JSON.parse(response.body)).not.toThrow();
        expect(h.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
      }),
      { numRuns: 1500 },
    );
  });

  test("validly signed arbitrary payloads: never 5xx; started only with a run's input", async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("issues", "issue_comment", "ping", "push"),
        issueish,
        fc.boolean(),
        fc.boolean(),
        async (eventName, payload, signedRight, base64) => {
          h.sfn.resetHistory();
          const text = JSON.stringify(payload);
          const signature = await sign(signedRight ? TEST_SECRET : "attacker-secret", text);
          const response = await h.handle({
            headers: {
              "content-type": "application/json",
              "x-github-event": eventName,
              "x-github-delivery": "0b6f2c3e-cc78-11e3-81ab-4c9367dc0958",
              "x-hub-signature-256": signature,
            },
            body: base64 ? Buffer.from(text).toString("base64") : text,
            isBase64Encoded: base64,
          });
          expect(response.statusCode).toBeLessThan(500);
          const starts = h.sfn.commandCalls(StartExecutionCommand);
          const outcome = JSON.parse(response.body).outcome;
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
          if (!signedRight) {
            expect(response.statusCode).toBe(401);
            expect(starts).toHaveLength(0);
            return;
          }
          expect(starts).toHaveLength(outcome === "started" ? 1 : 0);
          if (starts.length === 1) {
            const request = starts[0].args[0].input;
            expect(request.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
            const input = JSON.parse(request.input ?? "");
            expect(Object.keys(input).sort()).toEqual(
              [
                "delivery",
                "installationId",
                "issue",
                "repository",
                "sender",
                "settings",
                ...(eventName === "issue_comment" ? ["comment"] : []),
              ].sort(),
            );
          }
        },
      ),
      { numRuns: 1500 },
    );
    // The generator reaches every branch: runs start, are ignored, are refused as invalid.
    for (const outcome of ["started", "ignored", "invalid-payload", "ping", "unauthorized"]) {
      expect({ outcome, seen: (seen.get(outcome) ?? 0) > 0 }).toEqual({ outcome, seen: true });
    }
  });
});
