// Azure's credential fields and the Azure CLI's login, SDK-free (the catalogue imports it eagerly).
// Order, as for every cloud: environment (a service principal in AZURE_TENANT_ID + AZURE_CLIENT_ID +
// AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, the variables @azure/identity's EnvironmentCredential reads),
// then stored (Set Credentials… / `cloudtop login azure`), then the Azure CLI's login (`az login`): its profile
// (~/.azure/azureProfile.json, or $AZURE_CONFIG_DIR) says whether someone signed in, and the provider then asks
// `az account get-access-token` through @azure/identity's AzureCliCredential; in VS Code, last, the Microsoft account
// (src/vscode/microsoftAccount.ts, credentials `{ login: 'vscode' }`). Never DefaultAzureCredential: its
// managed-identity probe waits on 169.254.169.254 on a developer machine.
import { join } from 'node:path';
import { readSmallFile } from '../../core/credentials/config-files';
import type { CredentialField, Credentials } from '../../core/credentials/fields';

/** Marks credentials that stand for a login rather than a service principal (the `login` key). */
export const AZURE_CLI_LOGIN = 'azure-cli';
/** The Azure CLI's own application id: its tokens are issued to it (shown as the client of an `az` login). */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
/** Credentials of VS Code's built-in Microsoft account (the extension's sign-in; tokens come from VS Code). */
export const VSCODE_LOGIN = 'vscode';
/** VS Code's own application id, to which the Microsoft account's tokens are issued (their `appid` claim). */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

export const azureCredentialFields: readonly CredentialField[] = [
  {
    key: 'tenantId',
    label: 'Tenant (directory) ID',
    secret: false,
    env: ['AZURE_TENANT_ID'],
    placeholder: '00000000-0000-0000-0000-000000000000',
  },
  { key: 'clientId', label: 'Client (application) ID of the service principal', secret: false, env: ['AZURE_CLIENT_ID'] },
  { key: 'clientSecret', label: 'Client secret (empty: use a certificate)', secret: true, optional: true, env: ['AZURE_CLIENT_SECRET'] },
  {
    key: 'clientCertificatePath',
    label: 'Client certificate PEM file (empty: use the secret)',
    secret: false,
    optional: true,
    env: ['AZURE_CLIENT_CERTIFICATE_PATH'],
  },
  {
    key: 'subscriptionId',
    label: 'Subscription ID (empty: every subscription it can read)',
    secret: false,
    optional: true,
    env: ['AZURE_SUBSCRIPTION_ID'],
  },
  {
    key: 'authorityHost',
    label: 'Authority host (empty: https://login.microsoftonline.com)',
    secret: false,
    optional: true,
    env: ['AZURE_AUTHORITY_HOST'],
  },
];

/** The Azure CLI's configuration folder (`AZURE_CONFIG_DIR`, else ~/.azure). */
export function azureConfigDir(env: NodeJS.ProcessEnv): string | undefined {
  const named = env.AZURE_CONFIG_DIR?.trim();
  if (named) return named;
  const home = env.HOME || env.USERPROFILE;
  return home ? join(home, '.azure') : undefined;
}

/**
 * The Azure CLI's login, when there is one: its profile lists the subscriptions of a signed-in account (`az logout`
 * empties it). The token itself stays with the CLI. AZURE_SUBSCRIPTION_ID narrows to one subscription here too.
 */
export async function readAzureCliLogin(env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const dir = azureConfigDir(env);
  if (!dir) return undefined;
  // One entry per subscription: a large directory's profile outgrows the small-file cap of a CLI key file.
  const text = await readSmallFile(join(dir, 'azureProfile.json'), {
    maxBytes: 4 * 1024 * 1024,
    cloud: 'azure',
    what: "The Azure CLI's profile",
  });
  if (text === undefined) return undefined;
  let profile: { subscriptions?: { isDefault?: boolean; tenantId?: string; homeTenantId?: string }[] };
  try {
    // The CLI writes it with a byte-order mark.
    profile = JSON.parse(text.replace(/^\uFEFF/, '')) as typeof profile;
  } catch {
    return undefined;
  }
  const subscriptions = Array.isArray(profile.subscriptions) ? profile.subscriptions : [];
  const chosen = subscriptions.find((s) => s?.isDefault) ?? subscriptions[0];
  const tenantId = chosen?.tenantId ?? chosen?.homeTenantId;
  if (typeof tenantId !== 'string' || tenantId === '') return undefined;
  const subscriptionId = env.AZURE_SUBSCRIPTION_ID?.trim();
  return { login: AZURE_CLI_LOGIN, tenantId, clientId: AZURE_CLI_CLIENT_ID, ...(subscriptionId ? { subscriptionId } : {}) };
}
