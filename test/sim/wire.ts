// Bytes on the socket: reading request bodies and writing answers, the well-formed ones and the broken
// ones the fault plan asks for. Kept apart from the dispatch logic so each broken shape is easy to audit.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { SimResponse } from './types';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON when the content-type says so and it parses; otherwise the raw text (a handler may still want it). */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '' || !/json/i.test(contentType ?? '')) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

interface Serialized {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

function hasHeader(headers: Readonly<Record<string, unknown>>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

export function serialize(response: SimResponse): Serialized {
  const status = response.status ?? 200;
  const headers: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(response.headers ?? {})) headers[k] = typeof v === 'object' ? [...v] : v;
  let body = Buffer.alloc(0);
  if (response.json !== undefined) {
    body = Buffer.from(JSON.stringify(response.json), 'utf8');
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
  } else if (response.text !== undefined) {
    body = Buffer.from(response.text, 'utf8');
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'text/plain; charset=utf-8';
  }
  if (status !== 204 && status !== 304 && !hasHeader(headers, 'content-length')) headers['content-length'] = body.length;
  return { status, headers, body };
}

/** False when the client is gone (or a fault already took the socket): nothing to write to. */
function writable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded && !res.headersSent && !res.socket?.destroyed;
}

export function writeResponse(res: ServerResponse, response: SimResponse): void {
  if (!writable(res)) return;
  const { status, headers, body } = serialize(response);
  res.writeHead(status, headers);
  res.end(body);
}

/** 200, JSON content-type, a complete body that is not JSON (trailing commas, a bare word). */
export const MALFORMED_BODY = '{"items": [{"id": "sim-malformed", "name": undefined,}], "next_cursor": nul';

export function writeMalformed(res: ServerResponse): void {
  writeResponse(res, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, text: MALFORMED_BODY });
}

/**
 * The real answer's headers with its full Content-Length, then only half the body, then FIN: the client
 * reads a truncated body and must notice the length mismatch.
 */
export function writeTruncated(res: ServerResponse, response: SimResponse): void {
  if (!writable(res)) return;
  const { status, headers, body } = serialize(response);
  // At least 16 bytes are promised even for an empty body, so there is always something missing.
  const promised = Math.max(body.length, 16);
  res.writeHead(status, { ...headers, 'content-length': promised });
  const part = body.subarray(0, Math.floor(body.length / 2));
  // socket.end after the write flushed: the bytes go out, then the connection closes cleanly (FIN, not RST).
  res.write(part, () => res.socket?.end());
}

/** TCP RST and no response: clients see ECONNRESET (undici may word it as "other side closed"). */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  socket.resetAndDestroy();
}
