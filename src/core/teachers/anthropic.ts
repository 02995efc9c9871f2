import Anthropic from '@anthropic-ai/sdk';
import { normaliseBaseUrl } from './ledger.ts';
import { toCallError } from './sdkErrors.ts';
import type { ChatAnswer, ChatRequest, Endpoint, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

export interface AnthropicClientOptions {
  model: string;
  baseUrl?: string;
  apiKey: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * The Messages API over the official `@anthropic-ai/sdk`; system messages go to `system`. The
 * SDK speaks API version 2026-10-21, which refuses sampling parameters, so no temperature is sent
 * (the caller hashes it as null).
 */
export function createAnthropicClient(options: AnthropicClientOptions): TeacherClient {
  const endpoint: Endpoint = { provider: 'anthropic', model: options.model, baseUrl: normaliseBaseUrl('anthropic', options.baseUrl) };
  if (!options.apiKey) throw new CallError('no API key', { status: null });
  const client = new Anthropic({
    apiKey: options.apiKey,
    // Never pick up a token or base URL from the environment: the configuration decides.
    authToken: null,
    baseURL: endpoint.baseUrl,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  const secrets = [options.apiKey];
  return {
    endpoint,
    async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer> {
      const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
      const messages = request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
      try {
        const { data, request_id } = await client.messages
          .create(
            {
              model: options.model,
              max_tokens: request.maxTokens,
              ...(system ? { system } : {}),
              messages,
            },
            { signal },
          )
          .withResponse();
        const text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
        return {
          text,
          tokensIn: data.usage.input_tokens,
          tokensOut: data.usage.output_tokens,
          finishReason: data.stop_reason ?? null,
          requestId: request_id ?? null,
        };
      } catch (error) {
        throw toCallError(error, secrets, signal);
      }
    },
  };
}
