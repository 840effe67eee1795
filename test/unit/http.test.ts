// The HTTP client against a real node:http server on loopback: real sockets, real resets, real timeouts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { CloudtopError, MALFORMED_RESPONSE, RESPONSE_TOO_LARGE, classify, isRetryable } from '../../src/core/errors/errors';
import { createHttpClient, type HttpClientOptions } from '../../src/core/transport/http';
import type { ApiCall } from '../../src/core/transport/api-call';
import { clearSecretsForTests, redactError } from '../../src/core/errors/redact';
import { withRetry } from '../../src/core/transport/retry';

const TOKEN = 'vast-live-token-5f4e3d2c1b';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen) => void;

describe('http client (real loopback server)', () => {
  let server: http.Server;
  let origin: string;
  let handler: Handler;
  let seen: Seen[];
  let clients: Array<{ close(): Promise<void> }>;

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
        seen.push(entry);
        handler(req, res, entry);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen = [];
    clients = [];
    handler = (_req, res) => json(res, 200, {});
  });

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.close()));
    // Hung requests from the timeout tests must not outlive their test.
    server.closeAllConnections();
    clearSecretsForTests();
  });

  function client(extra: Partial<HttpClientOptions> = {}) {
    const created = createHttpClient({
      cloud: 'vastai',
      baseUrl: `${origin}/api/v0`,
      headers: { Authorization: `Bearer ${TOKEN}` },
      ...extra,
    });
    clients.push(created);
    return created;
  }

  function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  function text(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}) {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  }

  /** Rejects with a CloudtopError and hands it over for more checks. */
  async function failure(promise: Promise<unknown>): Promise<CloudtopError> {
    const error = await promise.then(
      () => assert.fail('expected the request to fail'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof CloudtopError, `not a CloudtopError: ${String(error)}`);
    assert.ok(!error.message.includes(TOKEN) && !String(error.stack).includes(TOKEN), 'the token leaked');
    return error;
  }

  it('GETs JSON with a query, Accept and the auth header', async () => {
    handler = (_req, res) => json(res, 200, { instances: [{ id: 1 }] });
    const body = await client().getJson<{ instances: Array<{ id: number }> }>('/instances/', {
      limit: 25,
      owner: 'me',
      order: '[{"col":"id"}]',
      skipped: undefined,
      none: null,
      verified: true,
    });
    assert.deepEqual(body, { instances: [{ id: 1 }] });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'GET');
    const url = new URL(seen[0].url, origin);
    assert.equal(url.pathname, '/api/v0/instances/');
    assert.deepEqual(
      [...url.searchParams],
      [
        ['limit', '25'],
        ['owner', 'me'],
        ['order', '[{"col":"id"}]'],
        ['verified', 'true'],
      ],
    );
    assert.equal(seen[0].headers.accept, 'application/json');
    assert.equal(seen[0].headers.authorization, `Bearer ${TOKEN}`);
  });

  it('POSTs JSON and returns status, headers and body', async () => {
    handler = (_req, res, entry) => json(res, 201, { echo: JSON.parse(entry.body) as unknown }, { 'x-request-id': 'r1' });
    const res = await client().request<{ echo: unknown }>({ method: 'POST', path: 'bundles/', json: { gpu_name: { eq: 'RTX 4090' } } });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-request-id'], 'r1');
    assert.deepEqual(res.body, { echo: { gpu_name: { eq: 'RTX 4090' } } });
    assert.equal(seen[0].headers['content-type'], 'application/json');
    assert.equal(seen[0].url, '/api/v0/bundles/');
  });

  it('returns an undefined body for 204', async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const res = await client().request({ method: 'DELETE', path: '/instances/1/' });
    assert.equal(res.status, 204);
    assert.equal(res.body, undefined);
  });

  it('maps 401 JSON to auth with the cloud message and code', async () => {
    handler = (_req, res) => json(res, 401, { success: false, error: 'auth_error', msg: 'Invalid user key' });
    const error = await failure(client().getJson('/instances/'));
    assert.equal(error.category, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.code, 'auth_error');
    assert.equal(error.cloudMessage, 'Invalid user key');
    assert.match(error.message, /^Vast\.ai rejected the API key \(401\)\..* Vast\.ai said: "Invalid user key"$/);
  });

  it('maps 403 problem+json (RunPod) to permission with its detail', async () => {
    handler = (_req, res) =>
      json(res, 403, { title: 'Forbidden', status: 403, detail: 'access denied' }, { 'content-type': 'application/problem+json' });
    const error = await failure(client({ cloud: 'runpod' }).getJson('/pods'));
    assert.equal(error.category, 'permission');
    assert.equal(error.cloud, 'runpod');
    assert.equal(error.cloudMessage, 'access denied');
    assert.match(error.message, /^RunPod: the API key lacks permission \(403\) for GET \/pods\./);
  });

  it('maps 404 to not-found', async () => {
    handler = (_req, res) => json(res, 404, { request_id: 'x', code: '', message: 'project not found' });
    const error = await failure(client({ cloud: 'neon' }).getJson('/projects/p1'));
    assert.equal(error.category, 'not-found');
    assert.equal(error.cloudMessage, 'project not found');
  });

  it("maps Vast.ai's plain-text 429 to rate-limit without a wait", async () => {
    handler = (_req, res) => text(res, 429, 'API requests too frequent');
    const error = await failure(client().getJson('/instances/'));
    assert.equal(error.category, 'rate-limit');
    assert.equal(error.status, 429);
    assert.equal(error.cloudMessage, 'API requests too frequent');
    assert.equal(error.retryAfterMs, undefined);
  });

  it('reads Retry-After seconds from a JSON 429', async () => {
    handler = (_req, res) => json(res, 429, { detail: 'API requests too frequent endpoint threshold=1.0' }, { 'retry-after': '7' });
    const error = await failure(client().getJson('/instances/'));
    assert.equal(error.category, 'rate-limit');
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.cloudMessage, 'API requests too frequent endpoint threshold=1.0');
  });

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    handler = (_req, res) => text(res, 429, 'slow down', { 'retry-after': 'Tue, 01 Jan 2030 00:00:12 GMT' });
    const error = await failure(client({ now: () => now }).getJson('/x'));
    assert.equal(error.retryAfterMs, 12_000);
  });

  it('maps 500 to network (retryable) with the Azure/Google error envelope', async () => {
    handler = (_req, res) => json(res, 500, { error: { code: 'InternalError', message: 'try later' } });
    const error = await failure(client().getJson('/x'));
    assert.equal(error.category, 'network');
    assert.equal(error.status, 500);
    assert.equal(error.cloudMessage, 'try later');
    assert.ok(isRetryable(classify(error)));
  });

  it("uses the cloud's error hook: its envelope reading and its category, with the body and headers it saw", async () => {
    handler = (_req, res) =>
      json(res, 400, { success: false, errors: [{ code: 6003, message: 'Invalid request headers' }] }, { 'x-why': 'slow' });
    const error = await failure(
      client({
        cloud: 'cloudflare',
        errorHook: {
          describe: (status, body) => ({ message: `custom ${status} ${typeof body}`, code: 'C' }),
          classify: ({ status, code, headers, body }) =>
            status === 400 && code === 'C' && headers?.['x-why'] === 'slow' && typeof body === 'object'
              ? { category: 'rate-limit', retryAfterMs: 10, hint: 'Wait.' }
              : undefined,
        },
      }).getJson('/x'),
    );
    assert.equal(error.category, 'rate-limit');
    assert.equal(error.retryAfterMs, 10);
    assert.equal(error.cloudMessage, 'custom 400 object');
    assert.match(error.message, /Wait\./);
  });

  it('treats malformed JSON on a 200 as a transient network error', async () => {
    handler = (_req, res) => text(res, 200, '{"instances": [', { 'content-type': 'application/json' });
    const error = await failure(client().getJson('/instances/'));
    assert.equal(error.code, MALFORMED_RESPONSE);
    assert.equal(error.category, 'network');
    assert.match(error.message, /malformed or truncated response/);
  });

  it('maps a body cut short (connection dropped mid-body) to network', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"instances": [');
      setImmediate(() => res.socket?.destroy());
    };
    const error = await failure(client().getJson('/instances/'));
    assert.equal(error.category, 'network');
  });

  it('maps a connection reset to network', async () => {
    handler = (req) => req.socket.destroy();
    const error = await failure(client().getJson('/instances/'));
    assert.equal(error.category, 'network');
    assert.ok(error.code, 'carries the socket error code');
    assert.match(error.message, /^Could not reach Vast\.ai \((connection closed|ECONNRESET)\)/);
  });

  it('times out a server that never answers', async () => {
    handler = () => undefined;
    const error = await failure(client({ timeoutMs: 50 }).getJson('/hang'));
    assert.equal(error.category, 'network');
    assert.equal(error.code, 'ETIMEDOUT');
    assert.match(error.message, /Could not reach Vast\.ai \(timed out\) for GET \/hang/);
  });

  it("rethrows the caller's abort reason unchanged", async () => {
    handler = () => undefined;
    const controller = new AbortController();
    const reason = new Error('refresh cancelled');
    const pending = client().getJson('/hang', undefined, controller.signal);
    setImmediate(() => controller.abort(reason));
    await assert.rejects(pending, (error: unknown) => error === reason);
  });

  it('stops reading past maxBytes (streamed, no content-length)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`["${'a'.repeat(800)}",`);
      res.end(`"${'b'.repeat(800)}"]`);
    };
    const error = await failure(client({ maxBytes: 1000 }).getJson('/big'));
    assert.equal(error.category, 'unknown');
    assert.equal(error.code, RESPONSE_TOO_LARGE);
    assert.match(error.message, /larger than 1000 bytes/);
  });

  it('refuses a declared content-length past maxBytes, per request', async () => {
    handler = (_req, res) => json(res, 200, { data: 'x'.repeat(3 * 1024 * 1024) });
    const error = await failure(client().request({ path: '/big', maxBytes: 2 * 1024 * 1024 }));
    assert.equal(error.code, RESPONSE_TOO_LARGE);
    assert.match(error.message, /larger than 2 MB/);
  });

  it('asks for compressed bodies and reads gzip, deflate and brotli answers (error bodies too), as fetch did', async () => {
    const encoders: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };
    for (const [encoding, encode] of Object.entries(encoders)) {
      handler = (_req, res, entry) => {
        const body = Buffer.from(
          JSON.stringify(entry.url.endsWith('/fail') ? { error: `${encoding} refused` } : { offers: ['a', encoding] }),
        );
        res.writeHead(entry.url.endsWith('/fail') ? 403 : 200, { 'content-type': 'application/json', 'content-encoding': encoding });
        res.end(encode(body));
      };
      const c = client();
      assert.deepEqual(await c.getJson('/offers'), { offers: ['a', encoding] });
      assert.match(String(seen[seen.length - 1].headers['accept-encoding']), /gzip/);
      const refused = await failure(c.getJson('/fail'));
      assert.equal(refused.category, 'permission');
      assert.match(refused.message, new RegExp(`${encoding} refused`));
    }
  });

  it('caps a compressed answer by its decompressed size (a small gzip of many zeros is refused, not inflated whole)', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    assert.ok(bomb.byteLength < 64 * 1024);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.byteLength });
      res.end(bomb);
    };
    const error = await failure(client({ maxBytes: 1024 * 1024 }).getJson('/bomb'));
    assert.equal(error.code, RESPONSE_TOO_LARGE);
  });

  it('sends a form body as fetch would (URL-encoded, with its content type) and follows no redirect', async () => {
    handler = (_req, res, entry) =>
      entry.url.endsWith('/moved') ? res.writeHead(302, { location: '/elsewhere' }).end() : json(res, 200, {});
    const pipeline = client().transport();
    await pipeline.send({
      url: new URL(`${origin}/api/v0/token`),
      method: 'POST',
      operation: 'token',
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'x y' }),
    });
    assert.equal(seen[0].body, 'grant_type=client_credentials&scope=x+y');
    assert.match(String(seen[0].headers['content-type']), /^application\/x-www-form-urlencoded/);
    const error = await failure(pipeline.send({ url: new URL(`${origin}/api/v0/moved`), method: 'GET', operation: 'moved' }));
    assert.equal(seen.length, 2, 'the redirect was not followed');
    assert.equal(error.category, 'config');
  });

  it('runs every request through call() exactly once, with its operation name and signal', async () => {
    const calls: string[] = [];
    const call: ApiCall = (operation, fn, signal) => {
      calls.push(`${operation}|${signal ? 'signal' : 'none'}`);
      return fn(signal ?? new AbortController().signal);
    };
    const c = client({ call });
    await c.getJson('/instances/', { limit: 1 });
    await c.request({ path: '/bundles/', method: 'POST', json: {}, operation: 'searchOffers' }, new AbortController().signal);
    assert.deepEqual(calls, ['GET /instances/|none', 'searchOffers|signal']);
    assert.equal(seen.length, 2);
  });

  it('retries through withRetry end to end: 503, 503, then 200', async () => {
    let count = 0;
    handler = (_req, res) => (++count < 3 ? text(res, 503, 'unavailable') : json(res, 200, { ok: true }));
    const sleeps: number[] = [];
    const call: ApiCall = (_operation, fn, signal) =>
      withRetry(() => fn(signal ?? new AbortController().signal), {
        cloud: 'vastai',
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
      });
    assert.deepEqual(await client({ call }).getJson('/x'), { ok: true });
    assert.deepEqual(sleeps, [1000, 2000]);
    assert.equal(seen.length, 3);
  });

  it('never lets the Authorization value into an error, even when the server echoes it', async () => {
    const echo: Handler = (req, res) => text(res, 401, `bad credentials: ${req.headers.authorization} / ${TOKEN}`);
    const echoJson: Handler = (req, res) => json(res, 500, { message: `upstream saw ${req.headers.authorization}`, token: TOKEN });
    for (const h of [echo, echoJson]) {
      handler = h;
      const error = await failure(client().getJson(`/x?api_key=${TOKEN}`));
      for (const text of [error.message, String(error.stack), error.cloudMessage ?? '', redactError(error), JSON.stringify(error)]) {
        assert.ok(!text.includes(TOKEN), `leaked in: ${text}`);
      }
      assert.match(error.cloudMessage ?? '', /\[REDACTED\]/);
    }
  });

  it('redacts a credential passed as a per-request header too', async () => {
    handler = (req, res) => text(res, 403, `key ${String(req.headers['x-api-key'])} has no access`);
    const error = await failure(client().request({ path: '/x', headers: { 'X-Api-Key': 'per-request-key-42' } }));
    assert.ok(!error.message.includes('per-request-key-42'));
    assert.equal(error.cloudMessage, 'key [REDACTED] has no access');
  });

  it('withHeaders adds headers and keeps the defaults', async () => {
    await client().withHeaders({ 'X-Request-ID': 'abc' }).getJson('/x');
    assert.equal(seen[0].headers['x-request-id'], 'abc');
    assert.equal(seen[0].headers.authorization, `Bearer ${TOKEN}`);
  });

  it('follows an absolute link on its own origin but refuses to send credentials elsewhere', async () => {
    await client().getJson(`${origin}/api/v0/next?page=2`);
    assert.equal(seen[0].url, '/api/v0/next?page=2');
    const error = await failure(client().getJson('http://169.254.169.254/latest'));
    assert.equal(error.category, 'config');
    assert.equal(seen.length, 1);
  });

  it("keeps its requests' and its SDK transports' connections in one pool, and close() ends them", async () => {
    const ports: number[] = [];
    handler = (req, res) => (ports.push(req.socket.remotePort!), json(res, 200, {}));
    const c = createHttpClient({ cloud: 'vastai', baseUrl: `${origin}/api/v0` });
    await c.getJson('/a');
    await c.getJson('/b');
    await c.transport().fetch(`${origin}/api/v0/c`);
    assert.ok(ports.slice(0, 2).includes(ports[2]), `the SDK transport reused a socket of the client's pool (ports ${ports.join(', ')})`);
    const open = () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
    assert.ok((await open()) >= 1, 'kept alive');
    await c.close();
    for (let i = 0; i < 50 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await open(), 0, 'close() closed the pooled socket');
  });

  it('reports an invalid endpoint setting as config', async () => {
    const error = await failure(client({ baseUrl: 'not a url' }).getJson('/x'));
    assert.equal(error.category, 'config');
    assert.match(error.message, /cloudtop\.vastai\.endpoint/);
  });
});
