// Review events at the webhook: real pull_request_review payloads from @octokit/webhooks-examples,
// signed; the filters (submitted or dismissed, factory branches only, the App's installations
// only), one lookup in a real local table (dynalite), and SendTaskSuccess of the waiting run's
// token with CiWake source "pull_request_review".
import { routeReviewEvent } from "../../../handlers/webhook/review-event";
import type { WebhookProcessor } from "../../../handlers/webhook/handle-webhook";
import { startCiWakeWebhook, type CiWakeWebhook } from "./ci-wake-harness";
import { deliveryEvent } from "./helpers";

type Payload = Record<string, unknown>;

function example(action: string): Payload {
  const all = require("@octokit/webhooks-examples") as Array<{
    name: string;
    examples: Payload[];
  }>;
  const found = all
    .find((d) => d.name === "pull_request_review")
    ?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no pull_request_review.${action} example`);
  return structuredClone(found);
}

const INSTALLATION = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };

/** A review example as the App receives it on the factory PR of issue 7 at `sha`. */
function onFactoryPr(action: string, sha: string): Payload {
  const payload: Payload = { ...example(action), installation: INSTALLATION };
  const pull = payload.pull_request as Payload;
  pull.head = { ...(pull.head as Payload), ref: "afu9/issue-7", sha };
  return payload;
}

const SHA = "a".repeat(40);

describe("routeReviewEvent: cheap filters on the payload alone", () => {
  test.each(["submitted", "dismissed"])(
    "%s on a factory PR wakes the run waiting on its head",
    (action) => {
      const payload = onFactoryPr(action, SHA);
      expect(routeReviewEvent(payload)).toEqual({
        kind: "review",
        repositoryId: (payload.repository as { id: number }).id,
        headSha: SHA,
        branch: "afu9/issue-7",
        pullNumber: (payload.pull_request as { number: number }).number,
      });
    },
  );

  test("an edited review cannot change the gate: ignored", () => {
    expect(routeReviewEvent({ ...onFactoryPr("submitted", SHA), action: "edited" })).toEqual({
      kind: "review-ignored",
      reason: expect.stringMatching(/pull_request_review.edited cannot change the review gate/),
    });
  });

  test("a review on a person's branch, without installation, or with a bad head: ignored", () => {
    expect(routeReviewEvent(example("dismissed"))).toMatchObject({
      kind: "review-ignored",
      reason: "pull request head changes is not a factory branch",
    });
    const noInstallation = onFactoryPr("submitted", SHA);
    delete noInstallation.installation;
    expect(routeReviewEvent(noInstallation)).toMatchObject({
      reason: expect.stringMatching(/no installation/),
    });
    expect(routeReviewEvent(onFactoryPr("submitted", "not-a-sha"))).toMatchObject({
      reason: "the pull request's head SHA is not a commit SHA",
    });
  });
});

describe("the webhook wakes the run waiting on the reviewed head", () => {
  const quiet = () => undefined;
  let w: CiWakeWebhook;

  beforeAll(async () => {
    w = await startCiWakeWebhook({ debug: quiet, info: quiet, warn: quiet, error: quiet });
  });

  afterAll(async () => {
    await w?.close();
  });

  async function deliver(processor: WebhookProcessor, payload: Payload) {
    const response = await processor(
      await deliveryEvent({ event: "pull_request_review", body: JSON.stringify(payload) }),
    );
    return { status: response.statusCode, body: JSON.parse(response.body) };
  }

  test("submitted resumes the token with source pull_request_review; a second review finds it spent", async () => {
    const sha = "b".repeat(40);
    const payload = onFactoryPr("submitted", sha);
    const token = w.sfn.taskTokens.issue("issue-7-run");
    const resumed = w.sfn.taskTokens.wait(token);
    await w.registerWait((payload.repository as { id: number }).id, sha, token);

    expect(await deliver(w.handle, payload)).toEqual({
      status: 202,
      body: { outcome: "ci-resumed", issue: "acme/widgets#7" },
    });
    await expect(resumed).resolves.toMatchObject({ source: "pull_request_review", headSha: sha });
    expect(await deliver(w.handle, onFactoryPr("dismissed", sha))).toMatchObject({
      status: 202,
      body: { outcome: "ci-stale" },
    });
  });

  test("no run waits on the head: 202 ignored; in poll mode review events are not looked up", async () => {
    const nobody = onFactoryPr("submitted", "e".repeat(40));
    expect(await deliver(w.handle, nobody)).toMatchObject({
      status: 202,
      body: { outcome: "ignored", reason: expect.stringMatching(/^no run waits for CI on e{12}/) },
    });
    expect(await deliver(w.pollMode, nobody)).toMatchObject({
      status: 202,
      body: { outcome: "ignored", reason: expect.stringMatching(/waits for CI by polling/) },
    });
  });
});
