// `npm run size`: zipped and unzipped bytes of each function's deployment archive, built exactly
// as `pulumi up` would build it (the program under Pulumi mocks, dev stack), unpacked and measured.
// `npm run size -- --json` prints the same figures as JSON.
//
// Runs itself under ts-node: tsx turns required ESM packages (@octokit/webhooks) into CommonJS
// and then fails on their ESM-only dependencies (@octokit/webhooks-methods), while ts-node leaves
// node_modules to Node 24, which requires ESM natively (as Lambda's nodejs24.x does).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const WORKER_FLAG = "AFU9_SIZE_WORKER";

interface SizeRow {
  function: string;
  files: number;
  unzippedBytes: number;
  zippedBytes: number;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(2)} MB`
    : `${(bytes / 1024).toFixed(1)} KB`;
}

async function measure(): Promise<SizeRow[]> {
  const { buildFunctionArchives, zipBytes } =
    await import("../tests/components/support/archive-files");
  const { root, archives } = await buildFunctionArchives("dev");
  try {
    return archives.map((archive) => {
      const { zipped, unzipped, files } = zipBytes(archive.dir);
      return { function: archive.name, files, unzippedBytes: unzipped, zippedBytes: zipped };
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function printTable(rows: SizeRow[], budgetBytes: number): void {
  const header = ["function", "files", "unzipped bytes", "zipped bytes", "unzipped", "zipped"];
  const lines = rows.map((row) => [
    row.function,
    String(row.files),
    String(row.unzippedBytes),
    String(row.zippedBytes),
    formatBytes(row.unzippedBytes),
    formatBytes(row.zippedBytes),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => line[i].length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ");
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log(
    "\nzipped = zip of the unpacked archive (deflate, zlib default level; headers included); stack: dev",
  );
  const over = rows.filter((row) => row.zippedBytes > budgetBytes).map((row) => row.function);
  console.log(
    `budget: every archive <= ${formatBytes(budgetBytes)} zipped: ` +
      (over.length === 0 ? "met" : `BROKEN by ${over.join(", ")}`),
  );
}

async function main(): Promise<void> {
  if (process.env[WORKER_FLAG] !== "1") {
    const child = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", __filename, ...process.argv.slice(2)],
      { stdio: "inherit", env: { ...process.env, [WORKER_FLAG]: "1" } },
    );
    process.exit(child.status ?? 1);
  }
  const rows = await measure();
  const { ARCHIVE_ZIPPED_BUDGET_BYTES } = await import("../tests/components/support/archive-files");
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows, null, 2));
  else printTable(rows, ARCHIVE_ZIPPED_BUDGET_BYTES);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
