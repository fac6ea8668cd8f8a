// Builds the AI strategy from the function's environment, once per container: AFU9_AI_CONFIG
// picks the provider and limits; the OpenAI-compatible key is read from the stack secret
// (SecretBundle.aiApiKey) on first use. Returns null when AI is off.
import { createSecretStore } from "../runtime/secret-store";
import { ENV } from "../../contract/environment";
import type { TaskDeps } from "../shared/types";
import { createAiChangeSource } from "./ai/ai-strategy";
import { createBedrockProvider } from "./ai/bedrock";
import { type AiConfig, parseAiConfig } from "./ai/config";
import { createOpenAiCompatibleProvider } from "./ai/openai-compatible";
import type { AiProvider } from "./ai/provider";
import type { PatchGeneratorOptions } from "./generate-patch";
import type { RepairModel } from "./repair/repair";

export function createAiProvider(
  config: AiConfig,
  env: Record<string, string | undefined>,
  deps: Pick<TaskDeps, "clock">,
  apiKey?: () => Promise<string | undefined>,
): AiProvider {
  if (config.provider === "bedrock") {
    return createBedrockProvider({
      modelId: config.modelId!,
      region: config.region,
      timeoutMs: config.timeoutMs,
    });
  }
  const secretArn = env[ENV.secretArn];
  let readKey: () => Promise<string | undefined> = apiKey ?? (async () => undefined);
  if (!apiKey && secretArn) {
    const store = createSecretStore({
      secretArn,
      ttlSeconds: 3600,
      clock: deps.clock,
      required: ["aiApiKey"],
    });
    readKey = async () => (await store.get()).aiApiKey;
  }
  return createOpenAiCompatibleProvider({
    url: config.url!,
    model: config.model!,
    apiKey: readKey,
    timeoutMs: config.timeoutMs,
  });
}

/** `apiKey` replaces the secret read (the local CLI passes AFU9_AI_API_KEY). */
export function createAiFromEnvironment(
  env: Record<string, string | undefined>,
  deps: Pick<TaskDeps, "clock">,
  apiKey?: () => Promise<string | undefined>,
): PatchGeneratorOptions["ai"] {
  const model = createRepairModelFromEnvironment(env, deps, apiKey);
  if (!model) return null;
  return (spent) => createAiChangeSource(model.provider, model.limits, spent);
}

/** The provider and the per-issue limits, shared by the first patch and the repair rounds. */
export function createRepairModelFromEnvironment(
  env: Record<string, string | undefined>,
  deps: Pick<TaskDeps, "clock">,
  apiKey?: () => Promise<string | undefined>,
): RepairModel | null {
  const config = parseAiConfig(env[ENV.aiConfig]);
  if (!config) return null;
  return { provider: createAiProvider(config, env, deps, apiKey), limits: config };
}
