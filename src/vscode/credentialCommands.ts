// "Cloudtop: Set Credentials…" and "Cloudtop: Sign Out…": pick the cloud, then each field it needs
// (secrets masked). Values go to SecretStorage only — never settings, logs or globalState.
import * as vscode from 'vscode';
import type { CredentialStore } from '../core/credentials/credentials';
import { promptedFields } from '../core/credentials/fields';
import { CLOUD_IDS, CLOUD_NAMES, isCloudId, type CloudId } from '../core/model/model';
import type { Catalogue } from '../core/engine/registry';
import { registerSecret } from '../core/errors/redact';

export const REDIS_PICK = 'redis';

async function pickCloud(catalogue: Catalogue, placeHolder: string, extra: vscode.QuickPickItem[] = []): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { id: string })[] = CLOUD_IDS.filter((cloud) => catalogue[cloud]).map((cloud) => ({
    label: CLOUD_NAMES[cloud],
    id: cloud,
  }));
  items.push(...extra.map((item) => ({ ...item, id: item.label === 'Redis' ? REDIS_PICK : item.label })));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  return picked?.id;
}

export async function setCredentials(
  catalogue: Catalogue,
  store: CredentialStore,
  secrets: vscode.SecretStorage,
  redisKey: string,
  cloudArg?: unknown,
): Promise<CloudId | 'redis' | undefined> {
  const target = isCloudId(cloudArg)
    ? cloudArg
    : await pickCloud(catalogue, 'Set credentials for which cloud?', [{ label: 'Redis', description: 'password of the shared cache' }]);
  if (!target) return undefined;
  if (target === REDIS_PICK) {
    const password = await vscode.window.showInputBox({
      title: 'Cloudtop: Redis password',
      prompt: 'Password of the Redis server in cloudtop.redis.url',
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return undefined;
    registerSecret(password);
    await secrets.store(redisKey, password);
    return 'redis';
  }
  if (!isCloudId(target)) return undefined;
  const entry = catalogue[target];
  if (!entry) return undefined;
  const values: Record<string, string> = {};
  const fields = promptedFields(entry.credentialFields);
  for (const [index, field] of fields.entries()) {
    const alternative = entry.credentialFields.find((f) => f !== field && f.oneOf !== undefined && f.oneOf === field.oneOf && f.env.length);
    const value = await vscode.window.showInputBox({
      title: `Connect ${entry.displayName} (${index + 1}/${fields.length})`,
      prompt: `${field.label}${field.env.length ? ` (or set ${field.env[0]})` : alternative ? ` (or set ${alternative.env[0]})` : ''}`,
      placeHolder: field.placeholder,
      password: field.secret,
      ignoreFocusOut: true,
      validateInput: (v) =>
        !field.optional && v.trim() === '' ? `${field.label} is required` : v.trim() ? field.validate?.(v.trim()) : undefined,
    });
    if (value === undefined) return undefined;
    if (value.trim() !== '') values[field.key] = value.trim();
    if (field.secret && value.trim()) registerSecret(value.trim());
  }
  await store.set(target, values);
  return target;
}

export async function signOut(
  catalogue: Catalogue,
  store: CredentialStore,
  secrets: vscode.SecretStorage,
  redisKey: string,
  cloudArg?: unknown,
): Promise<CloudId | 'redis' | undefined> {
  const target = isCloudId(cloudArg)
    ? cloudArg
    : await pickCloud(catalogue, 'Remove the stored credentials of which cloud?', [
        { label: 'Redis', description: 'password of the shared cache' },
      ]);
  if (!target) return undefined;
  if (target === REDIS_PICK) {
    await secrets.delete(redisKey);
    return 'redis';
  }
  if (!isCloudId(target)) return undefined;
  await store.delete(target);
  void vscode.window.showInformationMessage(
    `Removed the stored ${CLOUD_NAMES[target]} credentials. Keys in environment variables or the cloud's own CLI login still apply.`,
  );
  return target;
}
