// Azure through VS Code's built-in Microsoft account, as Microsoft's own Azure extensions sign in: a user who is
// signed in to Microsoft in VS Code (with Resource Manager access granted once) needs no `az login` and no service
// principal. The engine asks `probe` silently — never a dialog during a refresh — and the provider asks `tokens` for
// each token; VS Code keeps and renews the session. "Cloudtop: Sign In to Azure with Microsoft" is the one step that
// may show VS Code's sign-in.
import * as vscode from 'vscode';
import { jwtClaims, jwtExpiresAt } from '../core/credentials/jwt';
import type { SignIn } from '../core/engine/provider';
import { CloudtopError } from '../core/errors/errors';
import { registerSecret } from '../core/errors/redact';
import { VSCODE_CLIENT_ID, VSCODE_LOGIN } from '../providers/azure/credentials';
import { ARM_SCOPE } from '../providers/azure/hosts';

/** VS Code's authentication provider id for Microsoft accounts (work, school and personal). */
export const MICROSOFT_AUTH = 'microsoft';
/** A token that names no expiry is reused this long; VS Code renews the session behind it. */
const OPAQUE_TOKEN_MS = 10 * 60_000;
/**
 * An editor without Microsoft authentication (code-server, other open-source builds) leaves a request for it
 * unanswered: no refresh waits longer than this, and after one such silence the probe is skipped for a while.
 */
const SESSION_WAIT_MS = 5_000;
const SILENT_EDITOR_SKIP_MS = 10 * 60_000;
let unansweredUntil = 0;

/** The session for these scopes without any UI, or undefined (none, or no answer in time). */
async function silentSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession | undefined> {
  if (Date.now() < unansweredUntil) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), SESSION_WAIT_MS);
  });
  try {
    const answer = await Promise.race([vscode.authentication.getSession(MICROSOFT_AUTH, [...scopes], { silent: true }), late]);
    if (answer !== 'late') return answer;
    unansweredUntil = Date.now() + SILENT_EDITOR_SKIP_MS;
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** A sign-in or out (or a provider that answers at last) ends the skip. */
export function microsoftSessionsChanged(): void {
  unansweredUntil = 0;
}

export function microsoftAccountSignIn(env: NodeJS.ProcessEnv = process.env): SignIn {
  return {
    async probe() {
      const session = await silentSession([ARM_SCOPE]);
      if (!session) return undefined;
      registerSecret(session.accessToken);
      // The token's own claims say for which tenant and application it was issued; nothing else is read from it.
      const claims = jwtClaims(session.accessToken);
      const tenantId = typeof claims?.tid === 'string' && claims.tid ? claims.tid : 'organizations';
      const clientId = typeof claims?.appid === 'string' && claims.appid ? claims.appid : VSCODE_CLIENT_ID;
      const subscriptionId = env.AZURE_SUBSCRIPTION_ID?.trim();
      return { login: VSCODE_LOGIN, tenantId, clientId, ...(subscriptionId ? { subscriptionId } : {}) };
    },
    async tokens(scopes) {
      const session = await silentSession(scopes);
      if (!session) {
        throw new CloudtopError({
          category: 'auth',
          cloud: 'azure',
          message:
            'You are no longer signed in to Microsoft in VS Code. Run "Cloudtop: Sign In to Azure with Microsoft", `az login`, or set a service principal.',
        });
      }
      registerSecret(session.accessToken);
      return { token: session.accessToken, expiresOnTimestamp: jwtExpiresAt(session.accessToken) ?? Date.now() + OPAQUE_TOKEN_MS };
    },
  };
}

/** Shows VS Code's Microsoft sign-in for Resource Manager; true once signed in, false when the user cancelled. */
export async function signInWithMicrosoft(): Promise<boolean> {
  try {
    return (await vscode.authentication.getSession(MICROSOFT_AUTH, [ARM_SCOPE], { createIfNone: true })) !== undefined;
  } catch {
    // Cancelled, or no Microsoft authentication in this editor (a fork without it).
    return false;
  }
}
