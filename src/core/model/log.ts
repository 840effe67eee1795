// A tiny logging interface so the core can log without knowing whether it runs in VS Code
// (a LogOutputChannel), the CLI (stderr) or a test. Every line passes through redaction first.
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
