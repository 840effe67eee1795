// A cloud CLI stand-in for the tests: an executable POSIX sh script that logs every call's arguments (tab-separated,
// one line per call, to `<dir>/<name>-calls.log`) before the cloud's own answers (`body`) run.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A string as one single-quoted sh word. */
export const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface FakeCli {
  readonly bin: string;
  /** The arguments of every call so far, in order. */
  calls(): string[][];
}

export function writeFakeCli(dir: string, name: string, writtenBy: string, body: string): FakeCli {
  const bin = path.join(dir, name);
  const log = path.join(dir, `${name}-calls.log`);
  writeFileSync(
    bin,
    `#!/bin/sh
# ${name} stand-in written by ${writtenBy}
LOG=${shQuote(log)}
for a in "$@"; do printf '%s\\t' "$a" >> "$LOG"; done
printf '\\n' >> "$LOG"
${body}`,
  );
  chmodSync(bin, 0o755);
  return {
    bin,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => l.split('\t').slice(0, -1))
        : [],
  };
}
