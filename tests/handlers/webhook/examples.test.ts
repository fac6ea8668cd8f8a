// Every payload of @octokit/webhooks-examples (github.com and each GHES version),
// signed with the test secret, gets a 2xx and the right decision; tampered, wrongly signed and
// unsigned copies get 401 and start nothing.
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ExecutionInput } from "../../../contract/state";
import {
  createHarness,
  deliveryEvent,
  parseBody,
  SETTINGS,
  START_TIME,
  type Harness,
} from "./helpers";
import { issueTextSha256 } from "../../../handlers/shared/issue-text";

interface Example {
  event: string;
  source: string;
  index: number;
  payload: Record<string, unknown>;
}

function loadExamples(): Example[] {
  const root = dirname(require.resolve("@octokit/webhooks-examples/package.json"));
  const examples: Example[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const definitions = require(join(root, dir.name, "index.json")) as {
      name: string;
      examples: Record<string, unknown>[];
    }[];
    for (const definition of definitions) {
      definition.examples.forEach((payload, index) =>
        examples.push({ event: definition.name, source: dir.name, index, payload }),
      );
    }
  }
  return examples;
}

const examples = loadExamples();

type Expected = "ping" | "started" | "ignored";

/**
 * The decision a maintainer expects, stated as the product rules (not by calling the router):
 * ping is answered; issues opened/reopened/labeled/edited and issue_comment created on an issue
 * start a run when the delivery comes from the App (has an installation) and a person sent it;
 * a comment only when an owner, member or collaborator wrote it and it carries a ```diff block,
 * a SEARCH/REPLACE block or an /afu9 command; everything else is acknowledged and ignored.
 */
function expectedDecision(event: string, payload: Record<string, unknown>): Expected {
  if (event === "ping") return "ping";
  const action = payload.action;
  const routed =
    (event === "issues" && ["opened", "reopened", "labeled", "edited"].includes(String(action))) ||
    (event === "issue_comment" && action === "created");
  if (!routed) return "ignored";
  const issue = payload.issue as { pull_request?: unknown };
  const sender = payload.sender as { type?: string };
  if (event === "issue_comment" && issue.pull_request) return "ignored";
  if (!payload.installation || sender.type === "Bot") return "ignored";
  if (event === "issue_comment") {
    const comment = payload.comment as { body?: string; author_association?: string };
    const writer = ["OWNER", "MEMBER", "COLLABORATOR"].includes(comment.author_association ?? "");
    const body = comment.body ?? "";
    const change =
      body.includes("```diff") || body.includes("<<<<<<< SEARCH") || /^\/afu9\b/m.test(body);
    if (!writer || !change) return "ignored";
  }
  return "started";
}

