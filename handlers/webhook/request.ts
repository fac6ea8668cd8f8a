// What the handler needs from an API Gateway HTTP API (payload 2.0) event, checked in the order
// that costs least: headers, content type, size, then the body bytes. Nothing here trusts the
// request; the signature check comes next and needs exactly the bytes GitHub signed.
import type { DeliveryOutcome } from "./answers";

export interface WebhookRequestEvent {
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface DeliveryHeaders {
  event: string;
  deliveryId: string;
  signature: string;
}

export type RequestCheck<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      status: 400 | 413 | 415;
      outcome: DeliveryOutcome;
      message: string;
    };

/** Payload 2.0 lower-cases header names; other sources (the local factory, tests) may not. */
export function lowerCaseHeaders(headers: WebhookRequestEvent["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== "object") return out;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * A request without X-GitHub-Event or X-GitHub-Delivery is malformed (400). A missing
 * X-Hub-Signature-256 is not checked here: an unsigned request is unauthenticated, and the
 * verification step answers it 401 like any other signature that does not match.
 */
export function readDeliveryHeaders(
  headers: Record<string, string>,
): RequestCheck<DeliveryHeaders> {
  const missing = ["x-github-event", "x-github-delivery"].filter((name) => !headers[name]?.trim());
  if (missing.length > 0) {
    return {
      ok: false,
      status: 400,
      outcome: "missing-headers",
      message: `missing header(s): ${missing.join(", ")}; GitHub sends them on every delivery`,
    };
  }
  return {
    ok: true,
    value: {
      event: headers["x-github-event"].trim(),
      deliveryId: headers["x-github-delivery"].trim(),
      signature: (headers["x-hub-signature-256"] ?? "").trim(),
    },
  };
}

/** JSON only: a form-encoded delivery is signed over its form body, not the JSON we parse. */
export function checkContentType(headers: Record<string, string>): RequestCheck<null> {
  const mediaType = (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType === "application/json") return { ok: true, value: null };
  return {
    ok: false,
    status: 415,
    outcome: "unsupported-media-type",
    message:
      `content type must be application/json, got ${JSON.stringify(mediaType || "(none)")}: set the ` +
      `webhook's content type to application/json in the GitHub App settings`,
  };
}

/**
 * The body as GitHub sent it. The signature is checked over a string (that is what
 * @octokit/webhooks verifies, hashing its UTF-8 encoding), so bytes that are not valid UTF-8 are
 * refused here: decoding them would replace bytes and verify something GitHub never signed.
 */
export function readBody(event: WebhookRequestEvent, maxBodyBytes: number): RequestCheck<string> {
  const raw = typeof event.body === "string" ? event.body : "";
  const tooLarge = (size: string): RequestCheck<string> => ({
    ok: false,
    status: 413,
    outcome: "too-large",
    message: `body is larger than the limit of ${maxBodyBytes} bytes (${size})`,
  });
  let text: string;
  if (event.isBase64Encoded) {
    // Every 4 base64 characters carry at most 3 bytes: refuse before decoding a huge body.
    if (Math.floor((raw.length * 3) / 4) - 2 > maxBodyBytes) {
      return tooLarge(`about ${Math.floor((raw.length * 3) / 4)} bytes`);
    }
    const bytes = Buffer.from(raw, "base64");
    if (bytes.length > maxBodyBytes) return tooLarge(`${bytes.length} bytes`);
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return {
        ok: false,
        status: 400,
        outcome: "bad-request",
        message: "body is not valid UTF-8 JSON",
      };
    }
  } else {
    // A JS string's UTF-8 size is at most 3 bytes per UTF-16 unit: skip the count when clearly small.
    if (raw.length * 3 > maxBodyBytes) {
      const size = Buffer.byteLength(raw, "utf8");
      if (size > maxBodyBytes) return tooLarge(`${size} bytes`);
    }
    text = raw;
  }
  if (text.length === 0) {
    return { ok: false, status: 400, outcome: "bad-request", message: "body is empty" };
  }
  return { ok: true, value: text };
}
