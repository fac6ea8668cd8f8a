// The factory's HTTP front door, standing in for API Gateway: `POST /webhook` becomes the HTTP API
// (payload format 2.0) event the webhook Lambda receives, and the handler's structured result
// becomes the HTTP answer. Listens on 127.0.0.1 only. A few JSON side routes (execution list,
// sandbox actions) and the dashboard's pages are registered by the caller.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { WebhookResponse } from "../../handlers/webhook/handle-webhook";

/** API Gateway HTTP APIs refuse request bodies above 10 MB before the function runs. */
export const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type JsonRoute = (
  body: unknown,
  url: URL,
) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

export interface FactoryServerOptions {
  /** 0 = any free port. */
  port: number;
  handleWebhook(event: APIGatewayProxyEventV2): Promise<WebhookResponse>;
  /** Extra routes keyed "METHOD /path" (JSON in, JSON out). */
  routes?: Record<string, JsonRoute>;
  /** Pages (the dashboard), asked before the JSON routes; false = not one of its paths. */
  pages?(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): boolean;
}

export interface FactoryServer {
  url: string;
  webhookUrl: string;
  close(): Promise<void>;
}

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
function isTextContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return (
    type.startsWith("text/") ||
    /^application\/([a-z0-9.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded)$/.test(type)
  );
}

/** Payload 2.0 headers: names lower-cased, repeated headers joined with commas. */
function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** The event an HTTP API with route `POST /webhook` and the $default stage hands the function. */
export function toApiGatewayEvent(
  request: { method: string; url: URL; headers: Record<string, string>; sourceIp: string },
  body: Buffer,
  now: Date = new Date(),
): APIGatewayProxyEventV2 {
  const text = isTextContentType(request.headers["content-type"]);
  const routeKey = `${request.method} ${request.url.pathname}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: request.url.pathname,
    rawQueryString: request.url.search.replace(/^\?/, ""),
    headers: request.headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "afu9local",
      domainName: request.headers.host ?? "127.0.0.1",
      domainPrefix: "afu9local",
      http: {
        method: request.method,
        path: request.url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: request.headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : text ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: body.length > 0 && !text,
  };
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export async function startFactoryServer(options: FactoryServerOptions): Promise<FactoryServer> {
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const method = request.method ?? "GET";
      const body = await readBody(request, API_GATEWAY_MAX_BODY_BYTES);
      if (body === "too-large") {
        sendJson(response, 413, { message: "Request Entity Too Large" });
        return;
      }
      if (method === "POST" && url.pathname === "/webhook") {
        const event = toApiGatewayEvent(
          {
            method,
            url,
            headers: headersOf(request),
            sourceIp: request.socket.remoteAddress ?? "",
          },
          body,
        );
        const result = await options.handleWebhook(event);
        response.writeHead(result.statusCode, {
          "content-type": "application/json",
          ...(result.headers as Record<string, string> | undefined),
        });
        response.end(result.body);
        return;
      }
      if (options.pages?.(request, response, url, body)) return;
      const route = options.routes?.[`${method} ${url.pathname}`];
      if (!route) {
        // API Gateway's answer for a route that does not exist.
        sendJson(response, 404, { message: "Not Found" });
        return;
      }
      let parsed: unknown = undefined;
      if (body.length > 0) {
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch {
          sendJson(response, 400, { message: "body is not JSON" });
          return;
        }
      }
      const answer = await route(parsed, url);
      sendJson(response, answer.status, answer.body);
    })().catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, {
          message: error instanceof Error ? error.message : String(error),
        });
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    webhookUrl: `${url}/webhook`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
