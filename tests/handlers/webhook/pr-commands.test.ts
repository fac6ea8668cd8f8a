// `/afu9` commands at the webhook. Parsing and routing from real payloads
// (@octokit/webhooks-examples) made to carry a command; authorization and what follows through the
// real processor against the GitHub simulator (permissions through the API, every request logged)
// with Step Functions mocked (aws-sdk-client-mock) and the CI wait registry in dynalite.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { CiWake, ExecutionInput } from "../../../contract/state";
import { registerCiWait } from "../../../handlers/run-table/ci-wait-registry";
import { parseCommandText } from "../../../handlers/shared/pr-commands";
import { createWebhookProcessor } from "../../../handlers/webhook/handle-webhook";
import { routeCommandDelivery } from "../../../handlers/webhook/pr-command";
import {
  seedDemoRepository,
  simulatorClientFactory,
  startGitHubSimulator,
  type DemoSeed,
  type GitHubSimulator,
} from "../../../local/github-simulator";
import { startLocalRunTable, type LocalRunTable } from "../../../local/factory/local-run-table";
import { createHarness, deliveryEvent, parseBody, type Harness } from "./helpers";

type Payload = Record<string, unknown>;

function example(event: string, action: string): Payload {
  const root = dirname(require.resolve("@octokit/webhooks-examples/package.json"));
  const all = JSON.parse(readFileSync(join(root, "api.github.com", "index.json"), "utf8")) as {
    name: string;
    examples: Payload[];
  }[];
  const found = all.find((d) => d.name === event)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  const payload = structuredClone(found);
  if (event === "issue_comment") {
    // The examples hold comments on issues only; a comment on a PR differs by this field alone.
    const issue = payload.issue as Payload;
    issue.pull_request = { url: String(issue.url).replace("/issues/", "/pulls/") };
  }
  return payload;
}

const INSTALLATION = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };

/** A real payload of `event` carrying `text` where the command goes, from an installation. */
function commandPayload(event: string, text: string): Payload {
  const [action, key] =
    event === "pull_request_review" ? ["submitted", "review"] : ["created", "comment"];
  const payload: Payload = { ...example(event, action), installation: INSTALLATION };
  (payload[key] as Payload).body = text;
  return payload;
}

