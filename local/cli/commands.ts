// The `afu9` subcommands, in the order the help lists them. Each module is loaded only when its
// command runs (the patch command pulls in the patch generator, interpret the interpreter).
import type { CliCommand, CliIo } from "./conventions";

export const COMMANDS: CliCommand[] = [
  {
    name: "interpret",
    usage: "afu9 interpret FILE",
    summary: "Analyse one issue (GitHub REST issue JSON or a webhook payload) offline; print JSON.",
    run: (args: string[], io: CliIo) =>
      (require("./interpret") as typeof import("./interpret")).runInterpret(args, io),
  },
  {
    name: "patch",
    usage: "afu9 patch --repo DIR --issue FILE [--dry-run]",
    summary:
      "Run the patch strategies and ValidatePatch's rules on a local checkout; print the diff.\n" +
      "Without --dry-run a valid patch is written into DIR.",
    run: (args: string[], io: CliIo) =>
      (require("./patch") as typeof import("./patch")).runPatch(args, io),
  },
  {
    name: "localize",
    usage: "afu9 localize --repo DIR --issue FILE [--top N] [--json]",
    summary:
      "Rank the files of a local checkout the issue is most likely about (FILE: GitHub REST\n" +
      "issue JSON, or text whose first line is the title).",
    run: (args: string[], io: CliIo) =>
      (require("./localize") as typeof import("./localize")).runLocalize(args, io),
  },
];

/** The command of that name (the modules call this for their own help and usage lines). */
export function commandNamed(name: string): CliCommand {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new Error(`afu9: no command named "${name}"`);
  return command;
}
