import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FineTuneOptions, FineTuneState } from './fineTuning.ts';
import { createFineTuneState, routeFineTuning } from './fineTuning.ts';
import { seededRandom as random } from './random.ts';

/**
 * A local HTTP server that speaks the OpenAI chat-completions (+ Files and Batch) and the
 * Anthropic Messages (+ Message Batches) protocols closely enough for the official SDKs:
 * usage fields, error bodies, request-id headers, retry-after. It counts requests per request
 * fingerprint (so tests can prove an answered request is never sent again) and can inject
 * faults: 429 with retry-after, 500, 503, connection reset, a hang past the client's timeout,
 * a truncated body, empty content, an unparseable review. A responder may also say the answer
 * stopped at the token limit (finish reason length / max_tokens), and the server can leave out
 * `usage` as some compatible servers do.
 */
export type Protocol = 'openai' | 'anthropic';
export type FaultKind = '429' | '500' | '503' | 'reset' | 'hang' | 'truncated' | 'empty' | 'unparseable';
export const ALL_FAULTS: readonly FaultKind[] = ['429', '500', '503', 'reset', 'hang', 'truncated', 'empty', 'unparseable'];

export interface ChatInput {
  model: string;
  /** System first (Anthropic's `system` is folded in), then the conversation. */
  messages: { role: string; content: string }[];
  temperature: number | null;
  maxTokens: number;
}

/** The answer's text, or the text and why it stopped ('length': cut at max tokens). */
export type Responder = (input: ChatInput) => string | { text: string; finish: 'stop' | 'length' };

export interface FakeServerOptions {
  protocol: Protocol;
  /** The only key the server accepts; others get the provider's 401. */
  apiKey?: string;
  latencyMs?: number;
  faultRate?: number;
  faults?: readonly FaultKind[];
  seed?: number;
  /** What 429 and 5xx answers ask the client to wait. */
  retryAfterMs?: number;
  responder?: Responder;
  /** Message Batches / Batch complete after this many status polls. */
  batchPollsToComplete?: number;
  /** How fine-tuning jobs (OpenAI protocol) progress and end. */
  fineTune?: FineTuneOptions;
  /** A streamed answer (`stream: true`) is sent in this many pieces, this far apart. */
  streamPieces?: number;
  streamDelayMs?: number;
  /** Leave `usage` out of every answer. */
  omitUsage?: boolean;
}

export interface RequestRecord {
  fingerprint: string;
  fault: FaultKind | null;
  at: number;
}

export interface FakeServer {
  url: string;
  /** The base URL an SDK takes: .../v1 for OpenAI, the root for Anthropic. */
  baseUrl: string;
  requests: RequestRecord[];
  /** Chat requests per fingerprint (every attempt, faulted or not). */
  counts: Map<string, number>;
  /** Answered (200 with content) per fingerprint. */
  answered: Map<string, number>;
  faultsServed: Map<FaultKind, number>;
  /** Fine-tuning jobs and the requests made of them. */
  fineTuning: FineTuneState;
  setFaultRate(rate: number): void;
  /** The next n chat requests get this fault, whatever the rate. */
  failNext(kind: FaultKind, n?: number): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** The identity of a chat request as the server sees it; tests compute it from the ledger's request JSON. */
export function fingerprintOf(input: ChatInput): string {
  const canonical = JSON.stringify([input.model, input.messages.map((m) => [m.role, m.content]), input.temperature, input.maxTokens]);
  return createHash('sha256').update(canonical).digest('hex');
}

const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));
const id = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

export const defaultResponder: Responder = (input) => {
  const last = input.messages[input.messages.length - 1]?.content ?? '';
  if (/Score: N/.test(last)) return 'The reasoning is sound and reaches the right answer. Score: 4';
  return `A careful answer from ${input.model}. The answer is 42.`;
};

interface BatchState {
  protocol: Protocol;
  id: string;
  requests: { customId: string; input: ChatInput }[];
  polls: number;
  created: number;
  outputFileId: string | null;
  cancelled: boolean;
}

