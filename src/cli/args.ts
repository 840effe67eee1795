// Flags → a validated command. Pure: no environment, no I/O, so every rule here is a unit test away. Every
// mistake becomes a UsageError with one line that names the flag and says what would be accepted.
import { parseArgs } from 'node:util';
import type { CacheKind } from '../core/cache/cache';
import { parseDuration } from '../core/model/duration';
import { CLOUD_IDS, CLOUD_NAMES, isCloudId, type CloudId } from '../core/model/model';
import { terminalText, truncate } from './format/terminal';
import { UsageError } from './errors';
import type { ResourceAction } from '../core/engine/provider';

export type OutputMode = 'table' | 'wide' | 'json';

export interface ShowOptions {
  /** Clouds named with --provider; undefined means every configured cloud (--all, the default). */
  readonly clouds?: readonly CloudId[];
  readonly gpu: boolean;
  readonly output: OutputMode;
  readonly noCache: boolean;
  readonly failFast: boolean;
  /** --refresh: redraw every this many ms until interrupted. */
  readonly refreshMs?: number;
  /** --timeout: per-cloud deadline in ms. */
  readonly timeoutMs?: number;
  readonly cache: CacheKind;
  readonly redisUrl?: string;
  /** False with --no-color; colour still needs a TTY and no NO_COLOR. */
  readonly color: boolean;
}

/** `cloudtop stop|start <resource>... [--provider] [--yes] [--dry-run] [--wait] [--timeout] [--json]`, `stop --idle`. */
export interface ActOptions {
  readonly action: ResourceAction;
  /** Resource ids exactly as `cloudtop --json` shows them, or exact names. */
  readonly resources: readonly string[];
  /** `stop --idle`: the GPU instances the idle rule flags now. */
  readonly idle: boolean;
  readonly clouds?: readonly CloudId[];
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly wait: boolean;
  /** --timeout: how long --wait follows the operation. */
  readonly waitMs: number;
  readonly json: boolean;
  readonly cache: CacheKind;
  readonly redisUrl?: string;
}

/** --wait's default limit: a GPU instance takes a minute or two; an Azure deallocation a few. */
export const DEFAULT_WAIT_MS = 10 * 60_000;

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'show'; readonly options: ShowOptions }
  | { readonly kind: 'act'; readonly options: ActOptions }
  | { readonly kind: 'login' | 'logout'; readonly cloud: CloudId };

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  all: { type: 'boolean', short: 'a' },
  provider: { type: 'string', short: 'p', multiple: true },
  gpu: { type: 'boolean', short: 'g' },
  refresh: { type: 'string', short: 'r' },
  table: { type: 'boolean' },
  wide: { type: 'boolean', short: 'w' },
  json: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'fail-fast': { type: 'boolean' },
  timeout: { type: 'string', short: 't' },
  cache: { type: 'string' },
  'redis-url': { type: 'string' },
  'no-color': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  idle: { type: 'boolean' },
} as const;

/** The flags only `stop` and `start` take, and the ones they share with the default command. */
const ACT_ONLY = ['yes', 'dry-run', 'wait', 'idle'] as const;
const ACT_FLAGS = new Set<string>([...ACT_ONLY, 'provider', 'json', 'timeout', 'cache', 'redis-url']);

const CACHE_KINDS: readonly CacheKind[] = ['memory', 'file', 'redis'];
/** Faster than this would only spend the clouds' rate limits on frames nobody can read. */
export const MIN_INTERVAL_MS = 1000;

