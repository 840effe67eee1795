// `cloudtop login <cloud>` and `cloudtop logout <cloud>`: store or remove a cloud's key in the config file.
// The key is read from stdin — typed without echo at a terminal, or piped (`echo KEY | cloudtop login vastai`)
// — never from an argument, where it would land in the shell history and in `ps`. It is never printed.
import { CLOUD_NAMES, type CloudId } from '../core/model/model';
import type { CredentialField, Catalogue } from '../core/engine/registry';
import { promptedFields } from '../core/credentials/fields';
import { Cancelled, ConfigError, UsageError } from './errors';
import { ConfigCredentialStore } from './store';

export interface LoginIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A piped key longer than this is not a key (someone piped a file by mistake). */
const MAX_INPUT = 64 * 1024;

export async function login(cloud: CloudId, catalogue: Catalogue, path: string, io: LoginIo): Promise<void> {
  const fields = promptedFields(catalogue[cloud]?.credentialFields ?? []);
  const values = io.stdin.isTTY ? await promptAll(fields, io) : lines(await readPiped(io.stdin));
  const credentials: Record<string, string> = {};
  fields.forEach((field, i) => {
    const value = (values[i] ?? '').trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new UsageError(`the ${field.label} contains control characters`);
    const problem = value ? field.validate?.(value) : undefined;
    if (problem) throw new UsageError(`the ${field.label}: ${problem}`);
    if (value) credentials[field.key] = value;
    else if (!field.optional) throw new UsageError(`no ${field.label} given on stdin (e.g. echo "$KEY" | cloudtop login ${cloud})`);
  });
  await new ConfigCredentialStore(path, catalogue).set(cloud, credentials);
  io.stdout.write(`Saved the ${CLOUD_NAMES[cloud]} credentials to ${path} (readable only by you).\n`);
  const shadowing = fields.flatMap((f) => f.env).filter((name) => io.env[name]?.trim());
  if (shadowing.length > 0)
    io.stderr.write(`cloudtop: note: ${shadowing.join(', ')} is set and takes precedence over the stored credentials.\n`);
}

export async function logout(cloud: CloudId, catalogue: Catalogue, path: string, io: LoginIo): Promise<void> {
  const store = new ConfigCredentialStore(path, catalogue);
  if (!(await store.get(cloud))) {
    io.stdout.write(`No stored ${CLOUD_NAMES[cloud]} credentials in ${path}.\n`);
    return;
  }
  await store.delete(cloud);
  io.stdout.write(`Removed the stored ${CLOUD_NAMES[cloud]} credentials from ${path}.\n`);
}

/**
 * One value per line; a JSON object (a key file piped whole: `cloudtop login gcp < key.json`) is one value however
 * many lines it spans, written back on one line.
 */
export function lines(text: string): string[] {
  const start = text.search(/\S/);
  if (start >= 0 && text[start] === '{') {
    const end = jsonObjectEnd(text, start);
    if (end !== undefined)
      return [text.slice(start, end).replace(/\s*\r?\n\s*/g, ' '), ...lines(text.slice(end).replace(/^[^\S\n]*\r?\n/, ''))];
  }
  return text.split(/\r?\n/);
}

/** Where the JSON object starting at `start` ends (one past its closing brace), or undefined while it is open. */
function jsonObjectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

function readPiped(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_INPUT) {
        stdin.destroy();
        reject(new UsageError('the input on stdin is too long to be a key'));
      }
    });
    stdin.once('end', () => resolve(text));
    stdin.once('error', (error) => reject(new ConfigError(`cannot read stdin: ${error.message}`)));
  });
}

async function promptAll(fields: readonly CredentialField[], io: LoginIo): Promise<string[]> {
  const values: string[] = [];
  for (const field of fields) values.push(await promptHidden(`${field.label}${field.optional ? ' (optional)' : ''}: `, io, field.secret));
  return values;
}

/** One line typed at the terminal; secrets are not echoed. Raw mode means Ctrl-C arrives as a byte, handled here. */
function promptHidden(label: string, io: LoginIo, hidden: boolean): Promise<string> {
  const { stdin, stderr } = io;
  stderr.write(label);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        // A pasted JSON key spans lines: Enter ends the value once its object is closed.
        if (char === '\r' || char === '\n') {
          if (value.trimStart().startsWith('{') && jsonObjectEnd(value, value.indexOf('{')) === undefined) {
            value += ' ';
            continue;
          }
          return finish();
        }
        if (char === '\u0003' || (char === '\u0004' && value === '')) return finish(new Cancelled('login cancelled'));
        if (char === '\u007f' || char === '\b') {
          if (value.length > 0 && !hidden) stderr.write('\b \b');
          value = value.slice(0, -1);
        } else if (char >= ' ') {
          value += char;
          if (!hidden) stderr.write(char);
        }
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
