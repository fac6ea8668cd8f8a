// Signed webhook deliveries (X-Hub-Signature-256 = HMAC-SHA256 of the exact body), sent in
// order, one at a time, like GitHub's per-hook queue. Every event is also kept for inspection.
import { createHmac, randomUUID } from "node:crypto";

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface EmittedEvent {
  id: string;
  event: string;
  action?: string;
  payload: Record<string, unknown>;
  /** HTTP status of the delivery; undefined while pending or without a target. */
  status?: number;
  error?: string;
  /** Epoch ms: when the delivery was sent, and when its answer arrived. */
  sentAt?: number;
  answeredAt?: number;
  /** A `dropWebhooks` fault swallowed it: the target never saw it (GitHub lost it). */
  dropped?: true;
}

/** Fault: the next `count` deliveries of these events are lost on the way. */
export interface DropSpec {
  events: string[];
  count: number;
}

export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function createWebhookEmitter(target: WebhookTarget | undefined, appId: () => number) {
  const events: EmittedEvent[] = [];
  const drops: DropSpec[] = [];
  let queue: Promise<void> = Promise.resolve();

  function takeDrop(event: string): boolean {
    const drop = drops.find((d) => d.count > 0 && d.events.includes(event));
    if (!drop) return false;
    drop.count -= 1;
    return true;
  }

  async function deliver(record: EmittedEvent): Promise<void> {
    if (!target) return;
    if (takeDrop(record.event)) {
      record.dropped = true;
      record.error = "dropped (injected fault)";
      return;
    }
    const body = JSON.stringify(record.payload);
    record.sentAt = Date.now();
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/afu9-sim",
          "x-github-event": record.event,
          "x-github-delivery": record.id,
          "x-hub-signature-256": signPayload(target.secret, body),
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": String(appId()),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      record.status = response.status;
      await response.arrayBuffer();
      record.answeredAt = Date.now();
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
  }

  return {
    events,
    emit(event: string, payload: Record<string, unknown>): void {
      const record: EmittedEvent = {
        id: randomUUID(),
        event,
        action: typeof payload.action === "string" ? payload.action : undefined,
        payload,
      };
      events.push(record);
      queue = queue.then(() => deliver(record));
    },
    /** Loses the next `count` deliveries of these events (GitHub's deliveries are not guaranteed). */
    drop(spec: DropSpec): void {
      if (!Number.isInteger(spec.count) || spec.count < 1) {
        throw new Error(`dropWebhooks: count must be a positive integer, got ${spec.count}`);
      }
      drops.push({ events: [...spec.events], count: spec.count });
    },
    clearDrops(): void {
      drops.length = 0;
    },
    /** Resolves when every delivery emitted so far has been answered (or failed). */
    idle(): Promise<void> {
      return queue;
    },
  };
}

export type WebhookEmitter = ReturnType<typeof createWebhookEmitter>;
