// Which verified deliveries start a factory run, and the execution input built from them: exactly
// the ExecutionInput fields, nothing else of the payload (state stays small: Step Functions caps it at 256 KiB).
import type { ExecutionInput, FactorySettings } from "../../contract/state";
import { issueTextSha256 } from "../shared/issue-text";
import { commentIgnoreReason } from "./comment-filter";
import { runFingerprint } from "./run-fingerprint";
import { fieldAt, isObject, type Json } from "./payload-fields";

export interface RouteOptions {
  issueActions: string[];
  settings: FactorySettings;
  /** When the webhook accepted the delivery (epoch ms); the run lock's clock. */
  receivedAtMs?: number;
}

export type RouteDecision =
  | { kind: "ping" }
  | { kind: "ignored"; action: string | undefined; reason: string }
  | { kind: "start"; action: string; input: ExecutionInput }
  | { kind: "invalid"; action: string | undefined; message: string };

/** Step Functions refuses execution input above 256 KiB (UTF-8 bytes). */
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

/** Reads payload fields by path and remembers the first one that is missing or mistyped. */
function fieldReader(payload: Json) {
  let problem: string | undefined;
  const at = (path: string): unknown => fieldAt(payload, path);
  const fail = <T>(path: string, expected: string, fallback: T): T => {
    problem ??= `payload field ${path} is not ${expected}`;
    return fallback;
  };
  return {
    problem: () => problem,
    string(path: string): string {
      const value = at(path);
      return typeof value === "string" ? value : fail(path, "a string", "");
    },
    /** GitHub sends null for an empty issue or comment body. */
    text(path: string): string {
      const value = at(path);
      if (value === null || value === undefined) return "";
      return typeof value === "string" ? value : fail(path, "a string or null", "");
    },
    id(path: string): number {
      const value = at(path);
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0
        ? value
        : fail(path, "a non-negative integer", 0);
    },
    labels(path: string): string[] {
      const value = at(path);
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value)) return fail(path, "an array", []);
      return value.map((label, index) =>
        isObject(label) && typeof label.name === "string"
          ? label.name
          : typeof label === "string"
            ? label
            : fail(`${path}.${index}.name`, "a string", ""),
      );
    },
  };
}

/** The reason a verified delivery of a routed event does not start a run, or undefined. */
function ignoreReason(event: string, payload: Json): string | undefined {
  if (!isObject(payload.installation)) {
    return "delivery has no installation: AFU-9 acts only on deliveries of its GitHub App";
  }
  // The App's own labels and comments must not start runs (they would start runs forever).
  if (isObject(payload.sender) && payload.sender.type === "Bot") {
    return `sender ${String(payload.sender.login)} is a bot`;
  }
  if (
    event === "issue_comment" &&
    isObject(payload.issue) &&
    isObject(payload.issue.pull_request)
  ) {
    return "comment is on a pull request, not an issue";
  }
  if (event === "issue_comment") return commentIgnoreReason(payload.comment);
  return undefined;
}

/** Decides what a verified, parsed delivery leads to. Pure: the tests drive it directly too. */
export function routeDelivery(
  event: string,
  deliveryId: string,
  payload: unknown,
  options: RouteOptions,
): RouteDecision {
  if (event === "ping") return { kind: "ping" };
  if (!isObject(payload)) {
    return { kind: "invalid", action: undefined, message: "payload is not a JSON object" };
  }
  const action = typeof payload.action === "string" ? payload.action : undefined;
  if (event !== "issues" && event !== "issue_comment") {
    return { kind: "ignored", action, reason: `event "${event}" is not handled` };
  }
  const handled = event === "issues" ? options.issueActions : ["created"];
  if (action === undefined || !handled.includes(action)) {
    return {
      kind: "ignored",
      action,
      reason: `action "${action ?? "(none)"}" of "${event}" is not handled (handled: ${handled.join(", ")})`,
    };
  }
  const reason = ignoreReason(event, payload);
  if (reason) return { kind: "ignored", action, reason };

  const read = fieldReader(payload);
  const input: ExecutionInput = {
    delivery: { id: deliveryId, event, action },
    installationId: read.id("installation.id"),
    repository: {
      id: read.id("repository.id"),
      owner: read.string("repository.owner.login"),
      name: read.string("repository.name"),
      defaultBranch: read.string("repository.default_branch"),
    },
    issue: {
      number: read.id("issue.number"),
      title: read.string("issue.title"),
      textSha256: issueTextSha256(read.string("issue.title"), read.text("issue.body")),
      user: read.string("issue.user.login"),
      authorAssociation: read.string("issue.author_association"),
      labels: read.labels("issue.labels"),
    },
    sender: { login: read.string("sender.login"), id: read.id("sender.id") },
    settings: options.settings,
  };
  const label = (payload.label as { name?: unknown } | undefined)?.name;
  if (event === "issues" && typeof label === "string") {
    // The interpreter only trusts a label-triggered run when it knows which label was applied.
    // GitHub's schema makes `label` optional; without it the label trigger simply does not hold.
    input.delivery.label = label;
  }
  if (event === "issue_comment") {
    input.comment = {
      id: read.id("comment.id"),
      user: read.string("comment.user.login"),
      authorAssociation: read.string("comment.author_association"),
    };
  }
  const problem = read.problem();
  if (problem) {
    return { kind: "invalid", action, message: `${event}.${action} delivery: ${problem}` };
  }
  input.delivery.receivedAt = Math.floor((options.receivedAtMs ?? Date.now()) / 1000);
  input.delivery.fingerprint = runFingerprint(input);
  return { kind: "start", action, input };
}
