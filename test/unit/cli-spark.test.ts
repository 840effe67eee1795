// `cloudtop --refresh --wide`: the in-memory history draws each GPU instance's utilization over the refreshes as a
// sparkline column (plain characters: the same with NO_COLOR and in a pipe), and `--json` frames stay as they were.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { serializeJson, toJsonDocument } from '../../src/cli/format/json';
import { Output } from '../../src/cli/output';
import { show } from '../../src/cli/show';
import type { Engine } from '../../src/core/engine/engine';
import type { ProviderOutcome, Snapshot } from '../../src/core/model/model';
import { computeTotals } from '../../src/core/model/spend';
import { catalogue } from '../../src/providers/index';

const stat = (v: number) => ({ avg: v, max: v, min: v });

/** Vast.ai with a GPU instance at `util` % and a CPU-only one, fetched at `at`. */
function snapshotAt(at: number, util: number): Snapshot {
  const fetchedAt = new Date(at).toISOString();
  const vastai: ProviderOutcome = {
    cloud: 'vastai',
    state: 'ok',
    resources: [
      {
        id: '101',
        cloud: 'vastai',
        account: '',
        kind: 'gpu-instance',
        service: 'Instances',
        name: 'train-a',
        status: 'running',
        pricePerHour: 1.5,
        gpu: { model: 'H100', count: 1 },
      },
      {
        id: '102',
        cloud: 'vastai',
        account: '',
        kind: 'instance',
        service: 'Instances',
        name: 'cpu-box',
        status: 'running',
        pricePerHour: 0.1,
      },
    ],
    metrics: {
      '101': { gpu: { utilizationPercent: stat(util) }, compute: { cpuPercent: stat(5) } },
      '102': { compute: { cpuPercent: stat(9) } },
    },
    offers: [],
    fetchedAt,
    fromCache: false,
    stale: false,
    durationMs: 1,
  };
  return { timestamp: fetchedAt, durationMs: 1, outcomes: { vastai }, totals: computeTotals({ vastai }) };
}

class PipeStream extends EventEmitter {
  text = '';
  isTTY = false;
  frames = 0;
  constructor(private readonly stopAfter: number) {
    super();
  }
  write(chunk: string): boolean {
    this.text += chunk;
    // The reader goes away after the frames the test wants: the watch loop ends cleanly.
    if (++this.frames === this.stopAfter)
      setImmediate(() => this.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
    return true;
  }
}

async function run(output: 'wide' | 'json' | 'table', utils: readonly number[]): Promise<string> {
  const stream = new PipeStream(utils.length);
  let n = 0;
  const engine = {
    collector: { refresh: () => Promise.resolve(snapshotAt(Date.UTC(2026, 11, 1, 0, n), utils[Math.min(n++, utils.length - 1)])) },
  };
  await show(
    { gpu: false, output, noCache: false, failFast: false, refreshMs: 1, cache: 'memory', color: true },
    {
      engine: engine as unknown as Engine,
      clouds: ['vastai'],
      catalogue,
      output: new Output(stream as unknown as NodeJS.WriteStream),
      env: { NO_COLOR: '1' },
    },
  );
  return stream.text;
}

describe('cli --refresh --wide sparklines', () => {
  it('draws GPU utilization over the refreshes for GPU instances only, in plain text', async () => {
    const text = await run('wide', [0, 50, 100]);
    const frames = text.split('\n\n\n').filter(Boolean);
    const last = text
      .split('\n')
      .filter((l) => l.includes('train-a'))
      .at(-1)!;
    assert.match(text, /GPU% history/);
    assert.ok(last.includes('▁▅█'), last);
    const cpu = text
      .split('\n')
      .filter((l) => l.includes('cpu-box'))
      .at(-1)!;
    assert.ok(!/[▁▂▃▄▅▆▇█]/.test(cpu), cpu);
    // NO_COLOR and a pipe: no escape sequence at all.
    assert.ok(!text.includes('\u001b'), 'no escape sequences');
    assert.ok(frames.length >= 1);
  });

  it('has no sparkline column without --wide, and --json frames are the documents they were', async () => {
    assert.ok(!(await run('table', [10, 20])).includes('GPU% history'));
    const text = await run('json', [10, 20]);
    const expected = [0, 1].map((n) =>
      serializeJson(toJsonDocument(snapshotAt(Date.UTC(2026, 11, 1, 0, n), [10, 20][n]), ['vastai']), { pretty: false }),
    );
    assert.equal(text, expected.join(''));
  });
});
