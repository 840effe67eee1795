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
  readonly placeholder?: string;
}
