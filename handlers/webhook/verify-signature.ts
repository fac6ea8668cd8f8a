// X-Hub-Signature-256 verification with @octokit/webhooks (HMAC-SHA256 over the body, compared in
// constant time). During a secret rotation the bundle holds the current and the previous secret;
// a delivery signed with either verifies.
import { Webhooks } from "@octokit/webhooks";
import type { SecretBundle } from "../../contract/environment";
import { factoryError } from "../../contract/errors";

export type SignatureVerifier = (payload: string, signature: string) => Promise<boolean>;

/** GitHub's format: "sha256=" and 64 lower-case hex digits. */
const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

/** Whether the header can be a signature at all (if not, re-reading the secret cannot help). */
export function isSignatureFormat(signature: string): boolean {
  return SIGNATURE_FORMAT.test(signature);
}

/**
 * Builds the verifier for one bundle. `Webhooks` is constructed here, per secret, and never at
 * module level (closure rule); callers keep the result for as long as they keep the bundle.
 */
export function createSignatureVerifier(bundle: SecretBundle): SignatureVerifier {
  const secrets = [bundle.githubWebhookSecret, bundle.githubWebhookSecretPrevious].filter(
    (secret): secret is string => typeof secret === "string" && secret.length > 0,
  );
  if (secrets.length === 0) {
    // Fail closed: without a secret nothing may verify (parseSecretBundle already refuses this).
    throw factoryError("SecretInvalid", "no webhook secret to verify deliveries with");
  }
  const verifiers = secrets.map((secret) => new Webhooks({ secret }));
  return async (payload, signature) => {
    if (!payload || !SIGNATURE_FORMAT.test(signature)) return false;
    for (const webhooks of verifiers) {
      // verify() throws on empty input; treat anything but `true` as "does not match".
      if ((await webhooks.verify(payload, signature).catch(() => false)) === true) return true;
    }
    return false;
  };
}
