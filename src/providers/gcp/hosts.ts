// Where Google Cloud's requests go. SDK-free: the catalogue imports it. Each service has its own host under
// googleapis.com; with an endpoint override (cloudtop.gcp.endpoint, application scope, or CLOUDTOP_GCP_ENDPOINT) every
// one of them goes to that one origin under the path the real service uses. Token requests go where the credential
// file says (its token_uri / token_url), never to the override.

export const GCP_HOSTS = {
  compute: 'https://compute.googleapis.com',
  container: 'https://container.googleapis.com',
  functions: 'https://cloudfunctions.googleapis.com',
  run: 'https://run.googleapis.com',
  monitoring: 'https://monitoring.googleapis.com',
  resourceManager: 'https://cloudresourcemanager.googleapis.com',
  billing: 'https://cloudbilling.googleapis.com',
} as const;
export type GcpService = keyof typeof GCP_HOSTS;

/** Stands for "no override": every service at its own googleapis.com host. */
export const DEFAULT_GCP_ENDPOINT = 'https://googleapis.com';
/** Compute Engine's service id in the Cloud Billing Catalog. */
export const COMPUTE_BILLING_SERVICE = '6F81-5844-456A';
/** The one OAuth scope Cloudtop asks for (read-only use; the APIs check IAM). */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export const originOf = (service: GcpService, override: string | undefined): string => override ?? GCP_HOSTS[service];

/** The Cloud Console page of a resource path, in its project. */
export const consoleUrl = (path: string, project: string) =>
  `https://console.cloud.google.com/${path}?project=${encodeURIComponent(project)}`;
