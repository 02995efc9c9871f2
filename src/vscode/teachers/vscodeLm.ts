import * as vscode from 'vscode';
import type { EndpointConfig } from '../../core/teachers/client.ts';
import { registerEditorModels } from '../../core/teachers/client.ts';
import type { TeacherConfig } from '../../core/teachers/config.ts';
import { endpointOf } from '../../core/teachers/endpoint.ts';
import type { ChatAnswer, ChatRequest, OnText, TeacherClient } from '../../core/teachers/types.ts';
import { CallError } from '../../core/teachers/types.ts';

/**
 * Teachers that are the editor's own chat models (provider "vscode-lm"): whatever the user has
 * in VS Code — Copilot's, or any extension's registered provider — picked by vendor, family and
 * id (vscode.lm.selectChatModels). The stable API has user and assistant roles only, so the
 * system prompt opens the first user message; it has no temperature (the request key records
 * null, as for Anthropic). Tokens come from countTokens: counted, not billed, so the cost is
 * unknown unless the teacher's settings give a price. Errors a retry cannot mend (no permission,
 * blocked, no such model) stop the teacher for the run, with what to do.
 */

function describe(config: EndpointConfig): string {
  const c = config as TeacherConfig;
  return [c.vendor && `vendor ${c.vendor}`, c.family && `family ${c.family}`, `id ${c.model}`].filter(Boolean).join(', ');
}

function lmError(error: unknown, config: EndpointConfig): CallError {
  if (error instanceof vscode.CancellationError) return new CallError('cancelled', { aborted: true });
  if (error instanceof vscode.LanguageModelError) {
    switch (error.code) {
      case 'NoPermissions':
        return new CallError(
          `the editor did not allow MAPD Curator to use the model (${describe(config)}): allow it when VS Code asks, or in the Accounts menu`,
          { unreachable: true },
        );
      case 'Blocked':
        return new CallError(`the editor blocked the request to ${describe(config)} (quota or rate limit); try again later`, { unreachable: true });
      case 'NotFound':
        return new CallError(`no chat model in the editor matches ${describe(config)}`, { unreachable: true });
      default:
        return new CallError(`the editor's model failed: ${error.message}`, { retryable: true });
    }
  }
  return new CallError(`the editor's model failed: ${error instanceof Error ? error.message : String(error)}`, { retryable: true });
}

async function selectModel(config: EndpointConfig): Promise<vscode.LanguageModelChat> {
  const c = config as TeacherConfig;
  const selector: vscode.LanguageModelChatSelector = {
    ...(c.vendor ? { vendor: c.vendor } : {}),
    ...(c.family ? { family: c.family } : {}),
    ...(c.model && c.model !== '*' ? { id: c.model } : {}),
  };
  const [model] = await vscode.lm.selectChatModels(selector);
  if (!model)
    throw new CallError(`no chat model in the editor matches ${describe(config)} (MAPD: Set Up Teachers… lists what the editor offers)`, { unreachable: true });
  return model;
}

export function createEditorModelClient(config: EndpointConfig): TeacherClient {
  let chosen: Promise<vscode.LanguageModelChat> | undefined;
  const complete = async (request: ChatRequest, signal?: AbortSignal, onText?: OnText): Promise<ChatAnswer> => {
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = (): void => cancel.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      chosen ??= selectModel(config);
      const model = await chosen.catch((error: unknown) => {
        chosen = undefined;
        throw error;
      });
      const system = request.messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const turns = request.messages.filter((m) => m.role !== 'system');
      const messages = turns.map((m, i) => {
        const content = i === 0 && system && m.role === 'user' ? `${system}\n\n${m.content}` : m.content;
        return m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(content) : vscode.LanguageModelChatMessage.User(content);
      });
      if (signal?.aborted) throw new CallError('cancelled', { aborted: true });
      const response = await model.sendRequest(
        messages,
        { justification: 'MAPD Curator asks the teachers you configured for critiques, rationales and reviews.' },
        cancel.token,
      );
      let text = '';
      for await (const part of response.text) {
        text += part;
        onText?.(text);
      }
      if (signal?.aborted) throw new CallError('cancelled', { aborted: true });
      const counted = await Promise.all([...messages.map((m) => model.countTokens(m, cancel.token)), model.countTokens(text, cancel.token)]);
      const tokensOut = counted.pop() ?? 0;
      return { text, tokensIn: counted.reduce((a, b) => a + b, 0), tokensOut, finishReason: 'stop', requestId: null };
    } catch (error) {
      if (error instanceof CallError) throw error;
      if (signal?.aborted) throw new CallError('cancelled', { aborted: true });
      throw lmError(error, config);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  };
  // The editor's models stream by nature: complete is the stream with no listener.
  return {
    endpoint: endpointOf(config as TeacherConfig),
    complete: (request, signal) => complete(request, signal),
    stream: (request, signal, onText) => complete(request, signal, onText),
  };
}

/** Lets the core build vscode-lm teachers in this extension host; undone on deactivation. */
export function registerEditorModelTeachers(): vscode.Disposable {
  registerEditorModels(async (config) => createEditorModelClient(config));
  return { dispose: () => registerEditorModels(undefined) };
}
