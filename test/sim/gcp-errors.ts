// Google's error envelope, as every googleapis.com REST front end sends it (https://cloud.google.com/apis/design/errors;
// npm google-gax build/src/googleError.js parses it):
//   {"error": {"code": <http>, "message", "status": <canonical code name>, "details": [ErrorInfo, RetryInfo, Help…]}}
// Compute Engine's older API adds the legacy `errors: [{message, domain: 'global', reason}]` array beside them.
// The OAuth and STS token endpoints answer RFC 6749 bodies instead ({error, error_description}); those live in
// gcp-login.ts.
import { json, type SimResponse } from './types';

export type GcpService = 'compute' | 'container' | 'cloudfunctions' | 'run' | 'monitoring' | 'cloudresourcemanager' | 'cloudbilling';

export const GCP_SERVICE_INFO: Readonly<Record<GcpService, { readonly host: string; readonly title: string }>> = {
  compute: { host: 'compute.googleapis.com', title: 'Compute Engine API' },
  container: { host: 'container.googleapis.com', title: 'Kubernetes Engine API' },
  cloudfunctions: { host: 'cloudfunctions.googleapis.com', title: 'Cloud Functions API' },
  run: { host: 'run.googleapis.com', title: 'Cloud Run Admin API' },
  monitoring: { host: 'monitoring.googleapis.com', title: 'Cloud Monitoring API' },
  cloudresourcemanager: { host: 'cloudresourcemanager.googleapis.com', title: 'Cloud Resource Manager API' },
  cloudbilling: { host: 'cloudbilling.googleapis.com', title: 'Cloud Billing API' },
};

const CANONICAL: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
export const canonicalStatus = (http: number): string => CANONICAL[http] ?? (http >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION');

/** Compute's legacy `reason` for a status. */
const COMPUTE_REASON: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

export const errorInfo = (reason: string, domain: string, metadata: Record<string, string>): object => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain,
  metadata,
});

export interface GcpErrorOptions {
  readonly details?: readonly object[];
  /** Add Compute's legacy `errors` array (with this reason, default by status). */
  readonly compute?: boolean | string;
  readonly headers?: SimResponse['headers'];
}

export function gcpError(status: number, message: string, options: GcpErrorOptions = {}): SimResponse {
  const legacy = options.compute
    ? {
        errors: [
          {
            message,
            domain: 'global',
            reason: typeof options.compute === 'string' ? options.compute : (COMPUTE_REASON[status] ?? 'backendError'),
          },
        ],
      }
    : {};
  return json(
    {
      error: {
        code: status,
        message,
        ...legacy,
        status: canonicalStatus(status),
        ...(options.details ? { details: options.details } : {}),
      },
    },
    status,
    options.headers,
  );
}

/** How long a 429 tells the client to wait, in the RetryInfo detail and the Retry-After header alike. */
export const RETRY_DELAY_SECONDS = 30;

/** 429 RESOURCE_EXHAUSTED: a per-minute read quota, with ErrorInfo, RetryInfo and Help as Google sends them. */
export function rateLimited(service: GcpService, consumer: string | undefined, compute: boolean): SimResponse {
  const host = GCP_SERVICE_INFO[service].host;
  const quota = service === 'monitoring' ? 'Time series queries' : 'Read requests';
  const message = `Quota exceeded for quota metric '${quota}' and limit '${quota} per minute' of service '${host}' for consumer '${consumer ? `project_number:${consumer}` : 'unknown'}'.`;
  return gcpError(429, message, {
    compute,
    headers: { 'Retry-After': String(RETRY_DELAY_SECONDS) },
    details: [
      errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
        quota_limit: service === 'monitoring' ? 'TimeSeriesQueriesPerMinutePerProject' : 'ReadRequestsPerMinutePerProject',
        quota_metric: `${host}/${service === 'monitoring' ? 'time_series_queries' : 'read_requests'}`,
        quota_location: 'global',
        quota_limit_value: service === 'monitoring' ? '6000' : '1500',
        consumer: consumer ? `projects/${consumer}` : 'projects/unknown',
        service: host,
      }),
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${RETRY_DELAY_SECONDS}s` },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quotas/help/request_increase' }],
      },
    ],
  });
}

/** 403 SERVICE_DISABLED, word for word as Google answers a project that never enabled the API. */
export function serviceDisabled(service: GcpService, projectNumber: string, compute: boolean): SimResponse {
  const { host, title } = GCP_SERVICE_INFO[service];
  const activationUrl = `https://console.developers.google.com/apis/api/${host}/overview?project=${projectNumber}`;
  const message = `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return gcpError(403, message, {
    compute: compute ? 'accessNotConfigured' : false,
    details: [
      errorInfo('SERVICE_DISABLED', 'googleapis.com', {
        service: host,
        consumer: `projects/${projectNumber}`,
        activationUrl,
        containerInfo: projectNumber,
        serviceTitle: title,
      }),
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [{ description: 'Google developers console API activation', url: activationUrl }],
      },
    ],
  });
}

/** 403 PERMISSION_DENIED for an IAM permission the caller lacks on a resource. */
export function permissionDenied(
  service: GcpService,
  permission: string,
  resource: string,
  message: string,
  compute: boolean,
): SimResponse {
  return gcpError(403, message, {
    compute,
    details: [errorInfo('IAM_PERMISSION_DENIED', GCP_SERVICE_INFO[service].host, { permission, resource })],
  });
}

export const UNAUTHENTICATED_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** 401 with Google's WWW-Authenticate; `reason` says whether a credential came at all. */
export function unauthenticated(
  service: GcpService | undefined,
  reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' | 'CREDENTIALS_MISSING',
  method: string,
  compute: boolean,
): SimResponse {
  const host = service ? GCP_SERVICE_INFO[service].host : 'googleapis.com';
  const message =
    reason === 'CREDENTIALS_MISSING'
      ? 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
      : UNAUTHENTICATED_MESSAGE;
  return gcpError(401, message, {
    compute,
    headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
    details: [errorInfo(reason, 'googleapis.com', { service: host, method })],
  });
}
