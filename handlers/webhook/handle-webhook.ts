// The webhook ingress: check, verify, route, start, answer. Fail closed (nothing is parsed or
// started before the signature verifies) and fast (GitHub gives up after 10 s). Every answer to a
// client's mistake is a 4xx; only our own trouble is a 5xx (503 when a redelivery may succeed).
import { DELIVERIES_METRIC } from "../../contract/conventions";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { MetricsSink } from "../runtime/logger";
import type { SecretStore } from "../runtime/secret-store";
import type { SecretBundle } from "../../contract/environment";
import type { Clock, Logger } from "../shared/types";
import type { FactorySettings } from "../../contract/state";
import {
  type Answer,
  answerInputTooLarge,
  answerRouteDecision,
  answerStartResult,
  refusal,
} from "./answers";
import { executionName } from "./execution-name";
import {
  checkContentType,
  lowerCaseHeaders,
  readBody,
  readDeliveryHeaders,
  type WebhookRequestEvent,
} from "./request";
import { answerCiEvent, type CiWaitAccess } from "./answer-ci-event";
import { answerPullRequestCommand, type CommandAccess } from "./answer-pr-command";
import { answerReviewEvent } from "./answer-review-event";
import { MAX_EXECUTION_INPUT_BYTES, routeDelivery } from "./route";
import { startExecution } from "./start-execution";
import {
  createSignatureVerifier,
  isSignatureFormat,
  type SignatureVerifier,
} from "./verify-signature";
import { isFactoryError } from "../../contract/errors";

export interface WebhookDeps {
  stateMachineArn: string;
  settings: FactorySettings;
  maxBodyBytes: number;
  issueActions: string[];
  secrets: SecretStore;
  sfn: SFNClient;
  /** Run table access for CI events (events mode); absent: CI events are ignored. */
  ciWait?: CiWaitAccess;
  /** GitHub App access for `/afu9` commands on PRs; absent: comments on PRs are ignored. */
  commands?: CommandAccess;
  clock: Pick<Clock, "now">;
  logger: Logger;
  metrics: MetricsSink;
}

export type WebhookResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  body: string;
};

export type WebhookProcessor = (event: WebhookRequestEvent) => Promise<WebhookResponse>;

/** Header-derived values are attacker-controlled until verified: bound what reaches the logs. */
function clip(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, 100);
}

function sameWebhookSecrets(a: SecretBundle, b: SecretBundle): boolean {
  return (
    a.githubWebhookSecret === b.githubWebhookSecret &&
    a.githubWebhookSecretPrevious === b.githubWebhookSecretPrevious
  );
}

function repositoryName(payload: unknown): string | undefined {
  const repo = (payload as { repository?: { full_name?: unknown } } | null)?.repository;
  return typeof repo?.full_name === "string" ? repo.full_name : undefined;
}

/** What a UTF-8 decoder puts in place of bytes that are not UTF-8. */
const REPLACEMENT_CHARACTER = "\uFFFD";

