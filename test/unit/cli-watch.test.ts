// The --refresh loop with a fake process and a fake refresh: cycles never overlap, the first may use the cache
// and later ones never do, a signal stops it (mid-refresh too) and the terminal is always given back.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Output } from '../../src/cli/output';
import { Screen, watch } from '../../src/cli/watch';
import type { Snapshot } from '../../src/core/model/model';

const snapshot = (n: number): Snapshot => ({
  timestamp: new Date(n).toISOString(),
  durationMs: 0,
  outcomes: {},
  totals: { gpuSpendPerHour: 0, runningGpuCount: 0, stoppedStoragePerHour: 0, unpricedGpuCount: 0, unpricedGpu: [], gpuSpend: [] },
});

class FakeStream extends EventEmitter {
  text = '';
  isTTY = true;
  columns = 80;
  rows = 5;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function fakeOutput(): { output: Output; stream: FakeStream } {
  const stream = new FakeStream();
  return { output: new Output(stream as unknown as NodeJS.WriteStream), stream };
}

describe('cli watch loop', () => {
  it('draws at once, then every interval, one refresh at a time; only the first may use the cache', async () => {
    const proc = new EventEmitter();
    const { output } = fakeOutput();
    const forced: boolean[] = [];
    let running = 0;
    let overlapped = false;
    const drawn: number[] = [];
    const done = watch({
      intervalMs: 20,
      noCache: false,
      output,
      process: proc,
      refresh: async (force) => {
        forced.push(force);
        overlapped ||= running > 0;
        running++;
        await new Promise((resolve) => setTimeout(resolve, 35)); // slower than the interval
        running--;
        return snapshot(forced.length);
      },
      draw: (s) => {
        drawn.push(Date.parse(s.timestamp));
        if (drawn.length === 3) proc.emit('SIGINT');
      },
    });
    await done;
    assert.deepEqual(drawn, [1, 2, 3]);
    assert.deepEqual(forced, [false, true, true]);
    assert.equal(overlapped, false, 'a slow refresh stretches the cycle instead of overlapping');
    assert.equal(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM') + proc.listenerCount('SIGWINCH'), 0, 'handlers removed');
  });

  it('--no-cache bypasses the cache from the first cycle', async () => {
    const proc = new EventEmitter();
    const forced: boolean[] = [];
    await watch({
      intervalMs: 10,
      noCache: true,
      output: fakeOutput().output,
      process: proc,
      refresh: (force) => Promise.resolve((forced.push(force), snapshot(1))),
      draw: () => proc.emit('SIGTERM'),
    });
    assert.deepEqual(forced, [true]);
  });

  it('stops mid-refresh on SIGINT without drawing the cancelled cycle, and leaves the alternate screen', async () => {
    const proc = new EventEmitter();
    const { output, stream } = fakeOutput();
    let draws = 0;
    await watch({
      intervalMs: 1000,
      noCache: false,
      output,
      process: proc,
      screen: new Screen(output),
      refresh: (_force, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => resolve(snapshot(0)));
          setTimeout(() => proc.emit('SIGINT'), 5);
        }),
      draw: () => draws++,
    });
    assert.equal(draws, 0);
    assert.equal(stream.text, '\u001b[?1049h\u001b[?25l\u001b[?7l\u001b[?7h\u001b[?25h\u001b[?1049l', 'entered and restored');
  });

  it('gives the terminal back when a refresh throws (--fail-fast)', async () => {
    const { output, stream } = fakeOutput();
    await assert.rejects(
      watch({
        intervalMs: 10,
        noCache: false,
        output,
        process: new EventEmitter(),
        screen: new Screen(output),
        refresh: () => Promise.reject(new Error('boom')),
        draw: () => undefined,
      }),
      /boom/,
    );
    assert.ok(stream.text.endsWith('\u001b[?1049l'));
  });

  it('stops when the reader goes away (EPIPE)', async () => {
    const { output, stream } = fakeOutput();
    let cycles = 0;
    await watch({
      intervalMs: 5,
      noCache: false,
      output,
      process: new EventEmitter(),
      refresh: () => Promise.resolve(snapshot(++cycles)),
      draw: () => stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    assert.equal(cycles, 1);
    assert.equal(output.isClosed, true);
  });

  it('draws a frame in place and cuts it to the terminal height', () => {
    const { output, stream } = fakeOutput();
    new Screen(output).frame(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.equal(
      stream.text,
      '\u001b[Ha\u001b[K\nb\u001b[K\nc\u001b[K\nd\u001b[K\n… 3 more lines (a taller terminal or --provider shows them)\u001b[K\u001b[J',
    );
  });
});
