// The download side of the tarball route: `/_codeload/<token>` answers the commit's tree as a
// gzipped tar built from the simulator's git objects, laid out like GitHub's archives (one top
// folder `owner-repo-<sha7>/`, executable modes kept, symlinks as symlinks, submodules as empty
// folders). The token is the authorization, as on codeload.github.com.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import type { SimContext } from "../context";
import { commitTree, getObject } from "../state/git-objects";

export const CODELOAD_PREFIX = "/_codeload/";

export async function serveCodeload(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  const token = (req.url ?? "").slice(CODELOAD_PREFIX.length).split("?")[0];
  const archive = ctx.store.archives.get(token);
  if (!archive || archive.expiresAt <= ctx.now().getTime()) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Not Found");
    return 404;
  }
  const repo = ctx.store.repos.get(archive.repoKey);
  if (!repo) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Not Found");
    return 404;
  }
  const top = `${repo.owner}-${repo.name}-${archive.commitSha.slice(0, 7)}`;
  const tar = pack();
  res.writeHead(200, {
    "content-type": "application/x-gzip",
    "content-disposition": `attachment; filename=${top}.tar.gz`,
  });
  tar.pipe(createGzip()).pipe(res);
  const entries = [...commitTree(repo, archive.commitSha)].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [path, entry] of entries) {
    const name = `${top}/${path}`;
    if (entry.mode === "160000") {
      tar.entry({ name, type: "directory", mode: 0o755 });
      continue;
    }
    const blob = getObject(repo, entry.sha, "blob");
    if (!blob) continue;
    if (entry.mode === "120000") {
      tar.entry({ name, type: "symlink", linkname: blob.content.toString("utf8") });
      continue;
    }
    await new Promise<void>((done, fail) =>
      tar.entry(
        { name, type: "file", mode: entry.mode === "100755" ? 0o755 : 0o644 },
        blob.content,
        (error) => (error ? fail(error) : done()),
      ),
    );
  }
  tar.finalize();
  await new Promise<void>((done) => res.on("finish", done));
  return 200;
}