/** Builds the per-invocation processor; deps (clients, secret cache) live as long as the container. */
export function createWebhookProcessor(deps: WebhookDeps): WebhookProcessor {
  let verifierCache: { bundle: SecretBundle; verify: SignatureVerifier } | undefined;
  const verifierFor = (bundle: SecretBundle): SignatureVerifier => {
    if (verifierCache?.bundle !== bundle) {
      verifierCache = { bundle, verify: createSignatureVerifier(bundle) };
    }
    return verifierCache.verify;
  };

  /** Verifies with the cached secrets, then once with re-read ones (the secret may have rotated). */
  async function verify(body: string, signature: string): Promise<Answer | undefined> {
    const refuse = (message: string): Answer => refusal(401, "unauthorized", message);
    if (!signature) {
      return refuse(
        "missing X-Hub-Signature-256: set the webhook secret in the GitHub App settings",
      );
    }
    let bundle: SecretBundle;
    try {
      bundle = await deps.secrets.get();
    } catch (error) {
      return refusal(
        isFactoryError(error, "SecretUnreadable") ? 503 : 500,
        "secret-unavailable",
        "webhook secret is unavailable",
        // errorMessage starts "cannot read secret" / "secret arn:": Observability's metric filter.
        { errorMessage: (error as Error).message, errorName: (error as Error).name },
      );
    }
    if (await verifierFor(bundle)(body, signature)) return undefined;
    if (!isSignatureFormat(signature)) {
      return refuse('X-Hub-Signature-256 is not of the form "sha256=<64 hex digits>"');
    }
    try {
      const fresh = await deps.secrets.refresh();
      if (!sameWebhookSecrets(fresh, bundle) && (await verifierFor(fresh)(body, signature))) {
        return undefined;
      }
    } catch (error) {
      // The delivery still did not verify with what we have: refuse it, and say why in the log.
      deps.logger.warn("secret refresh after a failed verification failed", {
        errorMessage: (error as Error).message,
      });
    }
    if (body.includes(REPLACEMENT_CHARACTER)) {
      // A text body's invalid UTF-8 bytes were replaced before the handler saw it, so no secret
      // can verify it: the body is what is wrong (a base64 body gets the same answer earlier).
      return refusal(
        400,
        "bad-request",
        "body is not valid UTF-8 JSON (invalid bytes were replaced, so the signature cannot match)",
      );
    }
    return refuse(
      "signature does not match: X-Hub-Signature-256 must be signed with the webhook secret",
    );
  }

  /** Gathers the facts in order (request, signature, payload, route, start); answers.ts decides. */
  async function answer(
    event: WebhookRequestEvent,
    context: Record<string, unknown>,
  ): Promise<Answer> {
    const headers = lowerCaseHeaders(event.headers);
    context.event = clip(headers["x-github-event"]);
    context.deliveryId = clip(headers["x-github-delivery"]);

    const delivery = readDeliveryHeaders(headers);
    if (!delivery.ok) return refusal(delivery.status, delivery.outcome, delivery.message);
    const contentType = checkContentType(headers);
    if (!contentType.ok)
      return refusal(contentType.status, contentType.outcome, contentType.message);
    const body = readBody(event, deps.maxBodyBytes);
    if (!body.ok) return refusal(body.status, body.outcome, body.message);

    const refused = await verify(body.value, delivery.value.signature);
    if (refused) return refused;

    let payload: unknown;
    try {
      payload = JSON.parse(body.value);
    } catch {
      return refusal(400, "bad-request", "body is not valid JSON");
    }
    context.repository = repositoryName(payload);

    const { event: eventName, deliveryId } = delivery.value;
    const ciAnswer = await answerCiEvent(eventName, deliveryId, payload, deps);
    if (ciAnswer) return ciAnswer;
    // A review whose body is a `/afu9` command is the command (its wake subsumes the review's);
    // any other review only wakes the review gate.
    const commandAnswer = await answerPullRequestCommand(eventName, deliveryId, payload, deps);
    if (commandAnswer) {
      context.action = (payload as { action?: unknown }).action;
      return commandAnswer;
    }
    const reviewAnswer = await answerReviewEvent(eventName, deliveryId, payload, deps);
    if (reviewAnswer) return reviewAnswer;
    const decision = routeDelivery(eventName, deliveryId, payload, {
      issueActions: deps.issueActions,
      settings: deps.settings,
      receivedAtMs: deps.clock.now(),
    });
    if (decision.kind !== "ping") context.action = decision.action;
    if (decision.kind !== "start") return answerRouteDecision(decision);

    const input = JSON.stringify(decision.input);
    const inputBytes = Buffer.byteLength(input, "utf8");
    if (inputBytes > MAX_EXECUTION_INPUT_BYTES) {
      return answerInputTooLarge(inputBytes, MAX_EXECUTION_INPUT_BYTES);
    }
    const name = executionName(deliveryId, decision.input.issue.number);
    context.executionName = name;
    const result = await startExecution(
      deps.sfn,
      { stateMachineArn: deps.stateMachineArn, name, input },
      deps.clock,
    );
    return answerStartResult(result, name);
  }

  return async (event) => {
    const startedAt = deps.clock.now();
    const context: Record<string, unknown> = {};
    let result: Answer;
    try {
      result = await answer(event ?? {}, context);
    } catch (error) {
      // Not expected: every known failure is answered above. Still never let it escape.
      result = refusal(500, "internal-error", "internal error; see the function's logs", {
        errorMessage: error instanceof Error ? error.message : String(error),
      });
    }
    const fields = {
      ...context,
      outcome: result.outcome,
      status: result.status,
      latencyMs: deps.clock.now() - startedAt,
      ...result.log,
    };
    try {
      if (result.status >= 500) deps.logger.error("delivery failed", fields);
      else if (result.status >= 400) deps.logger.warn("delivery refused", fields);
      else deps.logger.info("delivery handled", fields);
      deps.metrics.count(DELIVERIES_METRIC, { outcome: result.outcome });
    } catch {
      // A broken log sink must not turn an answered delivery into an error.
    }
    return {
      statusCode: result.status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(result.body),
    };
  };
}
