// Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI compatible gateways,
// vLLM, Ollama, LiteLLM, ...): POST {url} with {model, messages, max_tokens}. The key comes from
// the stack secret (SecretBundle.aiApiKey) and is only ever sent in the Authorization header.
import { type AiProvider, type AiRequest, aiError, estimateTokens } from "./provider";

export interface OpenAiCompatibleOptions {
  /** Full chat-completions URL, e.g. https://api.openai.com/v1/chat/completions */
  url: string;
  model: string;
  apiKey: () => Promise<string | undefined>;
  timeoutMs: number;
  fetch?: typeof fetch;
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): AiProvider {
  const doFetch = options.fetch ?? fetch;
  return {
    name: `openai-compatible:${options.model}`,
    async complete(request: AiRequest) {
      const key = await options.apiKey();
      const body = {
        model: options.model,
        messages: [{ role: "system", content: request.system }, ...request.messages],
        max_tokens: request.maxOutputTokens,
        temperature: 0,
      };
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw aiError(
          `AI endpoint ${new URL(options.url).host} unreachable: ${(error as Error).message}`,
          "AiProviderFailed",
        );
      }
      const text = await response.text();
      if (!response.ok) {
        // The endpoint's own error text helps the operator (bad model, quota); it holds no key.
        throw aiError(
          `AI endpoint answered ${response.status}: ${text.slice(0, 200).replace(/\s+/g, " ")}`,
          "AiProviderFailed",
          { status: response.status },
        );
      }
      let parsed: ChatCompletion;
      try {
        parsed = JSON.parse(text) as ChatCompletion;
      } catch {
        throw aiError("AI endpoint answered with something that is not JSON", "AiProviderFailed");
      }
      const content = parsed.choices?.[0]?.message?.content ?? "";
      const prompt = request.system + request.messages.map((m) => m.content).join("");
      return {
        text: content,
        inputTokens: parsed.usage?.prompt_tokens ?? estimateTokens(prompt),
        outputTokens: parsed.usage?.completion_tokens ?? estimateTokens(content),
      };
    },
  };
}
