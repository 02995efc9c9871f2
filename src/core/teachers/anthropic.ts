import Anthropic from '@anthropic-ai/sdk';
import type { SdkSettings } from './endpoint.ts';
import { endpointOf } from './endpoint.ts';
import { sdkTeacherClient } from './sdkErrors.ts';
import type { ChatAnswer, ChatRequest, Endpoint, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

export interface AnthropicClientOptions extends SdkSettings {
  model: string;
  baseUrl?: string;
  apiKey: string | undefined;
}

/**
 * The Messages API over the official `@anthropic-ai/sdk`; system messages go to `system`. The
 * SDK speaks API version 2026-10-21, which refuses sampling parameters, so no temperature is sent
 * (chatRequest in caller.ts sets it to null, which the ledger key records). The SDK client, the
 * request body and the reading of a message are shared with the batch path (batch.ts).
 */
export function anthropicSdk(endpoint: Endpoint, settings: SdkSettings, apiKey: string | undefined): Anthropic {
  return new Anthropic({
    apiKey: apiKey ?? null,
    // Never pick up a token or base URL from the environment: the configuration decides.
    authToken: null,
    baseURL: endpoint.baseUrl,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
  });
}

export function anthropicBody(endpoint: Endpoint, request: ChatRequest): Anthropic.MessageCreateParamsNonStreaming {
  const system = request.messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n\n');
  return {
    model: endpoint.model,
    max_tokens: request.maxTokens,
    ...(system ? { system } : {}),
    messages: request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
  };
}

export function anthropicAnswer(message: Anthropic.Message, requestId: string | null): ChatAnswer {
  return {
    text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
    // A server that sends no usage leaves the tokens unknown: 0 would be a silent lie.
    tokensIn: (message.usage as Anthropic.Usage | undefined)?.input_tokens ?? null,
    tokensOut: (message.usage as Anthropic.Usage | undefined)?.output_tokens ?? null,
    finishReason: message.stop_reason ?? null,
    requestId,
  };
}

export function createAnthropicClient(options: AnthropicClientOptions): TeacherClient {
  const endpoint = endpointOf({ provider: 'anthropic', ...options });
  if (!options.apiKey) throw new CallError('no API key', { status: null });
  const client = anthropicSdk(endpoint, options, options.apiKey);
  return sdkTeacherClient(
    endpoint,
    options.apiKey,
    async (request, signal) => {
      const { data, request_id } = await client.messages.create(anthropicBody(endpoint, request), { signal }).withResponse();
      return anthropicAnswer(data, request_id ?? null);
    },
    async (request, signal, onText) => {
      // The SDK's message stream: text deltas as they come; the final message carries the usage.
      const stream = client.messages.stream(anthropicBody(endpoint, request), { signal });
      let text = '';
      stream.on('text', (delta) => {
        text += delta;
        onText(text);
      });
      const message = await stream.finalMessage();
      return anthropicAnswer(message, stream.request_id ?? null);
    },
  );
}
