// The one small interface every AI provider implements: a system prompt and a conversation in,
// text and token counts out. Providers know nothing of patches; ai-strategy.ts does the rest.
import { factoryError } from "../../../contract/errors";

export interface AiMessage {
  role: "user" | "assistant";
  content: string;
}

export interface AiRequest {
  system: string;
  messages: AiMessage[];
  maxOutputTokens: number;
}

export interface AiResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export interface AiProvider {
  /** For logs and the PR text: "bedrock:<model>" or "openai-compatible:<model>". */
  name: string;
  complete(request: AiRequest): Promise<AiResponse>;
}

/** Rough token count (4 characters per token) for budgeting before a call and missing usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function aiError(
  message: string,
  key: "AiConfigInvalid" | "AiProviderFailed" | "AiOutputRejected" | "AiLimitExceeded",
  extra: Record<string, unknown> = {},
): Error {
  return factoryError(key, message, extra);
}
