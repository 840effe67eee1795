// Azure's error knowledge, SDK-free (it is in the main bundle through the catalogue). Shapes from
// @azure/core-rest-pipeline 1.24 (observed against a loopback server): `RestError {statusCode, code, message,
// response.headers}`; network failures are RestErrors with a Node code and no status. The `code` is more precise than
// the status: storage answers 403 AuthenticationFailed for a bad key (auth, not permission).
import type { CloudErrorHook, ErrorFacts } from '../../core/errors/errors';
import type { ErrorCategory } from '../../core/model/model';

const table = (category: ErrorCategory, codes: string): Array<[string, ErrorCategory]> =>
  codes
    .split(/\s+/)
    .filter(Boolean)
    .map((code) => [code, category]);

const CODES: ReadonlyMap<string, ErrorCategory> = new Map([
  ...table(
    'auth',
    `AuthenticationFailed InvalidAuthenticationToken InvalidAuthenticationTokenTenant
    InvalidAuthenticationTokenAudience ExpiredAuthenticationToken`,
  ),
  ...table('permission', 'AuthorizationFailed LinkedAuthorizationFailed AuthorizationPermissionMismatch'),
  ...table('not-found', 'ResourceNotFound ResourceGroupNotFound SubscriptionNotFound ParentResourceNotFound'),
  ...table('rate-limit', 'TooManyRequests SubscriptionRequestsThrottled ResourceRequestsThrottled TenantRequestsThrottled'),
  ...table(
    'config',
    `InvalidParameter MissingParameter InvalidSubscriptionId InvalidApiVersionParameter
    MissingSubscriptionRegistration`,
  ),
  // core-rest-pipeline's own codes: the request did not go out, or the answer was not the JSON it expected.
  ...table('network', 'REQUEST_SEND_ERROR PARSE_ERROR'),
]);

type Fields = Record<string, unknown>;
const asFields = (v: unknown): Fields | undefined => (v !== null && typeof v === 'object' ? (v as Fields) : undefined);

/**
 * The action an AuthorizationFailed names: "The client '…' with object id '…' does not have authorization to perform
 * action 'Microsoft.Compute/virtualMachines/deallocate/action' over scope '…'" (ARM's 403 to a VM action, as quoted
 * in cloudquery/cloudquery#16133 for `…/virtualMachines/{vm}/assessPatches`).
 */
function missingAction(body: unknown): string | undefined {
  const message = asFields(asFields(body)?.error)?.message;
  if (typeof message !== 'string') return undefined;
  return /perform action '([A-Za-z0-9./_-]+)'/.exec(message)?.[1];
}

export const azureErrors: CloudErrorHook = {
  read(error): ErrorFacts | undefined {
    const e = asFields(error);
    if (!e || typeof e.code !== 'string' || !CODES.has(e.code)) return undefined;
    return {
      status: typeof e.statusCode === 'number' ? e.statusCode : undefined,
      code: e.code,
      message: typeof e.message === 'string' ? e.message : undefined,
    };
  },
  describe(_status, body) {
    const error = asFields(asFields(body)?.error);
    const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    return error ? { message: pick(error.message), code: pick(error.code) } : undefined;
  },
  classify: ({ code, message, body }) => {
    const category = code === undefined ? undefined : CODES.get(code);
    if (!category) return undefined;
    // The action ARM found missing, named in full: the message quoted after it may be cut short, and a write's
    // refusal needs it ("Microsoft.Compute/virtualMachines/deallocate/action").
    const missing = category === 'permission' ? (missingAction(body) ?? missingAction({ error: { message } })) : undefined;
    if (!missing) return { category };
    // Stop and start need a role beyond the readers Cloudtop asks for otherwise (learn.microsoft.com/azure/
    // role-based-access-control/built-in-roles/compute, "Virtual Machine Contributor": Microsoft.Compute/virtualMachines/*).
    const write = /^Microsoft\.Compute\/virtualMachines(ScaleSets\/virtualMachines)?\/(deallocate|start)\/action$/i.test(missing);
    return { category, hint: `The missing permission: ${missing}${write ? ' (the Virtual Machine Contributor role grants it)' : ''}.` };
  },
};
