import OpenAI from 'openai';
import type { SdkSettings } from './endpoint.ts';
import { endpointOf } from './endpoint.ts';
import { sdkTeacherClient } from './sdkErrors.ts';
import type { ChatAnswer, ChatRequest, Endpoint, Provider, TeacherClient } from './types.ts';
import { CallError } from './types.ts';

export interface OpenAiClientOptions extends SdkSettings {
  provider: Extract<Provider, 'openai' | 'openai-compatible'>;
  model: string;
  baseUrl?: string;
  apiKey: string | undefined;
}

/**
 * Chat completions over the official `openai` SDK, for OpenAI and any compatible server (vLLM,
 * Ollama, llama.cpp, …). The SDK retries 408/409/429/5xx and timeouts itself, honouring
 * retry-after; our limiter sits on top. The SDK client, the request body and the reading of a
 * completion are shared with the batch path (batch.ts).
 */
export function openAiSdk(endpoint: Endpoint, settings: SdkSettings, apiKey: string | undefined): OpenAI {
  return new OpenAI({
    // A local compatible server usually takes any key; the SDK insists on one.
    apiKey: apiKey || 'no-key',
    baseURL: endpoint.baseUrl,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    organization: null,
    project: null,
  });
}

export function openAiBody(endpoint: Endpoint, request: ChatRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
    model: endpoint.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (request.temperature !== null) body.temperature = request.temperature;
  // OpenAI's newer models take only max_completion_tokens; compatible servers know max_tokens.
  if (endpoint.provider === 'openai') body.max_completion_tokens = request.maxTokens;
  else body.max_tokens = request.maxTokens;
  return body;
}

/** The parts of a completion we read; a batch result line's body has the same shape, untyped. */
export interface OpenAiCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

export function openAiAnswer(data: OpenAiCompletion, requestId: string | null): ChatAnswer {
  const choice = data.choices?.[0];
  return {
    text: choice?.message?.content ?? '',
    // A server that sends no usage leaves the tokens unknown: 0 would be a silent lie.
    tokensIn: data.usage?.prompt_tokens ?? null,
    tokensOut: data.usage?.completion_tokens ?? null,
    finishReason: choice?.finish_reason ?? null,
    requestId,
  };
}

export function createOpenAiClient(options: OpenAiClientOptions): TeacherClient {
  const endpoint = endpointOf(options);
  if (options.provider === 'openai' && !options.apiKey) throw new CallError('no API key', { status: null });
  const client = openAiSdk(endpoint, options, options.apiKey);
  return sdkTeacherClient(
    endpoint,
    options.apiKey,
    async (request, signal) => {
      const { data, request_id } = await client.chat.completions.create(openAiBody(endpoint, request), { signal }).withResponse();
      return openAiAnswer(data, request_id ?? null);
    },
    async (request, signal, onText) => {
      // Streamed: text deltas as they come, then the usage in a last chunk (include_usage).
      const { data: chunks, request_id } = await client.chat.completions
        .create({ ...openAiBody(endpoint, request), stream: true, stream_options: { include_usage: true } }, { signal })
        .withResponse();
      let text = '';
      let finishReason: string | null = null;
      let usage: OpenAiCompletion['usage'] = null;
      for await (const chunk of chunks) {
        const choice = chunk.choices[0];
        if (choice?.delta?.content) {
          text += choice.delta.content;
          onText(text);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      // The SDK ends the iteration quietly when the signal aborts: a stopped stream is no answer.
      if (signal?.aborted) throw new CallError('cancelled', { aborted: true });
      return openAiAnswer({ choices: [{ message: { content: text }, finish_reason: finishReason }], usage }, request_id ?? null);
    },
  );
}
