// The `Cloudtop` log channel as the core's Logger. Every line is redacted before it reaches the channel.
import * as vscode from 'vscode';
import type { Logger } from '../core/model/log';
import { redact } from '../core/errors/redact';

export function createLogChannel(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('Cloudtop', { log: true });
  const logger: Logger = {
    trace: (m) => channel.trace(redact(m)),
    debug: (m) => channel.debug(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m) => channel.error(redact(m)),
  };
  return { channel, logger };
}
