// The two kinds of failure the user fixes by changing what they typed or wrote, not by retrying: both exit 2
// with one line on stderr and no stack. Everything else that escapes is unexpected and exits 1.

/** A bad flag, value, cloud id or command. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A bad or unreadable configuration: the config file, an endpoint, the Redis URL. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The user stopped an interactive prompt (Ctrl-C or Ctrl-D at `cloudtop login`). */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
}

export const EXIT_OK = 0;
/** A cloud failed under --fail-fast, or something unexpected went wrong. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** As a shell reports a command ended by Ctrl-C. */
export const EXIT_CANCELLED = 130;
