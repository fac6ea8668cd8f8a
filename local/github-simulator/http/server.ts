// node:http server on 127.0.0.1: reads the body, dispatches, writes JSON with GitHub's headers.
import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { CODELOAD_PREFIX, serveCodeload } from "./codeload";
import { dispatch, type DispatchDeps } from "./dispatch";

export interface RecordedRequest {
  method: string;
  route: string;
  path: string;
  status: number;
  /** Epoch ms at which the request had arrived in full. */
  receivedAt?: number;
}

const MAX_BODY = 50 * 1024 * 1024;

export function createSimServer(deps: () => DispatchDeps, requests: RecordedRequest[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      const receivedAt = Date.now();
      const respond = async () => {
        if (size > MAX_BODY) {
          res.writeHead(413, { "content-type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ message: "Request body too large" }));
          return;
        }
        if ((req.url ?? "").startsWith(CODELOAD_PREFIX)) {
          const status = await serveCodeload(deps().ctx, req, res);
          requests.push({ method: "GET", route: "GET /_codeload", path: req.url!, status });
          return;
        }
        const outcome = await dispatch(deps(), req, Buffer.concat(chunks).toString("utf8"));
        requests.push({
          method: (req.method ?? "GET").toUpperCase(),
          route: outcome.route,
          path: req.url ?? "/",
          status: outcome.status,
          receivedAt,
        });
        const headers: Record<string, string> = {
          "x-github-request-id": randomUUID(),
          "x-github-media-type": "github.v3; format=json",
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "4999",
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
          "x-ratelimit-resource": "core",
          ...outcome.headers,
        };
        if (outcome.raw) {
          res.writeHead(outcome.status, { ...headers, "content-type": outcome.raw.contentType });
          res.end(outcome.raw.text);
        } else if (outcome.body === undefined || outcome.status === 204) {
          res.writeHead(outcome.status, headers);
          res.end();
        } else {
          res.writeHead(outcome.status, {
            ...headers,
            "content-type": "application/json; charset=utf-8",
          });
          res.end(JSON.stringify(outcome.body));
        }
      };
      respond().catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: `simulator error: ${String(error)}` }));
      });
    });
  });
}
