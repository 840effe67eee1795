// Finds each cloud's credentials, in this order: environment variables (the cloud's standard names) →
// stored credentials (SecretStorage in the extension, the owner-only config file in the CLI) → the cloud's
// own default location (its CLI's key file or login) → a sign-in the front end owns (VS Code's Microsoft account)
// → an interactive prompt (injected; none for a non-interactive CLI).
// It reports where each credential came from; every secret value is registered for redaction the moment
// it is read, so it can never reach a log line or an error message.
import type { CloudId, CredentialSource } from '../model/model';
import type { CredentialField, Credentials, SignIn } from './fields';
import { registerSecret } from '../errors/redact';
import { CloudtopError } from '../errors/errors';

export interface CredentialStore {
  get(cloud: CloudId): Promise<Credentials | undefined>;
  set(cloud: CloudId, credentials: Credentials): Promise<void>;
  delete(cloud: CloudId): Promise<void>;
}

export type CredentialPrompt = (cloud: CloudId, fields: readonly CredentialField[]) => Promise<Credentials | undefined>;

export interface ResolvedCredentials {
  readonly credentials: Credentials;
  readonly source: CredentialSource;
}

/** What the resolver reads of each catalogue entry (src/core/engine/registry.ts' CloudEntry is one). */
export interface CredentialReader {
  readonly credentialFields: readonly CredentialField[];
  /** The cloud's own default credential location (its CLI's key file), when it has one; rejects with a `config`
   * CloudtopError when the file is there but unusable. */
  readonly readDefaultCredentials?: (env: NodeJS.ProcessEnv) => Promise<Credentials | undefined>;
}

export interface CredentialResolverOptions {
  readonly catalogue: Readonly<Partial<Record<CloudId, CredentialReader>>>;
  readonly env?: NodeJS.ProcessEnv;
  readonly store?: CredentialStore;
  readonly prompt?: CredentialPrompt;
  /** Front-end sign-ins by cloud, tried after the cloud's CLI login. */
  readonly signIns?: Readonly<Partial<Record<CloudId, SignIn>>>;
}

export class CredentialResolver {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: CredentialResolverOptions) {
    this.env = options.env ?? process.env;
  }

  fields(cloud: CloudId): readonly CredentialField[] {
    return this.options.catalogue[cloud]?.credentialFields ?? [];
  }

  /**
   * The first complete set of credentials, or undefined when the cloud is not configured anywhere. Rejects with a
   * `config` CloudtopError when no source is complete and one was there but unusable (it names the file and why).
   */
  async resolve(cloud: CloudId, { interactive = false } = {}): Promise<ResolvedCredentials | undefined> {
    const entry = this.options.catalogue[cloud];
    if (!entry) return undefined;
    const fields = entry.credentialFields;

    const candidates: [CredentialSource, () => Promise<Credentials | undefined>][] = [
      ['environment', () => Promise.resolve(fromEnvironment(fields, this.env))],
      ['stored', () => this.options.store?.get(cloud) ?? Promise.resolve(undefined)],
      ['cli-file', () => entry.readDefaultCredentials?.(this.env) ?? Promise.resolve(undefined)],
      ['sign-in', () => this.options.signIns?.[cloud]?.probe() ?? Promise.resolve(undefined)],
    ];
    if (interactive && this.options.prompt) {
      const prompt = this.options.prompt;
      candidates.push(['prompt', () => prompt(cloud, fields)]);
    }

    // A source that is there but unusable (a config file that is a FIFO, too large, or lacks a key) says why, as a
    // CloudtopError; the next source may still work, and only when none does is the first such reason the answer.
    let problem: CloudtopError | undefined;
    for (const [source, read] of candidates) {
      let credentials: Credentials | undefined;
      try {
        credentials = await read();
      } catch (error) {
        // An unreadable store or key file is the same as an absent one, unless it says why it is unusable.
        if (error instanceof CloudtopError) problem ??= error;
        credentials = undefined;
      }
      if (credentials && isComplete(fields, credentials)) {
        // A project or account the environment names narrows whatever credential is used (GOOGLE_CLOUD_PROJECT with
        // a stored key): optional plain fields the source lacks come from the environment.
        if (source !== 'environment')
          credentials = {
            ...fromEnvironment(
              fields.filter((f) => f.optional && !f.secret),
              this.env,
            ),
            ...credentials,
          };
        protect(fields, credentials);
        if (source === 'prompt') await this.options.store?.set(cloud, credentials);
        return { credentials, source };
      }
    }
    if (problem) throw problem;
    return undefined;
  }
}

function fromEnvironment(fields: readonly CredentialField[], env: NodeJS.ProcessEnv): Credentials | undefined {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const value = field.env.map((name) => env[name]?.trim()).find((v) => v);
    if (value) out[field.key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function isComplete(fields: readonly CredentialField[], credentials: Credentials): boolean {
  const has = (key: string) => typeof credentials[key] === 'string' && credentials[key] !== '';
  return fields.every((field) => {
    if (field.optional) return true;
    if (field.oneOf) return has('login') || fields.some((f) => f.oneOf === field.oneOf && has(f.key));
    return has(field.key);
  });
}

function protect(fields: readonly CredentialField[], credentials: Credentials): void {
  for (const field of fields) {
    const value = credentials[field.key];
    if (field.secret && value) registerSecret(value);
  }
}
