// A Logger that keeps every line, so tests can count warnings and check that no secret reached the log.
import type { Logger } from '../../src/core/model/log';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface CapturedLog extends Logger {
  readonly lines: Array<{ level: Level; message: string }>;
  at(level: Level): string[];
  /** Everything logged, one line per entry. */
  text(): string;
}

export function captureLog(): CapturedLog {
  const lines: Array<{ level: Level; message: string }> = [];
  const add = (level: Level) => (message: string) => {
    lines.push({ level, message });
  };
  return {
    lines,
    trace: add('trace'),
    debug: add('debug'),
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    at: (level) => lines.filter((line) => line.level === level).map((line) => line.message),
    text: () => lines.map((line) => `${line.level}: ${line.message}`).join('\n'),
  };
}