export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const protocol = options.protocol;
  let latencyMs = options.latencyMs ?? 0;
  let faultRate = options.faultRate ?? 0;
  const faultKinds = options.faults ?? ALL_FAULTS;
  // Seeded: fault sequences repeat run to run.
  const rand = random(options.seed ?? 1);
  const retryAfterMs = options.retryAfterMs ?? 20;
  const respondWith = options.responder ?? defaultResponder;
  const responder = (input: ChatInput): { text: string; finish: 'stop' | 'length' } => {
    const answer = respondWith(input);
    return typeof answer === 'string' ? { text: answer, finish: 'stop' } : answer;
  };
  const pollsToComplete = options.batchPollsToComplete ?? 2;
  const requests: RequestRecord[] = [];
  const counts = new Map<string, number>();
  const answered = new Map<string, number>();
  const faultsServed = new Map<FaultKind, number>();
  const files = new Map<string, { filename: string; content: string; purpose: string }>();
  const batches = new Map<string, BatchState>();
  const fineTuning = createFineTuneState();
  const sockets = new Set<Socket>();
  const hanging = new Set<http.ServerResponse>();
  let baseUrlForResults = '';

  const requestId = (): string => (protocol === 'openai' ? id('req_') : id('req_011'));

  const commonHeaders = (rid: string): Record<string, string> =>
    protocol === 'openai'
      ? {
          'x-request-id': rid,
          'openai-processing-ms': String(latencyMs),
          'openai-version': '2020-10-01',
          'x-ratelimit-limit-requests': '10000',
          'x-ratelimit-remaining-requests': '9999',
        }
      : { 'request-id': rid, 'anthropic-ratelimit-requests-limit': '4000', 'anthropic-ratelimit-requests-remaining': '3999' };

  const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    const rid = requestId();
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...commonHeaders(rid), ...headers });
    res.end(text);
  };

  const sendError = (res: http.ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void => {
    if (protocol === 'openai') {
      sendJson(
        res,
        status,
        { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : null } },
        headers,
      );
    } else {
      sendJson(res, status, { type: 'error', error: { type, message }, request_id: requestId() }, headers);
    }
  };

  const authorised = (req: http.IncomingMessage): { ok: boolean; shown: string } => {
    if (!options.apiKey) return { ok: true, shown: '' };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = (req.headers['x-api-key'] as string | undefined) ?? bearer ?? '';
    // Like OpenAI, echo a masked key in the message: clients must scrub it.
    const shown = given.length > 10 ? `${given.slice(0, 6)}***${given.slice(-4)}` : given;
    return { ok: given === options.apiKey, shown };
  };

  const chatResponse = (input: ChatInput, answer: string | { text: string; finish: 'stop' | 'length' }, finish = 'stop'): unknown => {
    const text = typeof answer === 'string' ? answer : answer.text;
    if (typeof answer !== 'string') finish = answer.finish;
    const promptTokens = input.messages.reduce((n, m) => n + tokens(m.content) + 4, 0);
    const completionTokens = text === '' ? 0 : tokens(text);
    const usage = <T>(value: T): { usage?: T } => (options.omitUsage ? {} : { usage: value });
    if (protocol === 'openai') {
      return {
        id: id('chatcmpl-'),
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: input.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finish }],
        ...usage({ prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }),
        system_fingerprint: 'fp_local',
      };
    }
    return {
      id: id('msg_'),
      type: 'message',
      role: 'assistant',
      model: input.model,
      content: text === '' ? [] : [{ type: 'text', text }],
      stop_reason: finish === 'stop' ? 'end_turn' : finish === 'length' ? 'max_tokens' : finish,
      stop_sequence: null,
      ...usage({ input_tokens: promptTokens, output_tokens: completionTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }),
    };
  };

  const parseChat = (body: Record<string, unknown>): ChatInput | string => {
    if (typeof body.model !== 'string') return 'model: Field required';
    if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required';
    const messages: { role: string; content: string }[] = [];
    if (protocol === 'anthropic') {
      if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
      if ('temperature' in body) return 'temperature: Extra inputs are not permitted';
      if (typeof body.system === 'string') messages.push({ role: 'system', content: body.system });
    }
    for (const m of body.messages as { role?: unknown; content?: unknown }[]) {
      const content =
        typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? (m.content as { text?: string }[]).map((c) => c.text ?? '').join('') : null;
      if (typeof m.role !== 'string' || content === null) return 'messages: each message needs a role and content';
      messages.push({ role: m.role, content });
    }
    const maxTokens = (body.max_completion_tokens ?? body.max_tokens ?? 0) as number;
    const temperature = typeof body.temperature === 'number' ? body.temperature : null;
    return { model: body.model, messages, temperature, maxTokens };
  };

  const forced: FaultKind[] = [];
  const pickFault = (): FaultKind | null => {
    if (forced.length > 0) return forced.shift() as FaultKind;
    if (faultRate <= 0 || rand() >= faultRate) return null;
    return faultKinds[Math.floor(rand() * faultKinds.length)] ?? null;
  };

  const retryHeaders = (): Record<string, string> => ({
    'retry-after-ms': String(retryAfterMs),
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });

  const handleChat = (req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>): void => {
    const input = parseChat(body);
    if (typeof input === 'string') return sendError(res, 400, 'invalid_request_error', input);
    const fingerprint = fingerprintOf(input);
    counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
    const fault = pickFault();
    requests.push({ fingerprint, fault, at: Date.now() });
    if (fault) faultsServed.set(fault, (faultsServed.get(fault) ?? 0) + 1);
    const respond = (): void => {
      switch (fault) {
        case '429':
          return sendError(
            res,
            429,
            protocol === 'openai' ? 'requests' : 'rate_limit_error',
            'Rate limit reached for requests. Please try again shortly.',
            retryHeaders(),
          );
        case '500':
          return sendError(
            res,
            500,
            protocol === 'openai' ? 'server_error' : 'api_error',
            'The server had an error while processing your request.',
            retryHeaders(),
          );
        case '503':
          return sendError(
            res,
            503,
            protocol === 'openai' ? 'server_error' : 'overloaded_error',
            'The engine is currently overloaded, please try again later.',
            retryHeaders(),
          );
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        case 'truncated': {
          const text = JSON.stringify(chatResponse(input, responder(input)));
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...commonHeaders(requestId()) });
          res.write(text.slice(0, Math.floor(text.length / 2)));
          setTimeout(() => res.socket?.destroy(), 5);
          return;
        }
        case 'empty':
          return sendJson(res, 200, chatResponse(input, '', protocol === 'openai' ? 'stop' : 'end_turn'));
        case 'unparseable':
          answered.set(fingerprint, (answered.get(fingerprint) ?? 0) + 1);
          return sendJson(res, 200, chatResponse(input, 'The reasoning has strengths and weaknesses; hard to say.'));
        default:
          answered.set(fingerprint, (answered.get(fingerprint) ?? 0) + 1);
          if (body.stream === true) return streamChat(res, input, responder(input));
          return sendJson(res, 200, chatResponse(input, responder(input)));
      }
    };
    if (latencyMs > 0) setTimeout(respond, latencyMs);
    else respond();
  };

  /**
   * The answer as server-sent events, as each provider streams it: OpenAI's chat.completion.chunk
   * deltas (usage in a last chunk when asked), Anthropic's message_start … content_block_delta …
   * message_delta … message_stop. The pieces go out streamDelayMs apart; a client that goes away
   * stops the stream.
   */
  const streamChat = (res: http.ServerResponse, input: ChatInput, answer: ReturnType<Responder>): void => {
    const full = chatResponse(input, answer) as Record<string, unknown>;
    const text = typeof answer === 'string' ? answer : (answer as { text: string }).text;
    const pieces = Math.max(1, options.streamPieces ?? 4);
    const size = Math.ceil(text.length / pieces) || 1;
    const parts = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...commonHeaders(requestId()) });
    const events: string[] = [];
    if (protocol === 'openai') {
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id: full.id, object: 'chat.completion.chunk', created: full.created, model: full.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
      events.push(chunk({ role: 'assistant', content: '' }, null));
      for (const part of parts) events.push(chunk({ content: part }, null));
      const choices = full.choices as { finish_reason: string }[];
      events.push(chunk({}, choices[0]?.finish_reason ?? 'stop'));
      if (full.usage)
        events.push(
          `data: ${JSON.stringify({ id: full.id, object: 'chat.completion.chunk', created: full.created, model: full.model, choices: [], usage: full.usage })}\n\n`,
        );
      events.push('data: [DONE]\n\n');
    } else {
      const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      const usage = (full.usage ?? {}) as Record<string, number>;
      events.push(event('message_start', { message: { ...full, content: [], stop_reason: null, usage: { ...usage, output_tokens: 0 } } }));
      events.push(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
      for (const part of parts) events.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: part } }));
      events.push(event('content_block_stop', { index: 0 }));
      events.push(
        event('message_delta', { delta: { stop_reason: full.stop_reason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens ?? 0 } }),
      );
      events.push(event('message_stop', {}));
    }
    let i = 0;
    const next = (): void => {
      if (res.destroyed) return;
      const line = events[i++];
      if (line === undefined) return void res.end();
      res.write(line);
      setTimeout(next, options.streamDelayMs ?? 0);
    };
    next();
  };

  // ---- batches ----
  const batchCompleted = (batch: BatchState): boolean => batch.polls >= pollsToComplete || batch.cancelled;

  const openAiBatchObject = (batch: BatchState): unknown => {
    const done = batchCompleted(batch);
    if (done && !batch.outputFileId && !batch.cancelled) {
      const lines = batch.requests.map(({ customId, input }) => {
        const fingerprint = fingerprintOf(input);
        counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
        answered.set(fingerprint, (answered.get(fingerprint) ?? 0) + 1);
        return JSON.stringify({
          id: id('batch_req_'),
          custom_id: customId,
          response: { status_code: 200, request_id: requestId(), body: chatResponse(input, responder(input)) },
          error: null,
        });
      });
      batch.outputFileId = id('file-');
      files.set(batch.outputFileId, { filename: 'batch_output.jsonl', content: `${lines.join('\n')}\n`, purpose: 'batch_output' });
    }
    const n = batch.requests.length;
    return {
      id: batch.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: 'file-input',
      completion_window: '24h',
      status: batch.cancelled ? 'cancelled' : done ? 'completed' : 'in_progress',
      output_file_id: batch.outputFileId,
      error_file_id: null,
      created_at: Math.floor(batch.created / 1000),
      completed_at: done ? Math.floor(Date.now() / 1000) : null,
      request_counts: { total: n, completed: done ? n : 0, failed: 0 },
      metadata: null,
    };
  };

  const anthropicBatchObject = (batch: BatchState): unknown => {
    const done = batchCompleted(batch);
    const n = batch.requests.length;
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: done ? 'ended' : 'in_progress',
      request_counts: { processing: done ? 0 : n, succeeded: done && !batch.cancelled ? n : 0, errored: 0, canceled: batch.cancelled ? n : 0, expired: 0 },
      ended_at: done ? new Date().toISOString() : null,
      created_at: new Date(batch.created).toISOString(),
      expires_at: new Date(batch.created + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: batch.cancelled ? new Date().toISOString() : null,
      results_url: done ? `${baseUrlForResults}/v1/messages/batches/${batch.id}/results` : null,
    };
  };

  const route = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const auth = authorised(req);
    if (!auth.ok) {
      if (protocol === 'openai')
        return sendError(
          res,
          401,
          'invalid_request_error',
          `Incorrect API key provided: ${auth.shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        );
      return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
    }
    const json = (): Record<string, unknown> => (raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {});
    if (protocol === 'openai') {
      if (req.method === 'POST' && path === '/v1/chat/completions') return handleChat(req, res, json());
      if (path.startsWith('/v1/fine_tuning/') && routeFineTuning(fineTuning, options.fineTune ?? {}, req, res, path, json, files, sendJson, sendError)) return;
      if (req.method === 'POST' && path === '/v1/files') {
        const form = await new Request('http://local/upload', {
          method: 'POST',
          headers: req.headers as Record<string, string>,
          body: new Uint8Array(raw),
        }).formData();
        const file = form.get('file');
        if (!file || typeof file === 'string') return sendError(res, 400, 'invalid_request_error', 'file: Field required');
        const fileId = id('file-');
        files.set(fileId, { filename: file.name, content: await file.text(), purpose: String(form.get('purpose') ?? '') });
        return sendJson(res, 200, {
          id: fileId,
          object: 'file',
          bytes: file.size,
          created_at: Math.floor(Date.now() / 1000),
          filename: file.name,
          purpose: form.get('purpose'),
          status: 'processed',
          expires_at: null,
          status_details: null,
        });
      }
      const content = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
      if (req.method === 'GET' && content) {
        const file = files.get(content[1] as string);
        if (!file) return sendError(res, 404, 'invalid_request_error', 'No such File object');
        res.writeHead(200, { 'content-type': 'application/octet-stream', ...commonHeaders(requestId()) });
        return void res.end(file.content);
      }
      if (req.method === 'POST' && path === '/v1/batches') {
        const body = json();
        const file = files.get(String(body.input_file_id));
        if (!file) return sendError(res, 400, 'invalid_request_error', 'input_file_id: no such file');
        const batch: BatchState = { protocol, id: id('batch_'), requests: [], polls: 0, created: Date.now(), outputFileId: null, cancelled: false };
        for (const line of file.content.split('\n').filter((l) => l.trim())) {
          const item = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
          const input = parseChat(item.body);
          if (typeof input === 'string') return sendError(res, 400, 'invalid_request_error', `line ${item.custom_id}: ${input}`);
          batch.requests.push({ customId: item.custom_id, input });
        }
        batches.set(batch.id, batch);
        return sendJson(res, 200, openAiBatchObject(batch));
      }
      const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
      if (batchMatch) {
        const batch = batches.get(batchMatch[1] as string);
        if (!batch) return sendError(res, 404, 'invalid_request_error', 'No such batch');
        if (batchMatch[2]) batch.cancelled = true;
        else batch.polls++;
        return sendJson(res, 200, openAiBatchObject(batch));
      }
    } else {
      if (req.method === 'POST' && path === '/v1/messages') return handleChat(req, res, json());
      if (req.method === 'POST' && path === '/v1/messages/batches') {
        const body = json() as { requests?: { custom_id: string; params: Record<string, unknown> }[] };
        const batch: BatchState = { protocol, id: id('msgbatch_'), requests: [], polls: 0, created: Date.now(), outputFileId: null, cancelled: false };
        for (const item of body.requests ?? []) {
          const input = parseChat(item.params);
          if (typeof input === 'string') return sendError(res, 400, 'invalid_request_error', `requests.${item.custom_id}: ${input}`);
          batch.requests.push({ customId: item.custom_id, input });
        }
        batches.set(batch.id, batch);
        return sendJson(res, 200, anthropicBatchObject(batch));
      }
      const results = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path);
      if (req.method === 'GET' && results) {
        const batch = batches.get(results[1] as string);
        if (!batch || !batchCompleted(batch)) return sendError(res, 404, 'not_found_error', 'results not available');
        const lines = batch.requests.map(({ customId, input }) => {
          const fingerprint = fingerprintOf(input);
          counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
          answered.set(fingerprint, (answered.get(fingerprint) ?? 0) + 1);
          return JSON.stringify({ custom_id: customId, result: { type: 'succeeded', message: chatResponse(input, responder(input)) } });
        });
        res.writeHead(200, { 'content-type': 'application/binary', ...commonHeaders(requestId()) });
        return void res.end(`${lines.join('\n')}\n`);
      }
      const batchMatch = /^\/v1\/messages\/batches\/([^/]+)(\/cancel)?$/.exec(path);
      if (batchMatch) {
        const batch = batches.get(batchMatch[1] as string);
        if (!batch) return sendError(res, 404, 'not_found_error', 'batch not found');
        if (batchMatch[2]) batch.cancelled = true;
        else batch.polls++;
        return sendJson(res, 200, anthropicBatchObject(batch));
      }
    }
    return sendError(res, 404, protocol === 'openai' ? 'invalid_request_error' : 'not_found_error', `Unknown request URL: ${req.method} ${path}`);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      route(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'server_error', `fake server: ${(error as Error).message}`);
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  baseUrlForResults = url;
  return {
    url,
    baseUrl: protocol === 'openai' ? `${url}/v1` : url,
    requests,
    counts,
    answered,
    faultsServed,
    fineTuning,
    setFaultRate: (rate) => {
      faultRate = rate;
    },
    failNext: (kind, n = 1) => {
      for (let i = 0; i < n; i++) forced.push(kind);
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