describe("parseCommandText", () => {
  test.each([
    ["/afu9 retry", { name: "retry", args: "" }],
    ["  \n/afu9 MERGE now please", { name: "merge", args: "now please" }],
    [
      "/afu9 revise use a const\n```diff\n-a\n+b\n```",
      { name: "revise", args: expect.stringMatching(/^use a const\n```diff/) },
    ],
    ["/afu9 stop", { name: "stop", args: "" }],
    ["/afu9", { name: "help", args: "" }],
    ["/afu9 help", { name: "help", args: "" }],
    ["/afu9 deploy prod", { name: "help", word: "deploy", args: "prod" }],
  ])("%j", (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });

  test.each(["/afu9x retry", "please /afu9 retry", "", "retry", "> /afu9 retry"])(
    "%j is no command",
    (text) => {
      expect(parseCommandText(text)).toBeUndefined();
    },
  );

  test("the arguments are bounded (the task re-reads the comment)", () => {
    expect(parseCommandText(`/afu9 revise ${"x".repeat(5000)}`)?.args).toHaveLength(2000);
  });
});

describe("routeCommandDelivery: from the payload alone", () => {
  test.each([
    ["issue_comment", "issue_comment"],
    ["pull_request_review_comment", "review_comment"],
    ["pull_request_review", "review"],
  ])("%s with /afu9 retry is a command from its sender", (event, kind) => {
    const payload = commandPayload(event, "/afu9 retry");
    const decision = routeCommandDelivery(event, payload);
    const pull = (payload.issue ?? payload.pull_request) as Payload;
    const sender = payload.sender as Payload;
    const source = (payload.comment ?? payload.review) as Payload;
    expect(decision).toMatchObject({
      kind: "command",
      installationId: INSTALLATION.id,
      command: {
        name: "retry",
        args: "",
        by: sender.login,
        pullNumber: pull.number,
        source: { kind, id: source.id },
      },
    });
  });

  test("an issue comment on an issue (not a PR) goes on to the issue routing", () => {
    const payload = commandPayload("issue_comment", "/afu9 retry");
    delete (payload.issue as Payload).pull_request;
    expect(routeCommandDelivery("issue_comment", payload)).toBeUndefined();
    expect(routeCommandDelivery("issues", payload)).toBeUndefined();
  });

  test("no command, a bot, no installation, another action: ignored, saying why", () => {
    expect(routeCommandDelivery("issue_comment", commandPayload("issue_comment", "LGTM"))).toEqual({
      kind: "ignored",
      action: "created",
      reason: "comment is on a pull request and starts with no /afu9 command",
    });
    const bot = commandPayload("pull_request_review_comment", "/afu9 merge");
    bot.sender = { ...(bot.sender as Payload), login: "afu9[bot]", type: "Bot" };
    expect(routeCommandDelivery("pull_request_review_comment", bot)).toMatchObject({
      kind: "ignored",
      reason: "sender afu9[bot] is a bot",
    });
    // A review that is no command is the review gate's (review-event.ts), not ignored here.
    expect(
      routeCommandDelivery("pull_request_review", commandPayload("pull_request_review", "LGTM")),
    ).toBeUndefined();
    const repoHook = commandPayload("pull_request_review", "/afu9 merge");
    delete repoHook.installation;
    expect(routeCommandDelivery("pull_request_review", repoHook)).toMatchObject({
      reason: expect.stringMatching(/no installation/),
    });
    const edited = { ...commandPayload("issue_comment", "/afu9 merge"), action: "edited" };
    expect(routeCommandDelivery("issue_comment", edited)).toMatchObject({
      kind: "ignored",
      reason: expect.stringMatching(/action "edited" of "issue_comment" is not handled/),
    });
  });

  test("a payload lacking a field a command needs is invalid", () => {
    const payload = commandPayload("pull_request_review", "/afu9 merge");
    delete (payload.pull_request as Payload).number;
    expect(routeCommandDelivery("pull_request_review", payload)).toMatchObject({
      kind: "invalid",
    });
  });
});

describe("authorization and what a command leads to (simulator)", () => {
  let sim: GitHubSimulator;
  let table: LocalRunTable;
  let harness: Harness;
  let repo: DemoSeed;
  let factoryPull: { number: number; headSha: string };
  let otherPull: { number: number };
  let repoId: number;
  const MAINTAINER = "maintainer-1";
  const READER = "reader-1";

  beforeAll(async () => {
    sim = await startGitHubSimulator();
    table = await startLocalRunTable();
    repo = seedDemoRepository(sim, { owner: "acme", repo: "widgets", maintainer: MAINTAINER });
    sim.setPermission(repo.owner, repo.repo, READER, "read");
    const issue = sim.createIssue(repo.owner, repo.repo, {
      title: "Greet louder",
      body: "Add an exclamation mark.",
      user: MAINTAINER,
    });
    const branch = `afu9/issue-${issue.number}`;
    const headSha = sim.pushCommit(repo.owner, repo.repo, branch, { "a.txt": "a\n" });
    sim.pushCommit(repo.owner, repo.repo, "feature/x", { "b.txt": "b\n" });
    const octokit = await simulatorClientFactory(sim)(repo.installationId);
    repoId = (await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo })).data.id;
    const pull = async (head: string) =>
      (
        await octokit.rest.pulls.create({
          owner: repo.owner,
          repo: repo.repo,
          head,
          base: "main",
          title: head,
        })
      ).data.number;
    factoryPull = { number: await pull(branch), headSha };
    otherPull = { number: await pull("feature/x") };
  });

  afterAll(async () => {
    await table?.close();
    await sim?.close();
  });

  beforeEach(() => {
    harness = createHarness();
  });

  /** A review by `login` on PR `number` whose body is `text`, as the App receives it. */
  function review(number: number, login: string, text: string): Payload {
    const payload = commandPayload("pull_request_review", text);
    payload.repository = {
      ...(payload.repository as Payload),
      id: repoId,
      name: repo.repo,
      full_name: `${repo.owner}/${repo.repo}`,
      owner: { ...((payload.repository as Payload).owner as Payload), login: repo.owner },
      default_branch: "main",
    };
    payload.installation = { ...INSTALLATION, id: repo.installationId };
    payload.sender = { ...(payload.sender as Payload), login, type: "User" };
    (payload.pull_request as Payload).number = number;
    return payload;
  }

  async function deliver(payload: Payload, options: { ciWait?: boolean } = {}) {
    const handle = createWebhookProcessor({
      ...harness.deps,
      commands: { github: simulatorClientFactory(sim) },
      ...(options.ciWait ? { ciWait: { runTable: () => table } } : {}),
    });
    const event = await deliveryEvent({
      event: "pull_request_review",
      body: JSON.stringify(payload),
    });
    const response = await handle(event);
    return { status: response.statusCode, body: parseBody(response) };
  }

  /** Writes to repositories (an installation token is authentication, not a write). */
  const writesSince = (from: number) =>
    sim.requests
      .slice(from)
      .filter((r) => r.method !== "GET" && !r.route.includes(" /app/"))
      .map((r) => r.route);

  test.each(["retry", "merge", "stop", "revise fix it", "help"])(
    "/afu9 %s from a reader: refused with a reason, a log line and a metric; nothing written or started",
    async (command) => {
      const from = sim.requests.length;
      const answer = await deliver(review(factoryPull.number, READER, `/afu9 ${command}`));
      expect(answer).toEqual({
        status: 202,
        body: {
          outcome: "command-refused",
          reason: `@${READER} has permission "read" on acme/widgets: commands need write, maintain or admin`,
        },
      });
      expect(writesSince(from)).toEqual([]);
      expect(harness.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
      expect(harness.sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
      expect(harness.metrics).toContainEqual({
        name: "CommandsRefused",
        dimensions: { command: command.split(" ")[0] },
        value: 1,
      });
      expect(harness.metrics).toContainEqual({
        name: "Deliveries",
        dimensions: { outcome: "command-refused" },
        value: 1,
      });
      const line = harness.logs.find((l) => l.message === "delivery handled");
      expect(line?.extra).toMatchObject({ outcome: "command-refused", by: READER });
    },
  );

  test("someone unknown to the repository (404 on the permission API) is refused too", async () => {
    const from = sim.requests.length;
    const answer = await deliver(review(factoryPull.number, "drive-by", "/afu9 merge"));
    expect(answer.body).toMatchObject({ outcome: "command-refused" });
    expect(writesSince(from)).toEqual([]);
  });

  test("a command on a PR that is not a factory PR is ignored before any permission read", async () => {
    const from = sim.requests.length;
    const answer = await deliver(review(otherPull.number, MAINTAINER, "/afu9 merge"));
    expect(answer.body).toEqual({
      outcome: "ignored",
      reason: expect.stringMatching(/is not a factory PR .*feature\/x/),
    });
    expect(sim.requests.slice(from).map((r) => r.route)).not.toContain(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
    );
    expect(writesSince(from)).toEqual([]);
  });

  test("help from a maintainer: one reply listing the commands, no run", async () => {
    const from = sim.requests.length;
    const answer = await deliver(review(factoryPull.number, MAINTAINER, "/afu9 frobnicate"));
    expect(answer.body).toMatchObject({ outcome: "command-answered", command: "help" });
    expect(writesSince(from)).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    const [reply] = sim.listIssueComments(repo.owner, repo.repo, factoryPull.number).slice(-1);
    expect(reply.body).toContain("`frobnicate` is not an AFU-9 command.");
    expect(reply.body).toContain("`/afu9 revise <what to change>`");
    expect(harness.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test("retry from a maintainer, no run waiting: acknowledged, then a command run for the issue", async () => {
    const from = sim.requests.length;
    const answer = await deliver(review(factoryPull.number, MAINTAINER, "/afu9 retry"), {
      ciWait: true,
    });
    expect(answer.body).toMatchObject({ outcome: "started" });
    // A review body has no reaction API: the acknowledgement is a reply.
    expect(writesSince(from)).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    const [start] = harness.sfn.commandCalls(StartExecutionCommand);
    const input = JSON.parse(start.args[0].input.input ?? "{}") as ExecutionInput;
    expect(input.command).toMatchObject({
      name: "retry",
      by: MAINTAINER,
      pullNumber: factoryPull.number,
      source: { kind: "review" },
    });
    expect(input.issue).toMatchObject({ number: 1, title: "Greet louder" });
    expect(input.delivery.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(start.args[0].input.name).toMatch(/^issue-1-/);
  });

  test("merge from a maintainer while the issue's run waits for CI on the head: that wait is resumed", async () => {
    await registerCiWait(table, {
      repositoryId: repoId,
      headSha: factoryPull.headSha,
      taskToken: "token-of-the-waiting-run",
      issue: "acme/widgets#1",
      pullRequest: factoryPull.number,
      expiresAt: 9_999_999_999,
    });
    harness.sfn.on(SendTaskSuccessCommand).resolves({});
    const answer = await deliver(review(factoryPull.number, MAINTAINER, "/afu9 merge"), {
      ciWait: true,
    });
    expect(answer.body).toMatchObject({ outcome: "command-resumed", run: "acme/widgets#1" });
    const [resume] = harness.sfn.commandCalls(SendTaskSuccessCommand);
    expect(resume.args[0].input.taskToken).toBe("token-of-the-waiting-run");
    const wake = JSON.parse(resume.args[0].input.output ?? "{}") as CiWake;
    expect(wake).toMatchObject({
      source: "command",
      headSha: factoryPull.headSha,
      command: { name: "merge", by: MAINTAINER },
    });
    expect(harness.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test("a spent wait token (the run moved on): the command starts its own run, which queues on the lock", async () => {
    const error = Object.assign(new Error("Task Timed Out"), { name: "TaskTimedOut" });
    harness.sfn.on(SendTaskSuccessCommand).rejects(error);
    const answer = await deliver(review(factoryPull.number, MAINTAINER, "/afu9 stop"), {
      ciWait: true,
    });
    expect(answer.body).toMatchObject({ outcome: "started" });
    expect(harness.sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
