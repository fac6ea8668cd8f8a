// The execution name is the idempotency key: one delivery id, one name, so a redelivery can never
// start a second run (Step Functions keeps a STANDARD execution's name reserved for 90 days).
// Limit: GitHub signs the body only, not X-GitHub-Delivery, so a captured signed body replayed
// under a new delivery id gets a new name. The workflow's own idempotency (one PR per issue, the
// interpreter's trust checks) bounds what such a replay can do.
import { createHash } from "node:crypto";

/** Step Functions: 1-80 characters; ASCII letters, digits, '-' and '_' also keep logging intact. */
export const EXECUTION_NAME_MAX = 80;

/**
 * A delivery id used verbatim (GitHub's are GUIDs: 36 characters of hex and '-'). At most 54, so
 * the follow-up run's name (this name + "-f", see workflow/run-lock-states.ts) fits in 80 too.
 */
const SAFE_DELIVERY_ID = /^[A-Za-z0-9_-]{1,54}$/;

/**
 * `issue-<number>-<delivery id>`: readable in the console, unique per delivery. A delivery id
 * outside the safe alphabet or too long is replaced by a SHA-256 prefix (marked `h`) instead of
 * being stripped, because stripping could map two different ids to one name.
 */
export function executionName(deliveryId: string, issueNumber: number): string {
  const key = SAFE_DELIVERY_ID.test(deliveryId)
    ? deliveryId
    : `h${createHash("sha256").update(deliveryId, "utf8").digest("hex").slice(0, 40)}`;
  // At most 6 + 16 (a safe integer) + 1 + 54 = 77 characters: never truncated, so never merged.
  return `issue-${issueNumber}-${key}`;
}

/** The ARN an execution of `name` has (for answering a duplicate, whose ARN AWS does not return). */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}