/** `available`: the clouds this build has providers for (the catalogue). */
export function parseCommand(argv: readonly string[], available: readonly CloudId[]): Command {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...rest] = positionals;
  if (command === 'login' || command === 'logout') {
    const given = Object.keys(values);
    if (given.length > 0) throw new UsageError(`${command} takes no options (got --${given[0]})`);
    if (rest.length !== 1) throw new UsageError(`${command} needs one cloud, e.g. cloudtop ${command} ${available[0] ?? 'vastai'}`);
    return { kind: command, cloud: cloudId(rest[0], available) };
  }
  if (command === 'stop' || command === 'start') return { kind: 'act', options: actOptions(command, rest, values, available) };
  if (command !== undefined) throw new UsageError(`unknown command "${oneLine(command)}" (commands: login, logout, stop, start)`);
  const misplaced = ACT_ONLY.find((flag) => values[flag] !== undefined);
  if (misplaced) throw new UsageError(`--${misplaced} is an option of cloudtop stop and cloudtop start`);

  const outputs = (['table', 'wide', 'json'] as const).filter((mode) => values[mode]);
  if (outputs.length > 1) throw new UsageError(`choose one of --table, --wide and --json (got --${outputs.join(' and --')})`);
  if (values.all && values.provider) throw new UsageError('choose --all or --provider, not both');

  const cache = values.cache ?? (values['redis-url'] ? 'redis' : 'file');
  if (!(CACHE_KINDS as readonly string[]).includes(cache))
    throw new UsageError(`--cache must be memory, file or redis (got "${oneLine(cache)}")`);
  if (values['redis-url'] !== undefined && cache !== 'redis')
    throw new UsageError(`--redis-url needs --cache redis (got --cache ${cache})`);

  return {
    kind: 'show',
    options: {
      ...(values.provider ? { clouds: cloudList(values.provider, available) } : {}),
      gpu: values.gpu ?? false,
      output: outputs[0] ?? 'table',
      noCache: values['no-cache'] ?? false,
      failFast: values['fail-fast'] ?? false,
      ...(values.refresh !== undefined ? { refreshMs: interval('--refresh', values.refresh) } : {}),
      ...(values.timeout !== undefined ? { timeoutMs: interval('--timeout', values.timeout) } : {}),
      cache: cache as CacheKind,
      ...(values['redis-url'] !== undefined ? { redisUrl: values['redis-url'] } : {}),
      color: !values['no-color'],
    },
  };
}

function actOptions(
  action: ResourceAction,
  resources: readonly string[],
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  available: readonly CloudId[],
): ActOptions {
  const other = Object.keys(values).find((flag) => !ACT_FLAGS.has(flag));
  if (other) throw new UsageError(`cloudtop ${action} does not take --${other}`);
  const idle = values.idle === true;
  if (idle && action !== 'stop') throw new UsageError('--idle is for cloudtop stop only');
  if (idle && resources.length > 0) throw new UsageError('choose --idle or resources to stop, not both');
  if (!idle && resources.length === 0)
    throw new UsageError(
      `cloudtop ${action} needs a resource (its id as cloudtop --json shows it, or its exact name)${action === 'stop' ? ', or --idle' : ''}`,
    );
  if (resources.some((r) => r.trim() === '')) throw new UsageError('an empty resource name');
  const cache = (values.cache as string | undefined) ?? (values['redis-url'] ? 'redis' : 'file');
  if (!(CACHE_KINDS as readonly string[]).includes(cache))
    throw new UsageError(`--cache must be memory, file or redis (got "${oneLine(cache)}")`);
  const provider = values.provider as string[] | undefined;
  return {
    action,
    resources: [...resources],
    idle,
    ...(provider ? { clouds: cloudList(provider, available) } : {}),
    yes: values.yes === true,
    dryRun: values['dry-run'] === true,
    wait: values.wait === true,
    waitMs: values.timeout !== undefined ? interval('--timeout', values.timeout as string) : DEFAULT_WAIT_MS,
    json: values.json === true,
    cache: cache as CacheKind,
    ...(values['redis-url'] !== undefined ? { redisUrl: values['redis-url'] as string } : {}),
  };
}

/** `--provider vastai,runpod --provider neon` → deduplicated ids, in the order given. */
function cloudList(values: readonly string[], available: readonly CloudId[]): CloudId[] {
  const ids = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  if (ids.some((id) => id === ''))
    throw new UsageError(`--provider needs cloud ids separated by commas, e.g. --provider ${available.join(',')}`);
  return [...new Set(ids.map((id) => cloudId(id, available)))];
}

function cloudId(value: string, available: readonly CloudId[]): CloudId {
  const id = value.trim().toLowerCase();
  if (!isCloudId(id)) throw new UsageError(`unknown cloud "${oneLine(value)}" (clouds: ${CLOUD_IDS.join(', ')})`);
  if (!available.includes(id)) {
    throw new UsageError(
      `${CLOUD_NAMES[id]} (${id}) is not available in this version of cloudtop yet (available: ${available.join(', ')})`,
    );
  }
  return id;
}

function interval(flag: string, value: string): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    throw new UsageError(`${flag}: invalid duration "${oneLine(value)}" (use a number with s, m or h, e.g. 30s or 2m)`);
  }
  if (ms < MIN_INTERVAL_MS) throw new UsageError(`${flag} must be at least 1s (got "${oneLine(value)}")`);
  return ms;
}

/** node:util's messages, kept to one line and without its advice about `--` positionals. */
function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'(-[^' ]*)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option '${oneLine(option)}'`;
  return oneLine(message.split(/\. (?=[A-Z])/)[0]);
}

/** What the user typed, echoed back safely: one line, no control characters, bounded. */
function oneLine(text: string): string {
  return truncate(terminalText(text), 60);
}
