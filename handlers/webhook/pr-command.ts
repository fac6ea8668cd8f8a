// Which verified deliveries carry a `/afu9` command on a pull request: an issue comment on a PR
// (`issue_comment.created` with `issue.pull_request`), a review comment
// (`pull_request_review_comment.created`) or a review body (`pull_request_review.submitted`).
// Pure, from the payload alone; whether the PR is a factory PR and whether the author may command
// it are asked of GitHub afterwards (answer-pr-command.ts). A review without a command is not
// this module's: it only wakes the review gate (review-event.ts).
import type { PullRequestCommand } from "../../contract/state";
import { parseCommandText } from "../shared/pr-commands";
import { fieldAt, isObject, type Json } from "./payload-fields";

export const COMMAND_EVENTS = ["pull_request_review", "pull_request_review_comment"] as const;

export interface CommandCandidate {
  kind: "command";
  installationId: number;
  repository: { id: number; owner: string; name: string; defaultBranch: string };
  sender: { login: string; id: number };
  /** The PR's head branch when the payload names it (review events); issue comments do not. */
  headRef?: string;
  command: PullRequestCommand;
}

export type CommandRouteDecision =
  | CommandCandidate
  | { kind: "ignored"; action: string | undefined; reason: string }
  | { kind: "invalid"; action: string | undefined; message: string };

function id(payload: Json, path: string): number | undefined {
  const value = fieldAt(payload, path);
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function text(payload: Json, path: string): string | undefined {
  const value = fieldAt(payload, path);
  return typeof value === "string" ? value : undefined;
}

/** Where the command text is, per event: [action, pull number path, source kind, text path, id path]. */
const SOURCES = {
  issue_comment: ["created", "issue.number", "issue_comment", "comment.body", "comment.id"],
  pull_request_review_comment: [
    "created",
    "pull_request.number",
    "review_comment",
    "comment.body",
    "comment.id",
  ],
  pull_request_review: ["submitted", "pull_request.number", "review", "review.body", "review.id"],
} as const;

/**
 * undefined: not a delivery about a pull request (an issue comment on an issue goes on to the
 * issue routing). Otherwise the command found, or why it is ignored.
 */
export function routeCommandDelivery(
  event: string,
  payload: unknown,
): CommandRouteDecision | undefined {
  if (!isObject(payload)) return undefined;
  if (event === "issue_comment" && !isObject(fieldAt(payload, "issue.pull_request")))
    return undefined;
  if (event !== "issue_comment" && !(COMMAND_EVENTS as readonly string[]).includes(event)) {
    return undefined;
  }
  const [handled, numberPath, kind, textPath, idPath] = SOURCES[event as keyof typeof SOURCES];
  const action = typeof payload.action === "string" ? payload.action : undefined;
  // A review that is no command goes on to the review gate (review-event.ts).
  if (
    event === "pull_request_review" &&
    (action !== handled || !parseCommandText(text(payload, textPath)))
  ) {
    return undefined;
  }
  const ignored = (reason: string): CommandRouteDecision => ({ kind: "ignored", action, reason });
  if (action !== handled) {
    return ignored(
      `action "${action ?? "(none)"}" of "${event}" is not handled (handled: ${handled})`,
    );
  }
  if (!isObject(payload.installation)) {
    return ignored("delivery has no installation: AFU-9 acts only on deliveries of its GitHub App");
  }
  if (fieldAt(payload, "sender.type") === "Bot") {
    return ignored(`sender ${String(fieldAt(payload, "sender.login"))} is a bot`);
  }
  const parsed = parseCommandText(text(payload, textPath));
  if (!parsed) {
    return ignored(
      event === "issue_comment"
        ? "comment is on a pull request and starts with no /afu9 command"
        : "the text on the pull request starts with no /afu9 command",
    );
  }
  const installationId = id(payload, "installation.id");
  const repositoryId = id(payload, "repository.id");
  const pullNumber = id(payload, numberPath);
  const sourceId = id(payload, idPath);
  const login = text(payload, "sender.login");
  const senderId = id(payload, "sender.id");
  const owner = text(payload, "repository.owner.login");
  const name = text(payload, "repository.name");
  const defaultBranch = text(payload, "repository.default_branch");
  if (
    installationId === undefined ||
    repositoryId === undefined ||
    pullNumber === undefined ||
    sourceId === undefined ||
    !login ||
    senderId === undefined ||
    !owner ||
    !name ||
    !defaultBranch
  ) {
    return {
      kind: "invalid",
      action,
      message: `${event}.${action} delivery: a field a command needs is missing or mistyped`,
    };
  }
  const headRef = text(payload, "pull_request.head.ref");
  return {
    kind: "command",
    installationId,
    repository: { id: repositoryId, owner, name, defaultBranch },
    sender: { login, id: senderId },
    ...(headRef !== undefined ? { headRef } : {}),
    command: {
      ...parsed,
      by: login,
      pullNumber,
      source: { kind, id: sourceId },
    },
  };
}
