// What a run acts on, hashed: two deliveries with the same fingerprint start runs that would do
// the same thing (issues.opened and issues.labeled of an issue created with the label). The run
// lock uses it: a delivery that arrives during a run with that run's fingerprint needs no
// follow-up run. Labels are sorted (their order carries no meaning); the action is left out.
import { createHash } from "node:crypto";
import type { ExecutionInput } from "../../contract/state";

export function runFingerprint(input: ExecutionInput): string {
  const subject = {
    text: input.issue.textSha256,
    labels: [...input.issue.labels].sort(),
    sender: input.sender.login,
    comment: input.comment ? { id: input.comment.id, user: input.comment.user } : null,
  };
  return createHash("sha256").update(JSON.stringify(subject), "utf8").digest("hex");
}

/**
 * A command run's fingerprint: the command itself (where it was written, what it says), so two
 * commands never share one and a command never passes for the issue run it arrives during.
 */
export function commandFingerprint(input: ExecutionInput): string {
  const command = input.command;
  if (!command) throw new Error("commandFingerprint: the input carries no command");
  const subject = { command: command.source, name: command.name, args: command.args };
  return createHash("sha256").update(JSON.stringify(subject), "utf8").digest("hex");
}
