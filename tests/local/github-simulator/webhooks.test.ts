// Must-show 3b: signed webhook deliveries, verified with @octokit/webhooks, payloads in the shape
// of the real examples in @octokit/webhooks-examples.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";
import examples from "@octokit/webhooks-examples";
import { startGitHubSimulator } from "../../../local/github-simulator";
import { startFixture, type SimFixture } from "./helpers";

interface Delivery {
  event: string;
  id: string;
  signature: string;
  body: string;
}

const SECRET = "webhook-secret-for-tests";
const deliveries: Delivery[] = [];
let receiver: Server;
let f: SimFixture;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      deliveries.push({
        event: String(req.headers["x-github-event"]),
        id: String(req.headers["x-github-delivery"]),
        signature: String(req.headers["x-hub-signature-256"]),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
  f = await startFixture({ webhooks: { url, secret: SECRET } });
});
afterAll(async () => {
  await f.sim.close();
  await new Promise((resolve) => receiver.close(resolve));
});

/** Keys every real example of this event/action has (organization/enterprise are optional). */
function exampleKeys(event: string, action: string | undefined, nested?: string): string[] {
  const found = examples.find((e) => e.name === event);
  const payloads = (found?.examples ?? []) as Array<Record<string, unknown>>;
  const matching = payloads.filter((p) => action === undefined || p.action === action);
  expect(matching.length).toBeGreaterThan(0);
  const keySets = matching.map((p) => Object.keys((nested ? p[nested] : p) as object));
  return keySets[0].filter(
    (k) => keySets.every((set) => set.includes(k)) && !["organization", "enterprise"].includes(k),
  );
}

const MAIN_OBJECT: Record<string, string> = {
  issues: "issue",
  issue_comment: "comment",
  pull_request: "pull_request",
  check_run: "check_run",
  check_suite: "check_suite",
};

test("repository events arrive signed, in order, shaped like GitHub's", async () => {
  const { sim, octokit, owner, repo } = f;
  sim.programCi(owner, repo, { checks: ["build"], outcome: "success", delayMs: 50 });
  const issue = sim.createIssue(owner, repo, {
    title: "Bug",
    body: "broken",
    user: "alice",
    authorAssociation: "CONTRIBUTOR",
  });
  sim.addLabel(owner, repo, issue.number, "afu9", "bob");
  sim.addComment(owner, repo, issue.number, {
    body: "/afu9 retry",
    user: "bob",
    authorAssociation: "MEMBER",
  });
  await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: issue.number,
    body: "on it",
  });
  const head = sim.pushCommit(owner, repo, "afu9/issue-1", { "fix.txt": "fixed\n" });
  const { data: pr } = await octokit.rest.pulls.create({
    owner,
    repo,
    title: "Fix",
    head: "afu9/issue-1",
    base: "main",
  });
  sim.setStatus(owner, repo, head, { context: "lint", state: "success" });
  while (!sim.events.some((e) => e.event === "check_suite")) {
    await new Promise((resolve) => setTimeout(resolve, 10)); // scripted CI completes after 50 ms
  }
  await octokit.rest.pulls.merge({ owner, repo, pull_number: pr.number, sha: head });
  await sim.waitForWebhooks();

  const webhooks = new Webhooks({ secret: SECRET });
  for (const delivery of deliveries) {
    expect(await webhooks.verify(delivery.body, delivery.signature)).toBe(true);
    expect(delivery.id).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(
    await webhooks.verify(deliveries[0].body.replace("Bug", "Bag"), deliveries[0].signature),
  ).toBe(false);

  const seen = deliveries.map(
    (d) => `${d.event}.${(JSON.parse(d.body) as { action?: string }).action ?? ""}`,
  );
  // CI reports on its own timer, so its events interleave; each stream is ordered.
  const isCi = (name: string) => name.startsWith("check_") || name.startsWith("workflow_run");
  // Scripted CI's workflow run completes once, after its check runs.
  expect(seen.filter((name) => name.startsWith("workflow_run"))).toEqual([
    "workflow_run.completed",
  ]);
  expect(seen.filter((name) => !isCi(name))).toEqual([
    "issues.opened",
    "issues.labeled",
    "issue_comment.created",
    "issue_comment.created",
    "pull_request.opened",
    "status.",
    "pull_request.closed",
  ]);
  expect(seen.filter((name) => name.startsWith("check_"))).toEqual([
    "check_run.created",
    "check_run.completed",
    "check_suite.completed",
  ]);

  for (const delivery of deliveries) {
    const payload = JSON.parse(delivery.body) as Record<string, unknown>;
    const action = payload.action as string | undefined;
    const missing = (keys: string[], have: object) =>
      keys.filter((k) => !(k in have)).map((k) => `${delivery.event}.${action}: ${k}`);
    expect(missing(exampleKeys(delivery.event, action), payload)).toEqual([]);
    const main = MAIN_OBJECT[delivery.event];
    if (main) {
      expect(missing(exampleKeys(delivery.event, action, main), payload[main] as object)).toEqual(
        [],
      );
    }
    expect(payload.installation).toEqual({ id: f.installationId, node_id: expect.any(String) });
  }
  const labeled = JSON.parse(deliveries[1].body) as {
    sender: { login: string };
    label: { name: string };
  };
  expect(labeled).toMatchObject({ sender: { login: "bob" }, label: { name: "afu9" } });
  const closed = JSON.parse(deliveries[deliveries.length - 1].body) as {
    pull_request: { merged: boolean };
  };
  expect(closed.pull_request.merged).toBe(true);
});

test("a push to an open PR's branch is delivered as pull_request.synchronize with before/after", async () => {
  const { sim, octokit, owner, repo } = f;
  const first = sim.pushCommit(owner, repo, "sync", { "s.txt": "1\n" });
  await octokit.rest.pulls.create({ owner, repo, title: "Sync", head: "sync", base: "main" });
  const second = sim.pushCommit(owner, repo, "sync", { "s.txt": "2\n" }, "second");
  await sim.waitForWebhooks();
  const sync = deliveries
    .map(
      (d) =>
        JSON.parse(d.body) as {
          action?: string;
          before?: string;
          after?: string;
          sender: { login: string };
        },
    )
    .find((p) => p.action === "synchronize");
  expect(sync).toMatchObject({ before: first, after: second, sender: { login: owner } });
  expect(Object.keys(sync!)).toEqual(
    expect.arrayContaining(exampleKeys("pull_request", "synchronize")),
  );
});

test("an unreachable webhook URL is recorded on the event, the API keeps working", async () => {
  const sim = await startGitHubSimulator({
    webhooks: { url: "http://127.0.0.1:9/none", secret: "s" },
  });
  try {
    const { id } = sim.createInstallation("acme");
    sim.createRepository({ owner: "acme", name: "w", installationId: id, files: { a: "a" } });
    sim.createIssue("acme", "w", { title: "t", body: "b", user: "alice" });
    await sim.waitForWebhooks();
    expect(sim.events).toEqual([
      expect.objectContaining({ event: "issues", action: "opened", error: expect.any(String) }),
    ]);
  } finally {
    await sim.close();
  }
});
