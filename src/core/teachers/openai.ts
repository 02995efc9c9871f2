import OpenAI from 'openai';
import { normaliseBaseUrl } from './ledger.ts';
import { toCallError } from './sdkErrors.ts';
import type { ChatAnswer, ChatRequest, Endpoint, Provider, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

export interface OpenAiClientOptions {
  provider: Extract<Provider, 'openai' | 'openai-compatible'>;
  model: string;
  baseUrl?: string;
  apiKey: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * Chat completions over the official `openai` SDK, for OpenAI and any compatible server (vLLM,
 * Ollama, llama.cpp, …). The SDK retries 408/409/429/5xx and timeouts itself, honouring
 * retry-after; our limiter sits on top.
 */
export function createOpenAiClient(options: OpenAiClientOptions): TeacherClient {
  const endpoint: Endpoint = { provider: options.provider, model: options.model, baseUrl: normaliseBaseUrl(options.provider, options.baseUrl) };
  if (options.provider === 'openai' && !options.apiKey) throw new CallError('no API key', { status: null });
  const client = new OpenAI({
    // A local compatible server usually takes any key; the SDK insists on one.
    apiKey: options.apiKey || 'no-key',
    baseURL: endpoint.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    organization: null,
    project: null,
  });
  const secrets = [options.apiKey];
  return {
    endpoint,
    async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer> {
      const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
        model: options.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      };
      if (request.temperature !== null) body.temperature = request.temperature;
      // OpenAI's newer models take only max_completion_tokens; compatible servers know max_tokens.
      if (options.provider === 'openai') body.max_completion_tokens = request.maxTokens;
      else body.max_tokens = request.maxTokens;
      try {
        const { data, request_id } = await client.chat.completions.create(body, { signal }).withResponse();
        const choice = data.choices[0];
        return {
          text: choice?.message?.content ?? '',
          tokensIn: data.usage?.prompt_tokens ?? 0,
          tokensOut: data.usage?.completion_tokens ?? 0,
          finishReason: choice?.finish_reason ?? null,
          requestId: request_id ?? null,
        };
      } catch (error) {
        throw toCallError(error, secrets, signal);
      }
    },
  };
}
