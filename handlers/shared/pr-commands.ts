// The `/afu9` commands on a factory PR: how a text is read as a command, and the words of the
// replies. Shared by the webhook (it recognises and authorizes commands, answers `help`) and the
// task functions (they act on the command and reply).
import { COMMAND_PREFIX } from "../../contract/conventions";
import type { PullRequestCommand, PullRequestCommandName } from "../../contract/state";

/** What follows the command word travels in the execution input: bounded, the task re-reads. */
export const MAX_COMMAND_ARGS_CHARS = 2000;

export const COMMAND_NAMES: readonly PullRequestCommandName[] = [
  "revise",
  "retry",
  "merge",
  "stop",
  "help",
];

export interface ParsedCommand {
  name: PullRequestCommandName;
  /** The word as written when it is not a known command (answered with the help text). */
  word?: string;
  args: string;
}

/**
 * The command at the very start of `text` (leading blank lines and spaces aside), or undefined.
 * `/afu9` must stand alone (`/afu9x` is not a command); the word is case-insensitive; an unknown
 * word or none at all is `help`.
 */
export function parseCommandText(text: string | null | undefined): ParsedCommand | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.replace(/^\s+/, "");
  if (!trimmed.toLowerCase().startsWith(COMMAND_PREFIX)) return undefined;
  const rest = trimmed.slice(COMMAND_PREFIX.length);
  if (rest !== "" && !/^\s/.test(rest)) return undefined;
  const match = /^[ \t]*(\S*)([\s\S]*)$/.exec(rest)!;
  const word = match[1].toLowerCase();
  const args = match[2].trim().slice(0, MAX_COMMAND_ARGS_CHARS);
  if ((COMMAND_NAMES as readonly string[]).includes(word)) {
    return { name: word as PullRequestCommandName, args };
  }
  return {
    name: "help",
    ...(word && word !== "help" ? { word: match[1].slice(0, 40) } : {}),
    args,
  };
}

export const COMMAND_HELP = [
  "AFU-9 commands on this pull request (from people with write access; start a comment, a review",
  "comment or a review with them):",
  "",
  "- `/afu9 revise <what to change>`: one new commit on this branch, from the comment's ```diff or",
  "  SEARCH/REPLACE blocks as written, or (when AI is on for this factory) from the instructions;",
  "  then CI is waited for and the PR merged per `.github/afu9.yml`.",
  "- `/afu9 retry`: evaluate CI again now (after a flaky check was re-run) and merge if green.",
  "- `/afu9 merge`: merge once CI is green, even where automerge is off.",
  "- `/afu9 stop`: end the active run; the PR stays open with the `afu9:stopped` label.",
  "- `/afu9 help`: this list.",
].join("\n");

/** The first line of every reply: which command by whom it answers. */
export function commandReply(command: PullRequestCommand, text: string): string {
  const written = command.word ?? command.name;
  return `> \`/afu9 ${written}\` from @${command.by}\n\n${text}`;
}

export function helpReply(command: PullRequestCommand): string {
  const intro = command.word ? `\`${command.word}\` is not an AFU-9 command.\n\n` : "";
  return commandReply(command, intro + COMMAND_HELP);
}
