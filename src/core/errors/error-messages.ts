// What a person reads when a cloud fails: what happened, in the cloud's own name, then what to do next.
// Kept apart from errors.ts so the wording can change without touching classification.
import { CLOUD_NAMES, type CloudId, type ErrorCategory } from '../model/model';
import { formatAge } from '../model/duration';
import { redact } from './redact';
import { UNSAFE_CHARACTERS } from '../model/unsafe-text';

/** Code http.ts sets when a 2xx body is not valid JSON (classified as network: see errors.ts). */
export const MALFORMED_RESPONSE = 'MALFORMED_RESPONSE';
/** Code http.ts sets when a body exceeds its size cap. */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

const MAX_CLOUD_MESSAGE = 200;

/** Makes a cloud's text safe to show: redacted, control and bidi characters stripped, one line, ~200 chars. */
export function cleanCloudMessage(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  // Redact before cutting: a secret split by the cut would no longer match the registry.
  const clean = redact(text).replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > MAX_CLOUD_MESSAGE ? `${clean.slice(0, MAX_CLOUD_MESSAGE - 1)}…` : clean;
}

const AUTH_NEXT: Readonly<Record<CloudId, string>> = {
  cloudflare: 'rejected the API token|Set a new token with Cloudtop: Set Credentials… (or `cloudtop login cloudflare`).',
  oci: 'rejected the API signing key|Check ~/.oci/config or set credentials with Cloudtop: Set Credentials… (or `cloudtop login oci`).',
  azure:
    'rejected the credentials|Sign in again (az login) or set credentials with Cloudtop: Set Credentials… (or `cloudtop login azure`).',
  gcp: 'rejected the credentials|Run gcloud auth application-default login or set credentials with Cloudtop: Set Credentials… (or `cloudtop login gcp`).',
  neon: 'rejected the API key|Set a new key with Cloudtop: Set Credentials… (or `cloudtop login neon`).',
  vastai: 'rejected the API key|Set a new key with Cloudtop: Set Credentials… (or `cloudtop login vastai`).',
  runpod: 'rejected the API key|Set a new key with Cloudtop: Set Credentials… (or `cloudtop login runpod`).',
};
const PERMISSION_NEXT: Readonly<Record<CloudId, string>> = {
  cloudflare: "the API token lacks permission|Check the token's permissions.",
  oci: 'the user lacks permission|Check the IAM policies of its group.',
  azure: 'the credentials lack permission|Check the role assignments (Reader, Monitoring Reader).',
  gcp: 'the credentials lack permission|Check the IAM roles (Viewer, Monitoring Viewer) and that the API is enabled.',
  neon: "the API key lacks permission|Check the key's scopes.",
  vastai: "the API key lacks permission|Check the key's scopes.",
  runpod: "the API key lacks permission|Check the key's scopes.",
};

// undici's codes mean nothing to most people; Node's E-codes are kept as they are widely searchable.
/** Node's codes for a server certificate it does not trust (config errors: errors.ts classifies them). */
export const TLS_TRUST_CODES: readonly string[] = [
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
];

const CODE_WORDS: Readonly<Record<string, string>> = {
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'timed out',
  UND_ERR_BODY_TIMEOUT: 'timed out',
  UND_ERR_SOCKET: 'connection closed',
};

function waitText(ms: number): string {
  return formatAge(Math.ceil(ms / 1000) * 1000);
}

/** The facts a message is built from; all optional but the category. */
export interface FailureFacts {
  category: ErrorCategory;
  cloud?: CloudId;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  /** The cloud's own words (cleaned), quoted as "<Cloud> said: …". */
  cloudMessage?: string;
  /** Cloudtop's own words about an unexpected failure (cleaned), shown in parentheses. */
  detail?: string;
  operation?: string;
  /** What to do next in the cloud's own terms (an error hook's), after Cloudtop's words. */
  hint?: string;
}

/** The sentence a person reads: what happened, then what to do next. */
export function describeFailure(f: FailureFacts): string {
  const name = f.cloud ? CLOUD_NAMES[f.cloud] : 'The cloud';
  const label = f.status !== undefined ? String(f.status) : f.code;
  const paren = label ? ` (${label})` : '';
  const forOp = f.operation ? ` for ${f.operation}` : '';
  const endpoint = f.cloud ? `the endpoint setting cloudtop.${f.cloud}.endpoint` : 'the endpoint setting';
  let text: string;
  switch (f.category) {
    case 'auth': {
      const [did, todo] = (f.cloud ? AUTH_NEXT[f.cloud] : 'rejected the credentials|Check the credentials.').split('|');
      text = `${name} ${did}${paren}. ${todo}`;
      break;
    }
    case 'permission': {
      const [lacks, todo] = (f.cloud ? PERMISSION_NEXT[f.cloud] : 'the credentials lack permission|').split('|');
      text = `${name}: ${lacks}${paren}${forOp}. ${todo}`.trimEnd();
      break;
    }
    case 'rate-limit':
      text =
        f.retryAfterMs !== undefined
          ? `${name} is rate limiting requests${paren}; try again in ${waitText(f.retryAfterMs)}.`
          : `${name} is rate limiting requests${paren}; Cloudtop will try again on the next refresh.`;
      break;
    case 'network':
      if (f.code === MALFORMED_RESPONSE) {
        text = `${name} sent a malformed or truncated response${forOp}. If this persists, check ${endpoint}.`;
      } else if (f.status !== undefined) {
        text = `${name} answered with a server error${paren}${forOp}; this is usually temporary.`;
      } else {
        const why = f.code === undefined ? 'timed out' : (CODE_WORDS[f.code] ?? f.code);
        text = `Could not reach ${name} (${why})${forOp}. Check your connection or ${endpoint}.`;
      }
      break;
    case 'not-found':
      text = `${name} could not find the requested resource${paren}${forOp}. It may have been deleted, or an account or project setting may be wrong.`;
      break;
    case 'config':
      // A certificate Node does not trust is no answer from the cloud: usually a proxy that inspects TLS.
      text =
        f.code !== undefined && TLS_TRUST_CODES.includes(f.code)
          ? `Could not verify ${name}'s TLS certificate (${f.code})${forOp}. If a proxy inspects TLS on this network, give Node its CA certificate in NODE_EXTRA_CA_CERTS; otherwise check ${endpoint}.`
          : `${name} rejected the request as invalid${paren}${forOp}. Check Cloudtop's settings for ${name}.`;
      break;
    default:
      text = `${name} request failed${paren}${forOp}. See the Cloudtop log for details.`;
  }
  if (f.hint) text += ` ${f.hint}`;
  if (f.cloudMessage) text += ` ${name} said: "${f.cloudMessage}"`;
  return f.detail ? `${text} (${f.detail})` : text;
}
