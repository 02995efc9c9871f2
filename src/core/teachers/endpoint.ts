import type { Endpoint, Provider } from './types.ts';

/**
 * Endpoint identity: which server and model a request goes to. Part of every ledger key (the
 * same request to two servers is two requests), and what both the online clients and the batch
 * path build their SDK clients from.
 */
export const DEFAULT_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  // The editor's own models have no URL; their identity is vendor/family/id.
  'vscode-lm': 'vscode-lm:',
};

/** Lower-case scheme and host, no trailing slash, default ports dropped: one server, one identity. */
export function normaliseBaseUrl(provider: string, baseUrl: string | undefined): string {
  const raw = baseUrl ?? DEFAULT_BASE_URLS[provider] ?? '';
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return raw.replace(/\/+$/, '');
  }
}

export function endpointOf(config: {
  provider: Provider;
  model: string;
  baseUrl?: string | undefined;
  vendor?: string | undefined;
  family?: string | undefined;
}): Endpoint {
  const model = config.provider === 'vscode-lm' ? `${config.vendor ?? '*'}/${config.family ?? '*'}/${config.model}` : config.model;
  return { provider: config.provider, model, baseUrl: normaliseBaseUrl(config.provider, config.baseUrl) };
}

/** How an SDK client waits for and retries one request (retryPolicy.ts says which failures). */
export interface SdkSettings {
  timeoutMs: number;
  maxRetries: number;
}
