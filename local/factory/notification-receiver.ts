// The sandbox's Slack and Teams: one HTTP server on 127.0.0.1 that accepts incoming-webhook posts
// the way the real services do (Slack answers 200 "ok", a Teams Workflows webhook 202) and records
// every message it was sent, in either format. `GET /messages` lists them. Each destination's URL
// ends in a random token, as real webhook URLs do: a test can look for it in logs and archives.
// Tests can make a destination answer errors (status, Retry-After) a number of times.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { NotifyDestination, NotifyDestinationKind } from "../../contract/environment";

export interface ReceivedMessage {
  destination: string;
  format: NotifyDestinationKind;
  /** ms since the epoch. */
  receivedAt: number;
  /** What the destination answered. */
  status: number;
  payload: unknown;
}

export interface ReceiverFault {
  status: number;
  /** Sent as the Retry-After header (seconds) when set. */
  retryAfterSeconds?: number;
  /** How many requests get this answer (default: all). */
  times?: number;
}

export interface NotificationReceiver {
  url: string;
  /** The stack-style destinations pointing here (name -> kind + URL). */
  destinations: Record<string, NotifyDestination>;
  /** Every post, answered or refused, oldest first. */
  messages(): ReceivedMessage[];
  /** Accepted posts only. */
  delivered(destination?: string): ReceivedMessage[];
  fail(destination: string, fault: ReceiverFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startNotificationReceiver(
  names: Record<string, NotifyDestinationKind>,
  port = 0,
): Promise<NotificationReceiver> {
  const tokens: Record<string, { name: string; kind: NotifyDestinationKind }> = {};
  const received: ReceivedMessage[] = [];
  const faults: Record<string, ReceiverFault & { left: number }> = {};
  for (const [name, kind] of Object.entries(names)) {
    tokens[randomBytes(12).toString("hex")] = { name, kind };
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
      if (request.method === "GET" && path === "/messages") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(received, null, 2));
        return;
      }
      const token = path.split("/").pop() ?? "";
      const target = tokens[token];
      if (request.method !== "POST" || !target) {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("no_service");
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        response.writeHead(400, { "content-type": "text/plain" });
        response.end("invalid_payload");
        return;
      }
      const fault = faults[target.name];
      let status = target.kind === "slack" ? 200 : 202;
      const headers: Record<string, string> = { "content-type": "text/plain" };
      if (fault && fault.left > 0) {
        fault.left -= 1;
        status = fault.status;
        if (fault.retryAfterSeconds !== undefined) {
          headers["retry-after"] = String(fault.retryAfterSeconds);
        }
      }
      received.push({
        destination: target.name,
        format: target.kind,
        receivedAt: Date.now(),
        status,
        payload,
      });
      response.writeHead(status, headers);
      response.end(status < 300 ? (target.kind === "slack" ? "ok" : "") : "error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const destinations: Record<string, NotifyDestination> = {};
  for (const [token, { name, kind }] of Object.entries(tokens)) {
    // Shaped like the real ones: hooks.slack.com/services/T/B/<token>, .../workflows/<token>.
    destinations[name] = {
      kind,
      url:
        kind === "slack"
          ? `${url}/services/T0SANDBOX/B0SANDBOX/${token}`
          : `${url}/workflows/${token}`,
    };
  }

  return {
    url,
    destinations,
    messages: () => [...received],
    delivered: (destination) =>
      received.filter((m) => m.status < 300 && (!destination || m.destination === destination)),
    fail(destination, fault) {
      faults[destination] = { ...fault, left: fault.times ?? Number.POSITIVE_INFINITY };
    },
    clearFaults() {
      for (const name of Object.keys(faults)) delete faults[name];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
