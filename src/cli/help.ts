// `cloudtop --help`. Cloud names and environment variables come from the catalogue, so the help never lists a
// cloud this build cannot show or a variable it does not read.
import type { CloudId } from '../core/model/model';
import type { Catalogue } from '../core/engine/registry';

export function helpText(catalogue: Catalogue): string {
  const entries = Object.values(catalogue).filter((e) => e !== undefined);
  const ids = entries.map((e) => e.cloud).join(',');
  const names = entries.map((e) => e.displayName).join(', ');
  const envVars = entries.flatMap((e) => e.credentialFields.filter((f) => !f.optional && f.env.length).map((f) => f.env[0])).join(', ');
  return `Usage: cloudtop [options]
       cloudtop login <cloud>     store a cloud's API key, read from stdin, in the config file
       cloudtop logout <cloud>    remove the stored key
       cloudtop stop <resource>... [-p <ids>] [--yes] [--dry-run] [--wait] [--timeout 10m] [--json]
       cloudtop start <resource>... (same options)
       cloudtop stop --idle [-p <ids>] [--dry-run] [--yes]
                                  stop or start instances, pods and computes (${entries
                                    .filter((e) => e.actions)
                                    .map((e) => e.displayName)
                                    .join(', ')}),
                                  by id as --json shows it or exact name; asks first (without a terminal: --yes),
                                  --dry-run sends nothing, --wait follows until stopped/running, --idle: idle GPUs

Shows what you run on ${names}: status, live metrics, GPU prices and what your GPUs cost.

Clouds:
  -a, --all                 every configured cloud (default)
  -p, --provider <ids>      only these clouds, comma-separated (${ids})
  -g, --gpu                 only GPU resources, plus the GPU price table

Output:
      --table               resources grouped by cloud (default)
  -w, --wide                the table with ID, type, region, network and created columns
      --json                one JSON document (schemaVersion 1); one per line with --refresh
  -r, --refresh <interval>  redraw every interval (30s, 2m) until Ctrl-C
      --no-color            no colour (also with NO_COLOR set, or when stdout is not a terminal)

Fetching:
      --no-cache            fetch everything now instead of using cached answers
      --fail-fast           stop at the first cloud that fails and exit 1
  -t, --timeout <interval>  deadline per cloud, retries included (default 30s)
      --cache <kind>        memory, file (default: $XDG_CACHE_HOME/cloudtop) or redis
      --redis-url <url>     the Redis server for --cache redis (or CLOUDTOP_REDIS_URL)

  -h, --help                show this help
  -v, --version             print the version

Credentials come from environment variables (${envVars}), then the config file
($XDG_CONFIG_HOME/cloudtop/config.json, written by \`cloudtop login\`), then each cloud's own CLI key file.
Endpoints: CLOUDTOP_<CLOUD>_ENDPOINT, then "endpoints" in the config file, then the cloud's default.

Exit status: 0 success, also when some clouds failed; 1 a cloud failed under --fail-fast, a stop or start
failed, or an unexpected error; 2 a usage or configuration error (stop/start: an unknown or ambiguous resource,
no --yes without a terminal); 130 login cancelled.
`;
}

/** How to configure one cloud, for the footer: its environment variables and the login command. */
export function configureHint(catalogue: Catalogue, cloud: CloudId): string {
  const vars = (catalogue[cloud]?.credentialFields ?? []).filter((f) => !f.optional && f.env.length).map((f) => f.env[0]);
  return `set ${vars.join(' and ')} or run \`cloudtop login ${cloud}\``;
}
