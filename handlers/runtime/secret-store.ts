// Cached reader of the stack's one Secrets Manager secret (a SecretBundle as JSON).
//
// One read per cold start, a re-read when the TTL has passed, and an explicit refresh() the
// webhook uses once when a signature fails to verify (the secret may have been rotated). Never a
// read per request: refresh() is throttled by minRefreshIntervalSeconds, so a flood of badly
// signed requests cannot turn into a flood of Secrets Manager calls.
//
// A small equivalent of Powertools' SecretsProvider instead of that class, because: the clock is
// injectable (TTL behaviour is tested without sleeping), concurrent callers share one in-flight
// read, a failed TTL re-read keeps serving the last good value, and the errors say exactly which
// field is wrong and how to fix it. The secret value never appears in an error or a log.
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretBundle } from "../../contract/environment";
import type { Clock } from "../shared/types";
import { factoryError } from "../../contract/errors";

export type SecretField = keyof SecretBundle;

export interface SecretStoreOptions {
  secretArn: string;
  /** Built inside the function when absent (closure rule: no module-level SDK clients). */
  client?: SecretsManagerClient;
  /** How long a read value is served before the next get() re-reads it. */
  ttlSeconds: number;
  clock: Pick<Clock, "now">;
  /** Fields that must be non-empty strings; default: the webhook secret and the App key. */
  required?: SecretField[];
  /** refresh() within this many seconds of the last read returns the cached value. Default 30. */
  minRefreshIntervalSeconds?: number;
  /** After a failed TTL re-read the stale value is served this long before trying again. Default 30. */
  retryAfterSeconds?: number;
}

export interface SecretStore {
  /** The cached bundle; reads Secrets Manager on first use and when the TTL has passed. */
  get(): Promise<SecretBundle>;
  /** Re-reads now (unless it read within minRefreshIntervalSeconds); errors propagate. */
  refresh(): Promise<SecretBundle>;
}

const OPTIONAL_FIELDS: SecretField[] = ["githubWebhookSecretPrevious", "aiApiKey"];
const DEFAULT_REQUIRED: SecretField[] = ["githubWebhookSecret", "githubAppPrivateKey"];

function secretError(message: string, key: "SecretInvalid"): Error {
  return factoryError(key, message);
}

/** Parses and checks the secret's JSON; exported for the tests and the local factory. */
export function parseSecretBundle(
  secretArn: string,
  secretString: string | undefined,
  required: SecretField[] = DEFAULT_REQUIRED,
): SecretBundle {
  if (secretString === undefined) {
    throw secretError(
      `secret ${secretArn} has no SecretString (binary secrets are not supported): store the ` +
        `SecretBundle as JSON text`,
      "SecretInvalid",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw secretError(
      `secret ${secretArn} is not JSON: store a JSON object with githubWebhookSecret and ` +
        `githubAppPrivateKey`,
      "SecretInvalid",
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw secretError(`secret ${secretArn} is not a JSON object`, "SecretInvalid");
  }
  const record = parsed as Record<string, unknown>;
  for (const field of required) {
    const value = record[field];
    if (typeof value !== "string" || value.length === 0) {
      throw secretError(
        `secret ${secretArn} lacks ${field} (a non-empty string): set it with ` +
          `\`pulumi config set --secret ${field} <value>\` and \`pulumi up\``,
        "SecretInvalid",
      );
    }
  }
  for (const field of [...DEFAULT_REQUIRED, ...OPTIONAL_FIELDS]) {
    const value = record[field];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw secretError(`secret ${secretArn}: ${field} must be a string`, "SecretInvalid");
    }
  }
  const bundle: SecretBundle = {
    githubAppPrivateKey:
      typeof record.githubAppPrivateKey === "string" ? record.githubAppPrivateKey : "",
    githubWebhookSecret:
      typeof record.githubWebhookSecret === "string" ? record.githubWebhookSecret : "",
  };
  // An empty previous secret means "no rotation in progress", not "accept the empty key".
  if (
    typeof record.githubWebhookSecretPrevious === "string" &&
    record.githubWebhookSecretPrevious
  ) {
    bundle.githubWebhookSecretPrevious = record.githubWebhookSecretPrevious;
  }
  if (typeof record.aiApiKey === "string" && record.aiApiKey) bundle.aiApiKey = record.aiApiKey;
  return bundle;
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const { secretArn, ttlSeconds, clock } = options;
  if (!secretArn) throw new Error("createSecretStore: secretArn is required");
  if (!(ttlSeconds > 0))
    throw new Error(`createSecretStore: ttlSeconds must be > 0: ${ttlSeconds}`);
  const required = options.required ?? DEFAULT_REQUIRED;
  const minRefreshMs = (options.minRefreshIntervalSeconds ?? 30) * 1000;
  const retryAfterMs = (options.retryAfterSeconds ?? 30) * 1000;
  // Lazy so a store that is never used never builds a client.
  let client = options.client;

  let cached: SecretBundle | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  let expiresAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<SecretBundle> | undefined;

  async function read(): Promise<SecretBundle> {
    client ??= new SecretsManagerClient({
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
    });
    let secretString: string | undefined;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      secretString = out.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const message = error instanceof Error ? error.message : String(error);
      throw factoryError(
        name === "ResourceNotFoundException" ? "SecretMissing" : "SecretUnreadable",
        `cannot read secret ${secretArn} (${name}: ${message}): check that it exists and the ` +
          `function's role may call secretsmanager:GetSecretValue on it`,
        { cause: error },
      );
    }
    return parseSecretBundle(secretArn, secretString, required);
  }

  /** One read at a time; concurrent callers share it. */
  function readShared(): Promise<SecretBundle> {
    inFlight ??= read()
      .then((bundle) => {
        const now = clock.now();
        cached = bundle;
        readAt = now;
        expiresAt = now + ttlSeconds * 1000;
        return bundle;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    async get() {
      if (cached === undefined) return readShared();
      if (clock.now() < expiresAt) return cached;
      try {
        return await readShared();
      } catch {
        // Secrets Manager hiccup after the TTL: the last good value is still the best we have.
        expiresAt = clock.now() + retryAfterMs;
        return cached;
      }
    },
    async refresh() {
      if (cached !== undefined && clock.now() - readAt < minRefreshMs) return cached;
      return readShared();
    },
  };
}
