// The notifier's read of the stack secret: only `notifyDestinations`, cached per container and
// re-read after a TTL (a new destination arrives within minutes of `pulumi up`).
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { NotifyDestination } from "../../contract/environment";
import { parseNotifyDestinations } from "./notify-destinations";

export function createDestinationStore(options: {
  secretArn: string;
  ttlSeconds: number;
  now: () => number;
  client?: SecretsManagerClient;
}): () => Promise<Record<string, NotifyDestination>> {
  let client = options.client;
  let cached: Record<string, NotifyDestination> | undefined;
  let expiresAt = Number.NEGATIVE_INFINITY;
  return async () => {
    if (cached && options.now() < expiresAt) return cached;
    client ??= new SecretsManagerClient({
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
    });
    const out = await client.send(new GetSecretValueCommand({ SecretId: options.secretArn }));
    let record: unknown;
    try {
      record = JSON.parse(out.SecretString ?? "");
    } catch {
      throw Object.assign(new Error(`secret ${options.secretArn} is not JSON`), {
        code: "SecretInvalid",
      });
    }
    const value = (record as { notifyDestinations?: unknown } | null)?.notifyDestinations;
    cached = parseNotifyDestinations(options.secretArn, value) ?? {};
    expiresAt = options.now() + options.ttlSeconds * 1000;
    return cached;
  };
}
