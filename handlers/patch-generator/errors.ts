import { factoryError } from "../../contract/errors";

// Typed errors without classes (closure serialization rule): the `code` tells the caller (and the
// state machine's Catch) what kind of failure it was; the message says what to fix.
export type PatchErrorCode =
  | "PatchCorrupt" // the diff text is malformed
  | "PatchDoesNotApply" // the diff or edit does not match the files
  | "PatchUnsupported" // e.g. binary patches
  | "PatchUnsafe" // a path the factory must never write
  | "NoPatchStrategy" // nothing in the issue can be turned into a patch
  | "AiOutputRejected" // the model answered without usable edits
  | "AiLimitExceeded" // per-issue token or call budget spent
  | "AiConfigInvalid";

export type PatchError = Error & { code: PatchErrorCode };

/** Named AFU9.<code>: the name is what Lambda reports and the state machine's Catch matches. */
export function patchError(code: PatchErrorCode, message: string): PatchError {
  return factoryError(code, message, { code });
}

export function isPatchError(error: unknown, code?: PatchErrorCode): error is PatchError {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== "string") {
    return false;
  }
  return code === undefined || (error as PatchError).code === code;
}
