import { UserError } from '../errors.ts';
import { createAnthropicClient } from './anthropic.ts';
import type { StudentConfig, TeacherConfig } from './config.ts';
import { createOpenAiClient } from './openai.ts';
import { SDK_CHAT_RETRIES } from './retryPolicy.ts';
import type { TeacherClient } from './types.ts';

export type EndpointConfig = TeacherConfig | StudentConfig;

/**
 * Where keys come from: the CLI reads the environment variable named in its config, the
 * extension reads SecretStorage. Undefined = no key (fine for a local compatible server).
 */
export type KeySource = (config: EndpointConfig) => Promise<string | undefined>;

/** The CLI's key source: the variable named by apiKeyEnv. */
export function envKeySource(env: NodeJS.ProcessEnv): KeySource {
  return async (config) => {
    if (!config.apiKeyEnv) return undefined;
    const value = env[config.apiKeyEnv];
    return value && value.trim() !== '' ? value.trim() : undefined;
  };
}

/**
 * Clients the core cannot build itself: the editor's own models (provider "vscode-lm") are
 * reachable only through the vscode API, so the extension registers their factory at activation
 * (src/vscode/teachers/vscodeLm.ts). The CLI registers none, and says so.
 */
type ClientFactory = (config: EndpointConfig, where: string) => Promise<TeacherClient>;
let editorModels: ClientFactory | undefined;

export function registerEditorModels(factory: ClientFactory | undefined): void {
  editorModels = factory;
}

export async function createClient(config: EndpointConfig, keys: KeySource, where: string): Promise<TeacherClient> {
  if (config.provider === 'vscode-lm') {
    if (!editorModels)
      throw new UserError(`teacher "${config.id}" is one of the editor's language models (provider "vscode-lm")`, {
        where,
        next: "Run this job in VS Code (MAPD: Collect Critiques…); the CLI cannot reach the editor's models",
      });
    return editorModels(config, where);
  }
  const apiKey = await keys(config);
  if (!apiKey && config.provider !== 'openai-compatible') {
    const next = config.apiKeyEnv
      ? `Set the environment variable ${config.apiKeyEnv} (the CLI) or run "MAPD: Set API Key…" (VS Code)`
      : 'Name the environment variable that holds it in "apiKeyEnv" (the CLI) or run "MAPD: Set API Key…" (VS Code)';
    throw new UserError(`no API key for "${config.id}"`, { where, next });
  }
  // The caller makes every attempt of a chat call (retryPolicy.ts): the SDK retries none.
  const common = {
    model: config.model,
    apiKey,
    timeoutMs: config.timeoutMs,
    maxRetries: SDK_CHAT_RETRIES,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
  };
  if (config.provider === 'anthropic') return createAnthropicClient(common);
  return createOpenAiClient({ provider: config.provider, ...common });
}