/** Deliveries of a GitHub App carry `installation`; most examples are repository webhooks. */
function asAppDelivery(payload: Record<string, unknown>): Record<string, unknown> {
  return payload.installation
    ? payload
    : {
        ...payload,
        installation: { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" },
      };
}

async function deliver(h: Harness, event: string, payload: Record<string, unknown>) {
  const body = JSON.stringify(payload);
  return h.handle(await deliveryEvent({ event, body }));
}

describe("every @octokit/webhooks-examples payload", () => {
  test("the package has the payloads this suite relies on", () => {
    expect(examples.length).toBeGreaterThan(600);
    const names = new Set(examples.map((e) => e.event));
    for (const name of ["ping", "issues", "issue_comment", "push", "pull_request"]) {
      expect(names).toContain(name);
    }
  });

  for (const variant of ["as published", "as a GitHub App delivery"] as const) {
    test(`signed, ${variant}: 2xx with the right decision, and a run only when expected`, async () => {
      const counts: Record<string, number> = { ping: 0, started: 0, ignored: 0 };
      const h = createHarness();
      for (const example of examples) {
        const payload =
          variant === "as published" ? example.payload : asAppDelivery(example.payload);
        const expected = expectedDecision(example.event, payload);
        const startsBefore = h.sfn.commandCalls(StartExecutionCommand).length;
        const response = await deliver(h, example.event, payload);
        const label = `${example.source} ${example.event}.${String(payload.action)} #${example.index}`;
        const body = parseBody(response);
        expect({ label, outcome: body.outcome }).toEqual({ label, outcome: expected });
        expect({ label, status: response.statusCode }).toEqual({
          label,
          status: expected === "ping" ? 200 : 202,
        });
        const starts = h.sfn.commandCalls(StartExecutionCommand).length - startsBefore;
        expect({ label, starts }).toEqual({ label, starts: expected === "started" ? 1 : 0 });
        if (expected === "ignored") expect(typeof body.reason).toBe("string");
        if (expected === "started") {
          expect(body.executionArn).toMatch(
            /^arn:aws:states:eu-central-1:123456789012:execution:afu9-dev:issue-\d+-/,
          );
        }
        counts[expected] += 1;
      }
      // Every decision is exercised (the payload set is not accidentally all-ignored).
      expect(counts.ping).toBeGreaterThanOrEqual(4);
      expect(counts.started).toBeGreaterThanOrEqual(variant === "as published" ? 2 : 20);
      expect(counts.ignored).toBeGreaterThan(500);
    });
  }

  test("tampered, wrong secret, or unsigned: 401 and nothing started", async () => {
    const h = createHarness();
    for (const example of examples) {
      const payload = asAppDelivery(example.payload);
      const body = JSON.stringify(payload);
      const label = `${example.source} ${example.event} #${example.index}`;
      const signed = await deliveryEvent({ event: example.event, body });
      // Tampered: one character of the body changed after signing.
      const tamperedBody = body.replace(
        /"id":(\d)/,
        (_m, d: string) => `"id":${(Number(d) + 1) % 10}`,
      );
      expect(tamperedBody).not.toBe(body);
      const cases = [
        { ...signed, body: tamperedBody },
        await deliveryEvent({ event: example.event, body, secret: "not-the-secret" }),
        await deliveryEvent({ event: example.event, body, secret: null }),
      ];
      for (const [i, event] of cases.entries()) {
        const response = await h.handle(event);
        expect({ label, i, status: response.statusCode }).toEqual({ label, i, status: 401 });
      }
    }
    expect(h.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe("execution input built from real payloads", () => {
  const find = (event: string, action: string) => {
    const found = examples.find(
      (e) =>
        e.source === "api.github.com" &&
        e.event === event &&
        e.payload.action === action &&
        e.payload.installation,
    );
    if (!found) throw new Error(`no ${event}.${action} example with an installation`);
    return found;
  };

  test("issues.reopened starts with exactly the ExecutionInput fields", async () => {
    const h = createHarness();
    const example = find("issues", "reopened");
    const deliveryId = "2b3ce2a0-0000-11ef-8e9a-d06b3d1e0001";
    const body = JSON.stringify(example.payload);
    const response = await h.handle(await deliveryEvent({ event: "issues", body, deliveryId }));
    expect(response.statusCode).toBe(202);
    const calls = h.sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const expected: ExecutionInput = {
      delivery: {
        id: deliveryId,
        event: "issues",
        action: "reopened",
        // The run lock's clock and the content fingerprint (tests/handlers/webhook/ci-events.test.ts).
        receivedAt: START_TIME / 1000,
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      installationId: 1,
      repository: {
        id: 186853002,
        owner: "Codertocat",
        name: "Hello-World",
        defaultBranch: "master",
      },
      issue: {
        number: 1,
        title: "Spelling error in the README file",
        textSha256: issueTextSha256("Spelling error in the README file", ""),
        user: "Codertocat",
        authorAssociation: "OWNER",
        labels: ["bug"],
      },
      sender: { login: "Codertocat", id: 21031067 },
      settings: SETTINGS,
    };
    const args = calls[0].args[0].input;
    expect(args.stateMachineArn).toBe(
      "arn:aws:states:eu-central-1:123456789012:stateMachine:afu9-dev",
    );
    expect(args.name).toBe(`issue-1-${deliveryId}`);
    expect(JSON.parse(args.input ?? "")).toEqual(expected);
    expect(parseBody(response)).toEqual({
      outcome: "started",
      executionArn: `arn:aws:states:eu-central-1:123456789012:execution:afu9-dev:issue-1-${deliveryId}`,
      executionName: `issue-1-${deliveryId}`,
    });
  });

  test("issues.labeled carries the applied label's name (the interpreter's trigger check)", async () => {
    const h = createHarness();
    // The published issues.labeled examples come without `installation`; add one, as an App
    // delivery would carry it.
    const example = examples.find((e) => e.event === "issues" && e.payload.action === "labeled");
    if (!example) throw new Error("no issues.labeled example");
    const label = (example.payload as { label?: { name?: string } }).label?.name;
    expect(typeof label).toBe("string");
    const deliveryId = "2b3ce2a0-0000-11ef-8e9a-d06b3d1e0003";
    const body = JSON.stringify({ ...example.payload, installation: { id: 1 } });
    const response = await h.handle(await deliveryEvent({ event: "issues", body, deliveryId }));
    expect(response.statusCode).toBe(202);
    const input = JSON.parse(
      h.sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input ?? "",
    ) as ExecutionInput;
    expect(input.delivery).toEqual({
      id: deliveryId,
      event: "issues",
      action: "labeled",
      label,
      receivedAt: START_TIME / 1000,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  test("issue_comment.created carries the comment and nothing else of the payload", async () => {
    const h = createHarness();
    const example = find("issue_comment", "created");
    const deliveryId = "2b3ce2a0-0000-11ef-8e9a-d06b3d1e0002";
    const command = "/afu9 retry";
    const payload = example.payload as { comment: Record<string, unknown> };
    const body = JSON.stringify({ ...payload, comment: { ...payload.comment, body: command } });
    await h.handle(await deliveryEvent({ event: "issue_comment", body, deliveryId }));
    const input = JSON.parse(
      h.sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input ?? "",
    );
    expect(input).toEqual({
      delivery: {
        id: deliveryId,
        event: "issue_comment",
        action: "created",
        receivedAt: START_TIME / 1000,
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      installationId: 1,
      repository: {
        id: 186853002,
        owner: "Codertocat",
        name: "Hello-World",
        defaultBranch: "master",
      },
      issue: {
        number: 1,
        title: "Spelling error in the README file",
        textSha256: issueTextSha256(
          "Spelling error in the README file",
          "It looks like you accidently spelled 'commit' with two 't's.",
        ),
        user: "Codertocat",
        authorAssociation: "OWNER",
        labels: ["bug"],
      },
      sender: { login: "Codertocat", id: 21031067 },
      comment: {
        id: 492700400,
        user: "Codertocat",
        authorAssociation: "OWNER",
      },
      settings: SETTINGS,
    });
  });
});
