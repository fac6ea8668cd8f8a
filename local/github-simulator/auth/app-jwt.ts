// Verifies a GitHub App JWT the way GitHub does: RS256 signed by the App's key, `iss` = App id,
// issued no later than a minute from now, expiring in the future and at most 10 minutes after iat.
import { createPublicKey, verify, type KeyObject } from "node:crypto";

export function publicKeyOf(privateKeyPem: string): KeyObject {
  return createPublicKey(privateKeyPem);
}

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString());

/** null when valid, otherwise GitHub's 401 message. */
export function verifyAppJwt(
  jwt: string,
  publicKey: KeyObject,
  appId: number,
  nowSeconds: number,
): string | null {
  const parts = jwt.split(".");
  if (parts.length !== 3) return "A JSON web token could not be decoded";
  let header: { alg?: string };
  let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = decode(parts[0]) as typeof header;
    payload = decode(parts[1]) as typeof payload;
  } catch {
    return "A JSON web token could not be decoded";
  }
  if (header.alg !== "RS256") return `JWT algorithm must be RS256, got "${String(header.alg)}"`;
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    publicKey,
    Buffer.from(parts[2], "base64url"),
  );
  if (!signed)
    return "A JSON web token could not be decoded: signature does not match the App's public key";
  if (String(payload.iss) !== String(appId)) {
    return `'Issuer' claim ('iss') must be the App id ${appId}, got ${JSON.stringify(payload.iss)}`;
  }
  if (typeof payload.iat !== "number" || payload.iat > nowSeconds + 60) {
    return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  }
  if (typeof payload.exp !== "number" || payload.exp <= nowSeconds) {
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  }
  if (payload.exp - payload.iat > 600 + 60) {
    return "'Expiration time' claim ('exp') is too far in the future (at most 10 minutes after iat)";
  }
  return null;
}
