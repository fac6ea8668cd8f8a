// `npx afu9 <command>`: offline tools over the same handler modules the Lambdas run.
const USAGE = `usage:
  afu9 interpret FILE                                analyse one issue (GitHub REST issue JSON), print JSON
  afu9 patch --repo DIR --issue FILE [--dry-run]     run patch strategies + validation on a checkout
  afu9 localize --repo DIR --issue FILE [--top N] [--json]
                                                     rank the files of a checkout an issue is about`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case "interpret":
      return (require("./interpret") as typeof import("./interpret")).runInterpret(argv.slice(1));
    case "patch":
      return (require("./patch") as typeof import("./patch")).runPatch(argv.slice(1));
    case "localize":
      return (require("./localize") as typeof import("./localize")).runLocalize(argv.slice(1));
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === "--help" ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`afu9: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
