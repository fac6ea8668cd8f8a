// The patch errors of the factory's vocabulary: each refuses the user's input (the diff, the edit,
// the model's answer), with a message that says what to fix.
import { FACTORY_ERRORS, factoryError, type FactoryError } from "../../contract/errors";

const PATCH_ERROR_KEYS = [
  "PatchCorrupt",
  "PatchDoesNotApply",
  "PatchUnsupported",
  "PatchUnsafe",
  "NoPatchStrategy",
  "AiOutputRejected",
  "AiLimitExceeded",
  "AiConfigInvalid",
  "AiProviderFailed",
] as const;

export type PatchErrorCode = (typeof PATCH_ERROR_KEYS)[number];

export type PatchError = FactoryError;

export function patchError(code: PatchErrorCode, message: string): PatchError {
  return factoryError(code, message);
}

/** True for a patch error (optionally: with exactly this key). */
export function isPatchError(error: unknown, code?: PatchErrorCode): error is PatchError {
  if (!(error instanceof Error)) return false;
  const keys = code === undefined ? PATCH_ERROR_KEYS : [code];
  return keys.some((key) => error.name === FACTORY_ERRORS[key]);
}
