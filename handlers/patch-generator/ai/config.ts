// AFU9_AI_CONFIG (JSON, set by the CodeFactoryWorkflow component from stack config only when
// `aiProvider` is not "none"): which AI provider, which model, and the per-issue limits. Absent,
// provider "none" or `enabled: false` means AI is off. Two spellings are accepted: the component's
// ({ provider: "bedrock", bedrockModelId } / { provider: "openai", openaiBaseUrl, openaiModel? })
// and the explicit one ({ provider: "bedrock" | "openai-compatible", modelId | url + model }).
// The schema is built per call (closure rule: no module-level zod values).
import { z } from "zod";
import { aiError } from "./provider";

export interface AiConfig {
  enabled: boolean;
  provider: "bedrock" | "openai-compatible";
  /** Bedrock model id (provider bedrock). */
  modelId?: string;
  region?: string;
  /** Full chat-completions URL and model name (provider openai-compatible). */
  url?: string;
  model?: string;
  /** Per-issue budget: model calls, and input + output tokens over all calls. */
  maxCalls: number;
  maxTokens: number;
  /** Largest answer asked for in one call. */
  maxOutputTokens: number;
  /** Files shown to the model, and the largest one shown whole. */
  maxFiles: number;
  maxFileBytes: number;
  timeoutMs: number;
}

/** Model used with an OpenAI-compatible endpoint when the config names none. */
export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

function buildSchema() {
  return z
    .strictObject({
      enabled: z.boolean().default(true),
      provider: z.enum(["none", "bedrock", "openai", "openai-compatible"]),
      modelId: z.string().min(1).optional(),
      bedrockModelId: z.string().min(1).optional(),
      region: z.string().min(1).optional(),
      url: z.url().optional(),
      openaiBaseUrl: z.url().optional(),
      model: z.string().min(1).optional(),
      openaiModel: z.string().min(1).optional(),
      maxCalls: z.number().int().min(1).max(10).default(3),
      maxTokens: z.number().int().min(1000).max(2_000_000).default(60_000),
      maxOutputTokens: z.number().int().min(256).max(64_000).default(4096),
      maxFiles: z.number().int().min(1).max(50).default(8),
      maxFileBytes: z.number().int().min(1000).max(1_000_000).default(60_000),
      timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
    })
    .superRefine((value, ctx) => {
      if (value.provider === "bedrock" && !value.modelId && !value.bedrockModelId) {
        ctx.addIssue({
          code: "custom",
          path: ["bedrockModelId"],
          message: "required for provider bedrock",
        });
      }
      if (
        (value.provider === "openai" || value.provider === "openai-compatible") &&
        !value.url &&
        !value.openaiBaseUrl
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["openaiBaseUrl"],
          message: "required for provider openai",
        });
      }
    });
}

/** "https://host/v1" -> "https://host/v1/chat/completions"; a full URL stays as it is. */
export function chatCompletionsUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, "");
  return /\/chat\/completions$/.test(trimmed) ? trimmed : `${trimmed}/chat/completions`;
}

/** Parses the JSON text; null when AI is off. Throws AiConfigInvalid naming the bad key. */
export function parseAiConfig(text: string | undefined): AiConfig | null {
  if (text === undefined || text.trim() === "") return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw aiError(
      "AFU9_AI_CONFIG is not JSON: set aiProvider (and its keys) in the stack config and `pulumi up`",
      "AiConfigInvalid",
    );
  }
  const result = buildSchema().safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.map(String).join(".") || "(config)";
    throw aiError(`AFU9_AI_CONFIG ${key}: ${issue.message}`, "AiConfigInvalid");
  }
  const value = result.data;
  if (!value.enabled || value.provider === "none") return null;
  const limits = {
    maxCalls: value.maxCalls,
    maxTokens: value.maxTokens,
    maxOutputTokens: value.maxOutputTokens,
    maxFiles: value.maxFiles,
    maxFileBytes: value.maxFileBytes,
    timeoutMs: value.timeoutMs,
  };
  if (value.provider === "bedrock") {
    return {
      enabled: true,
      provider: "bedrock",
      modelId: value.modelId ?? value.bedrockModelId,
      ...(value.region ? { region: value.region } : {}),
      ...limits,
    };
  }
  return {
    enabled: true,
    provider: "openai-compatible",
    url: value.url ?? chatCompletionsUrl(value.openaiBaseUrl!),
    model: value.model ?? value.openaiModel ?? DEFAULT_OPENAI_MODEL,
    ...limits,
  };
}

/**
 * For the issue interpreter (detectPatchStrategy's `aiEnabled`): whether the AI strategy is on,
 * from the same AFU9_AI_CONFIG value. An invalid value counts as off here; GeneratePatch reports it.
 */
export function isAiEnabled(env: Record<string, string | undefined>): boolean {
  try {
    return parseAiConfig(env.AFU9_AI_CONFIG) !== null;
  } catch {
    return false;
  }
}
