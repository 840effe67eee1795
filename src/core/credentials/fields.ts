// What a cloud's credentials are made of: the fields its catalogue entry declares and the values read for them.
// Here, below the engine, so the resolver needs nothing of the provider contract or the registry.

/** Resolved credential fields for one cloud, e.g. `{ apiKey }`. Values are secrets unless a field says otherwise. */
export type Credentials = Readonly<Record<string, string>>;

export interface CredentialField {
  /** Key in the Credentials record, e.g. `apiKey`. */
  readonly key: string;
  /** Label in prompts, e.g. "API key". */
  readonly label: string;
  /** Secrets are masked in prompts and redacted from every message. */
  readonly secret: boolean;
  /** Standard environment variables, first match wins. */
  readonly env: readonly string[];
  readonly optional?: boolean;
  /**
   * Fields of one group stand for each other: credentials are complete with any one of them (Google Cloud: a
   * credential file named in the environment, or a stored key). A `login` entry (a CLI login) also completes it.
   */
  readonly oneOf?: string;
  /** Read from the environment only: never prompted for or stored (a path the environment names). */
  readonly envOnly?: boolean;
  /** Why a typed value cannot be right ("not a service-account key"), for the prompts; undefined when it may be. */
  readonly validate?: (value: string) => string | undefined;
  readonly placeholder?: string;
}

/** The fields a person types or pipes (Set Credentials…, `cloudtop login`). */
export const promptedFields = (fields: readonly CredentialField[]): CredentialField[] => fields.filter((f) => !f.envOnly);

/** A bearer token and when it expires (epoch ms). */
export interface AccessToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
}

/** Tokens for these OAuth scopes from a sign-in the front end owns; never prompts. */
export type TokenSource = (scopes: readonly string[], signal?: AbortSignal) => Promise<AccessToken>;

/**
 * A sign-in the front end owns for a cloud (VS Code's built-in Microsoft account for Azure): tried after the cloud's
 * CLI login, silently. `probe` answers the credentials that name it (e.g. `{ login: 'vscode', tenantId, clientId }`)
 * while someone is signed in, else undefined; the provider then asks `tokens` for each token it needs.
 */
export interface SignIn {
  readonly probe: () => Promise<Credentials | undefined>;
  readonly tokens: TokenSource;
}
