// What every `afu9` subcommand does the same way: `--help` prints its help on stdout (exit 0), a
// usage mistake prints the mistake and the usage on stderr (exit 2), and the exit codes below mean
// the same thing for every subcommand. A subcommand registers itself in commands.ts.
import { existsSync, lstatSync } from "node:fs";
import { resolve } from "node:path";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** The exit codes of every subcommand. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The input was read and refused: not an issue, a patch that does not apply or breaks a rule. */
  refused: 1,
  /** A usage mistake: unknown or missing argument, a file or directory that cannot be read. */
  usage: 2,
  /** afu9 patch: no patch strategy applies (the patch plan is printed instead). */
  noStrategy: 3,
} as const;

export const EXIT_CODES_HELP = `exit codes (every subcommand):
  0  done
  1  the input was refused (not an issue; a patch that does not apply or breaks a rule)
  2  usage: unknown or missing argument, a file or directory that cannot be read
  3  afu9 patch only: no patch strategy applies (the patch plan is printed)`;

export interface CliCommand {
  name: string;
  /** One line: `afu9 <name> ARGS`. */
  usage: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function wantsHelp(args: string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}

/** `afu9 <command> --help`: usage, summary and the exit codes on stdout. */
export function printCommandHelp(command: CliCommand, io: CliIo): number {
  io.stdout(`usage: ${command.usage}\n\n${command.summary}\n\n${EXIT_CODES_HELP}\n`);
  return EXIT.ok;
}

/** A usage mistake: what was wrong and the usage line on stderr, exit 2. */
export function usageError(command: CliCommand, message: string, io: CliIo): number {
  io.stderr(`afu9 ${command.name}: ${message}\nusage: ${command.usage}\n`);
  return EXIT.usage;
}

/**
 * The opening of a `--repo DIR --issue FILE` command: help on request, the command's own argument
 * parser, then the checkout and issue file checks. The parsed arguments, or the exit code when the
 * command ends there.
 */
export function openRepoIssueCommand<A extends { repo: string; issue: string }>(
  command: CliCommand,
  argv: string[],
  io: CliIo,
  parse: (argv: string[]) => A | string,
): A | { exit: number } {
  if (wantsHelp(argv)) return { exit: printCommandHelp(command, io) };
  const args = parse(argv);
  if (typeof args === "string") return { exit: usageError(command, args, io) };
  const refused = checkRepoAndIssue(command, args, io);
  return refused === undefined ? args : { exit: refused };
}

/**
 * The usage mistakes of a `--repo DIR --issue FILE` command: the checkout is not a directory or
 * the issue file is missing. Exit 2 with the message, or undefined when both are there.
 */
export function checkRepoAndIssue(
  command: CliCommand,
  args: { repo: string; issue: string },
  io: CliIo,
): number | undefined {
  const root = resolve(args.repo);
  if (!existsSync(root) || !lstatSync(root).isDirectory()) {
    return usageError(command, `--repo ${args.repo} is not a directory`, io);
  }
  if (!existsSync(args.issue)) {
    return usageError(command, `cannot read ${args.issue}: no such file`, io);
  }
  return undefined;
}
