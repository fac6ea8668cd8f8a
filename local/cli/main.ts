// `npx afu9 <command>`: offline tools over the same handler modules the Lambdas run. The
// conventions every subcommand shares (help, usage errors, exit codes) are in conventions.ts.
import { COMMANDS } from "./commands";
import { EXIT, EXIT_CODES_HELP, PROCESS_IO, type CliIo, wantsHelp } from "./conventions";

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary.split("\n")[0]}`);
  return `usage:\n${lines.join("\n")}\n\n\`afu9 <command> --help\` for one command.\n\n${EXIT_CODES_HELP}\n`;
}

export async function runCli(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    // No command is a usage mistake: the help says what there is.
    io.stdout(generalHelp());
    return EXIT.usage;
  }
  if (wantsHelp([name])) {
    io.stdout(generalHelp());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`afu9: unknown command "${name}"\n\n${generalHelp()}`);
    return EXIT.usage;
  }
  return command.run(args, io);
}
