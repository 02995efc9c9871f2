import * as vscode from 'vscode';
import type { MapdConfig } from '../../core/teachers/config.ts';
import { parseConfig } from '../../core/teachers/config.ts';
import type { EndpointConfig, KeySource } from '../../core/teachers/client.ts';
import { UserError } from '../../core/errors.ts';

/**
 * Teacher, student, prompt and review settings (mapd.teachers, mapd.student, mapd.prompts,
 * mapd.review.*), validated by the same code as the CLI's config file. The first three are
 * restricted configurations: in an untrusted workspace VS Code ignores the workspace's values,
 * so a workspace cannot point a key at a host of its choosing. Keys live in SecretStorage only.
 */
export function readTeacherSettings(): MapdConfig {
  const config = vscode.workspace.getConfiguration('mapd');
  const review = vscode.workspace.getConfiguration('mapd.review');
  return parseConfig(
    {
      teachers: config.get('teachers') ?? [],
      student: config.get('student') ?? undefined,
      prompts: config.get('prompts') ?? {},
      review: {
        threshold: review.get('threshold'),
        aggregation: review.get('aggregation'),
        skipUndecidable: review.get('skipUndecidable'),
        scale: { min: review.get('scaleMin') ?? 1, max: review.get('scaleMax') ?? 5 },
      },
    },
    'settings (mapd.*)',
  );
}

const secretName = (id: string): string => `mapd.apiKey.${id}`;

export async function storeKey(secrets: vscode.SecretStorage, id: string, key: string): Promise<void> {
  if (key.trim() === '') await secrets.delete(secretName(id));
  else await secrets.store(secretName(id), key.trim());
}

export function secretKeySource(secrets: vscode.SecretStorage): KeySource {
  return async (config: EndpointConfig) => (await secrets.get(secretName(config.id))) ?? undefined;
}

/** Jobs send data and keys to endpoints: only in a trusted workspace. */
export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) {
    throw new UserError('this workspace is not trusted, so MAPD sends nothing to teacher or student endpoints', {
      next: 'Trust the workspace (Manage Workspace Trust) to run teachers and exams',
    });
  }
}
