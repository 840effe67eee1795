// Where the CLI's bytes go. stdout carries the report only (so it pipes cleanly); everything else — warnings,
// errors, the engine's log — goes to stderr, redacted. A reader that goes away (`cloudtop | head`) is a normal
// end, not a crash: writes stop and the run finishes quietly.
import type { Logger } from '../core/model/log';
import { redact } from '../core/errors/redact';

export class Output {
  private closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(readonly stream: NodeJS.WriteStream) {
    // EPIPE and friends arrive as 'error' events; unhandled they would crash with a stack trace.
    stream.on('error', () => this.close());
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  /** Terminal columns and rows, when stdout is a terminal. */
  get size(): { readonly columns: number; readonly rows: number } | undefined {
    return this.isTTY && this.stream.columns > 0 ? { columns: this.stream.columns, rows: this.stream.rows } : undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(text: string): void {
    if (!this.closed) this.stream.write(text);
  }

  /** Called once when the reader goes away (watch mode stops then). */
  onClose(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.listeners) listener();
  }
}

/** One line on stderr, redacted and prefixed, e.g. `cloudtop: warning: …`. */
export function printLine(stderr: NodeJS.WritableStream, message: string): void {
  stderr.write(`cloudtop: ${redact(message)}\n`);
}

/**
 * The engine's log on stderr. Quiet by default — failures already show in the footer and in `errors` — and
 * everything down to debug with CLOUDTOP_DEBUG=1.
 */
export function stderrLogger(stderr: NodeJS.WritableStream, debug: boolean): Logger {
  const line = (level: string) => (message: string) => printLine(stderr, `${level}: ${message}`);
  const off = () => undefined;
  return {
    trace: off,
    debug: debug ? line('debug') : off,
    info: debug ? line('info') : off,
    warn: debug ? line('warn') : off,
    error: line('error'),
  };
}

export function isDebug(env: NodeJS.ProcessEnv): boolean {
  return env.CLOUDTOP_DEBUG === '1' || env.CLOUDTOP_DEBUG === 'true';
}
