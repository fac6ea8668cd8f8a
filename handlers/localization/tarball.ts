// A gzipped tarball (GitHub's `GET /repos/{owner}/{repo}/tarball/{ref}`) unpacked in memory as it
// streams in: gunzip (node:zlib) into tar-stream's parser, entry by entry, each kept file's bytes
// bounded by the limits. GitHub puts every entry under one top folder (`owner-repo-sha/`), which
// is stripped. Once a cap is reached the download is abandoned, not drained.
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { extract } from "tar-stream";
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from "./bounds";
import { createSnapshotBuilder, type RepoSnapshot } from "./snapshot";

export type TarballSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | Uint8Array;

function toNodeStream(source: TarballSource): Readable {
  if (source instanceof Uint8Array) return Readable.from([source]);
  if (typeof (source as ReadableStream).getReader === "function") {
    return Readable.fromWeb(source as import("node:stream/web").ReadableStream<Uint8Array>);
  }
  return Readable.from(source as AsyncIterable<Uint8Array>);
}

function stripTopFolder(name: string): string {
  const slash = name.indexOf("/");
  return slash === -1 ? "" : name.slice(slash + 1);
}

export async function readTarballSnapshot(
  source: TarballSource,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): Promise<RepoSnapshot> {
  const builder = createSnapshotBuilder(limits);
  const input = toNodeStream(source);
  const gunzip = createGunzip();
  const parser = extract();
  input.pipe(gunzip).pipe(parser);
  const fail = (error: Error) => parser.destroy(error);
  input.on("error", fail);
  gunzip.on("error", fail);
  try {
    for await (const entry of parser) {
      const header = entry.header;
      const path = stripTopFolder(header.name.replace(/^\.\//, ""));
      const wanted = header.type === "file" && path !== "" && builder.wants(path, header.size ?? 0);
      if (header.type === "symlink" && path !== "") builder.see(path);
      if (!wanted) {
        entry.resume();
        await new Promise<void>((done) => entry.on("end", done));
        if (builder.full) break;
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (!builder.add(path, Buffer.concat(chunks)) && builder.full) break;
    }
  } finally {
    input.unpipe();
    input.destroy();
    gunzip.destroy();
    parser.destroy();
  }
  return builder.finish();
}
