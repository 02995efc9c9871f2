import * as vscode from 'vscode';
import { UserError } from '../../core/errors.ts';
import { required } from '../common/run.ts';
import { showInfo } from '../common/notify.ts';

/**
 * "MAPD: Set Up Teachers…": the chat models the editor offers (vscode.lm), any of which becomes a
 * teacher of the committee with one pick — written to the workspace's mapd.teachers setting as a
 * vscode-lm teacher. API teachers (OpenAI, Anthropic, a compatible server) are edited in the
 * setting itself, which the last item opens.
 * Scripted: mapd.setUpTeachers({ pick: [modelId, …] }) adds those models and returns the new ids.
 */
export async function setUpTeachers(args: { pick?: readonly string[] } | undefined): Promise<string[]> {
  const models = await vscode.lm.selectChatModels({});
  const config = vscode.workspace.getConfiguration('mapd');
  const teachers = (config.get<Record<string, unknown>[]>('teachers') ?? []).slice();
  const taken = new Set(teachers.map((t) => String(t.id)));
  let chosen: vscode.LanguageModelChat[];
  if (args?.pick) {
    chosen = models.filter((m) => args.pick?.includes(m.id));
    const missing = args.pick.filter((id) => !models.some((m) => m.id === id));
    if (missing.length > 0)
      throw new UserError(`the editor offers no chat model ${missing.join(', ')}`, {
        where: 'command argument',
        next: `Use one of: ${models.map((m) => m.id).join(', ') || 'none (install a chat model provider)'}`,
      });
  } else {
    type Item = vscode.QuickPickItem & { model?: vscode.LanguageModelChat; settings?: true };
    const items: Item[] = [
      ...models.map((m) => ({
        label: m.name || m.id,
        description: `${m.vendor} · ${m.family}${taken.has(m.id) ? ' · already a teacher' : ''}`,
        detail: `id ${m.id}, up to ${m.maxInputTokens.toLocaleString('en-US')} input tokens`,
        model: m,
      })),
      { label: 'Edit mapd.teachers (OpenAI, Anthropic, a compatible server)…', settings: true },
    ];
    const picked = required(
      await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: models.length > 0 ? "The editor's chat models: pick teachers" : 'The editor offers no chat model',
        ignoreFocusOut: true,
      }),
    );
    if (picked.some((p) => p.settings)) void vscode.commands.executeCommand('workbench.action.openSettings', 'mapd.teachers');
    chosen = picked.flatMap((p) => (p.model ? [p.model] : []));
  }
  const added: string[] = [];
  for (const model of chosen) {
    let id = `${model.family || model.id}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'editor-model';
    for (let n = 2; taken.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
    taken.add(id);
    teachers.push({ id, provider: 'vscode-lm', vendor: model.vendor, family: model.family, model: model.id });
    added.push(id);
  }
  if (added.length > 0) {
    await config.update('teachers', teachers, vscode.ConfigurationTarget.Workspace);
    if (!args) void showInfo(`Added ${added.join(', ')} to the committee (mapd.teachers). Their tokens are counted by the editor; set "price" to see a cost.`);
  }
  return added;
}
