// Amazon Bedrock through the Converse API (one request shape for every model family). The model id
// comes from stack config; the function's role may invoke only that model (components/).
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { type AiProvider, type AiRequest, aiError } from "./provider";

export interface BedrockOptions {
  modelId: string;
  region?: string;
  timeoutMs: number;
  /** Injected in tests (aws-sdk-client-mock); built lazily otherwise (closure rule). */
  client?: BedrockRuntimeClient;
}

export function createBedrockProvider(options: BedrockOptions): AiProvider {
  let client = options.client;
  return {
    name: `bedrock:${options.modelId}`,
    async complete(request: AiRequest) {
      client ??= new BedrockRuntimeClient({
        ...(options.region ? { region: options.region } : {}),
        maxAttempts: 2,
        requestHandler: { requestTimeout: options.timeoutMs },
      });
      let output;
      try {
        output = await client.send(
          new ConverseCommand({
            modelId: options.modelId,
            system: [{ text: request.system }],
            messages: request.messages.map((m) => ({
              role: m.role,
              content: [{ text: m.content }],
            })),
            inferenceConfig: { maxTokens: request.maxOutputTokens, temperature: 0 },
          }),
        );
      } catch (error) {
        const name = error instanceof Error ? error.name : "Error";
        throw aiError(
          `Bedrock Converse on ${options.modelId} failed (${name}: ${(error as Error).message}); ` +
            `check the model id, its region and model access in the Bedrock console`,
          "AiProviderFailed",
        );
      }
      const text = (output.output?.message?.content ?? [])
        .map((block) => ("text" in block && typeof block.text === "string" ? block.text : ""))
        .join("");
      return {
        text,
        inputTokens: output.usage?.inputTokens ?? 0,
        outputTokens: output.usage?.outputTokens ?? 0,
      };
    },
  };
}
