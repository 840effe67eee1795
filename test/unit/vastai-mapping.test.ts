// Vast.ai wire → model, offers, the error re-labelling and the CLI key-file reader, without a network.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudtopError } from '../../src/core/errors/errors';
import type { ResourceStatus } from '../../src/core/model/model';
import type { VastInstance, VastOffer } from '../../src/providers/vastai/api';
import { readVastCliKey, vastKeyFiles } from '../../src/providers/vastai/credentials';
import { isInvalidKey404, vastErrors } from '../../src/providers/vastai/errors';
import { cpuPercent, storagePerHour, toMetrics, toResource, vastStatus } from '../../src/providers/vastai/mapping';
import { availabilityOf, sortOffers, toGpuOffers } from '../../src/providers/vastai/offers';

/** A `config` refusal naming the file and saying why. */
const refused = (file: string, why: RegExp) => (e: unknown) =>
  e instanceof CloudtopError && e.category === 'config' && e.message.includes(file) && why.test(e.message);

/** The example row of vast-ai/docs api-reference/openapi/yaml/show_instances.yaml, as documented. */
const DOC_ROW: VastInstance = {
  id: 312,
  actual_status: 'running',
  intended_status: 'running',
  cur_state: 'running',
  label: 'ML Training Job 2025',
  machine_id: 12,
  host_id: 7,
  num_gpus: 1,
  gpu_name: 'RTX 4090',
  gpu_ram: 24576,
  gpu_util: 0.0,
  gpu_temp: 38.999981,
  cpu_util: 0.0,
  mem_limit: 15.71815424,
  mem_usage: 0.00996352,
  disk_space: 10.08,
  disk_usage: 0.05,
  disk_util: 0.05,
  dph_base: 0.8,
  dph_total: 0.8021,
  storage_cost: 0.15,
  storage_total_cost: 0.0021,
  is_bid: false,
  start_date: 1668804745.1223178,
  image_uuid: 'nvidia/cuda:11.0.3-devel-ubuntu18.04',
  ssh_host: 'ssh123.vast.ai',
  ssh_port: 10600,
  public_ipaddr: '192.0.2.45',
  geolocation: 'California, United States',
  reliability2: 0.9686655,
  verification: 'verified',
  status_msg: 'success, running ...',
};
const s = (v: number) => ({ avg: v, max: v, min: v });

describe('Vast.ai mapping', () => {
  it('maps the documented example row', () => {
    const r = toResource(DOC_ROW, 'acct');
    assert.equal(r.id, '312');
    assert.equal(r.account, 'acct');
    assert.equal(r.name, 'ML Training Job 2025');
    assert.equal(r.status, 'running');
    assert.deepEqual(r.gpu, { key: 'RTX-4090-24GB', model: 'RTX 4090', count: 1, memoryGb: 24 });
    assert.equal(r.pricePerHour, 0.8021);
    assert.ok(Math.abs(r.storagePricePerHour! - 0.0021) < 1e-12, 'derived storage equals the documented storage_total_cost');
    assert.equal(r.createdAt, '2022-11-18T20:52:25.122Z');
    assert.deepEqual(r.ssh, { host: 'ssh123.vast.ai', port: 10600, user: 'root' });
    // gpu_util 0.0 is a real reading (an idle GPU), not an absent one.
    assert.deepEqual(toMetrics(DOC_ROW), {
      compute: { cpuPercent: s(0), memoryPercent: s((0.00996352 / 15.71815424) * 100), diskUsedPercent: s(5) },
      gpu: { utilizationPercent: s(0), temperatureC: s(38.999981) },
    });
  });

  it('reads status from actual_status and intended_status, keeping the raw word', () => {
    const table: [string | null, string | null, ResourceStatus][] = [
      ['running', 'running', 'running'],
      ['running', 'stopped', 'stopping'],
      [null, 'running', 'starting'],
      [null, 'stopped', 'stopped'],
      ['loading', 'running', 'starting'],
      ['created', 'running', 'starting'],
      ['scheduling', 'running', 'starting'],
      ['exited', 'stopped', 'stopped'],
      ['exited', 'running', 'error'],
      ['stopped', 'stopped', 'stopped'],
      ['stopped', 'running', 'starting'],
      ['offline', 'running', 'error'],
      ['offline', 'stopped', 'stopped'],
      ['unknown', 'running', 'unknown'],
      ['weird', 'running', 'unknown'],
      ['frozen', 'frozen', 'stopped'],
      ['frozen', 'running', 'starting'],
      ['running', 'frozen', 'stopping'],
      ['rebooting', 'running', 'starting'],
    ];
    for (const [actual, intended, expected] of table) assert.equal(vastStatus(actual, intended), expected, `${actual}/${intended}`);
    assert.equal(toResource({ ...DOC_ROW, actual_status: 'exited', intended_status: 'stopped' }, '').rawStatus, 'exited');
    const provisioning = toResource({ ...DOC_ROW, actual_status: null }, '');
    assert.equal(provisioning.rawStatus, undefined);
    assert.equal(provisioning.details?.intendedStatus, 'running');
  });

  it('marks only a frozen instance as billed while paused', () => {
    assert.equal(toResource({ ...DOC_ROW, actual_status: 'frozen', intended_status: 'frozen' }, '').chargedWhilePaused, true);
    for (const actual of ['running', 'stopped', 'exited', 'rebooting', null]) {
      assert.equal(toResource({ ...DOC_ROW, actual_status: actual }, '').chargedWhilePaused, undefined, String(actual));
    }
  });

  it('reads cpu_util as a fraction of the CPUs and gpu_util as a percentage, both kept within 0–100', () => {
    for (const fraction of [0, 0.25, 0.5, 1]) assert.deepEqual(cpuPercent(fraction), fraction * 100);
    assert.equal(cpuPercent(1.7), 100, 'a burst past the share stays a percentage');
    assert.equal(cpuPercent(-1), undefined);
    assert.equal(cpuPercent(null), undefined);
    const m = toMetrics({ ...DOC_ROW, cpu_util: 0.5, gpu_util: 50 });
    assert.deepEqual([m?.compute?.cpuPercent?.avg, m?.gpu?.utilizationPercent?.avg], [50, 50], 'the same load reads the same on both');
  });

  it('converts MB to GB by 1024, which a name the normalizer does not know makes visible', () => {
    const r = toResource({ ...DOC_ROW, gpu_name: 'Imaginary RTX 9999', gpu_ram: 24576 }, '');
    assert.equal(r.gpu?.memoryGb, 24, '24576 MB is 24 GB, not 24.6');
    assert.equal(toResource({ ...DOC_ROW, gpu_name: 'H100 SXM', gpu_ram: 81559, num_gpus: 8 }, '').gpu?.key, 'H100-SXM-80GB');
  });

  it('leaves out what the row does not say, and treats a GPU-less row as a plain instance', () => {
    const bare = toResource({ id: 9, actual_status: 'running' }, '');
    assert.deepEqual(bare, {
      id: '9',
      cloud: 'vastai',
      account: '',
      kind: 'instance',
      service: 'Instances',
      name: 'Instance 9',
      status: 'running',
      rawStatus: 'running',
      consoleUrl: 'https://cloud.vast.ai/instances/',
      details: {},
    });
    assert.equal(toMetrics({ id: 9, actual_status: 'running' }), undefined);
    assert.equal(
      toMetrics({ ...DOC_ROW, gpu_util: -1, gpu_temp: null, cpu_util: null, mem_limit: 0, disk_util: -1, disk_usage: -1 }),
      undefined,
      'negative, null and 0-limit readings are absent',
    );
    assert.equal(toMetrics({ ...DOC_ROW, actual_status: 'loading' }), undefined, 'only running instances have current readings');
    assert.deepEqual(
      toMetrics({ ...DOC_ROW, disk_util: null, disk_usage: 2.52 })?.compute?.diskUsedPercent,
      s(25),
      'used GB / allocated GB when disk_util is absent',
    );
  });

  it('prices storage from $/GB/month × GB / 720 h, else storage_total_cost', () => {
    assert.equal(storagePerHour({ id: 1, storage_cost: 0.36, disk_space: 100 }), 0.05);
    assert.equal(storagePerHour({ id: 1, storage_total_cost: 0.0042 }), 0.0042);
    assert.equal(storagePerHour({ id: 1 }), undefined);
  });
});

describe('Vast.ai offers', () => {
  const at = '2026-11-01T12:00:00.000Z';
  const offer = (o: Partial<VastOffer> & { id: number }): VastOffer => ({
    gpu_name: 'RTX 4090',
    num_gpus: 1,
    gpu_ram: 24564,
    dph_total: 0.4,
    geolocation: 'Norway, NO',
    ...o,
  });

  it('keeps the cheapest offer per GPU key at its per-GPU-hour price, with availability from GPUs on offer', () => {
    const got = toGpuOffers(
      [
        offer({ id: 1, num_gpus: 4, dph_total: 1.2 }),
        offer({ id: 2, num_gpus: 1, dph_total: 0.35, geolocation: 'Texas, US' }),
        offer({ id: 3, gpu_name: 'H100 SXM', gpu_ram: 81559, num_gpus: 8, dph_total: 16 }),
        offer({ id: 4, gpu_name: '', dph_total: 0.01 }),
        offer({ id: 5, num_gpus: 0, dph_total: 0.01 }),
        offer({ id: 6, dph_total: null }),
      ],
      'bid',
      at,
    );
    assert.deepEqual(got, [
      {
        cloud: 'vastai',
        gpuKey: 'RTX-4090-24GB',
        gpuName: 'RTX 4090',
        gpuCount: 4,
        pricePerGpuHour: 0.3,
        pricing: 'spot',
        region: 'Norway, NO',
        availability: 'medium',
        fetchedAt: at,
      },
      {
        cloud: 'vastai',
        gpuKey: 'H100-SXM-80GB',
        gpuName: 'H100 SXM',
        gpuCount: 8,
        pricePerGpuHour: 2,
        pricing: 'spot',
        region: 'Norway, NO',
        availability: 'medium',
        fetchedAt: at,
      },
    ]);
    assert.deepEqual([0, 1, 3, 4, 15, 16].map(availabilityOf), ['none', 'low', 'low', 'medium', 'medium', 'high']);
  });

  it('sorts cheapest first, on-demand before spot at the same price', () => {
    const sorted = sortOffers([
      ...toGpuOffers(
        [offer({ id: 1, dph_total: 0.5 }), offer({ id: 2, gpu_name: 'A40', gpu_ram: 46068, dph_total: 0.2 })],
        'on-demand',
        at,
      ),
      ...toGpuOffers([offer({ id: 3, dph_total: 0.2 })], 'bid', at),
    ]);
    assert.deepEqual(
      sorted.map((o) => [o.gpuKey, o.pricing]),
      [
        ['A40-48GB', 'on-demand'],
        ['RTX-4090-24GB', 'spot'],
        ['RTX-4090-24GB', 'on-demand'],
      ],
    );
  });
});

describe('Vast.ai errors', () => {
  const err = (status: number, cloudMessage?: string) =>
    new CloudtopError({ category: 'not-found', cloud: 'vastai', status, message: 'x', ...(cloudMessage ? { cloudMessage } : {}) });

  it('its error hook calls the search’s 404 "Invalid user key" (or an expired session) auth and leaves every other answer alone', () => {
    const classify = vastErrors.classify!;
    assert.deepEqual(classify({ status: 404, message: 'Invalid user key' }), { category: 'auth' });
    assert.deepEqual(classify({ status: 404, message: 'Session expired. Please log in again.' }), { category: 'auth' });
    assert.equal(classify({ status: 404, message: 'No such instance' }), undefined);
    assert.equal(classify({ status: 401, message: 'Invalid user key' }), undefined, 'a 401 is auth by its status already');
    assert.equal(isInvalidKey404(err(404, 'Invalid user key')), true);
    assert.equal(isInvalidKey404(err(401, 'Invalid user key')), false);
    assert.equal(isInvalidKey404(new Error('Invalid user key')), false);
  });
});

describe('Vast.ai CLI key file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cloudtop-vast-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  const xdgFile = () => join(home, '.config', 'vastai', 'vast_api_key');
  const put = async (file: string, content: string) => {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, content);
  };

  it('reads ~/.config/vastai/vast_api_key first, trimmed', async () => {
    await put(xdgFile(), '  abc123xdg\n');
    await put(join(home, '.vast_api_key'), 'legacy-key');
    assert.deepEqual(await readVastCliKey({ HOME: home }), { apiKey: 'abc123xdg' });
  });

  it('falls back to the legacy ~/.vast_api_key', async () => {
    await put(join(home, '.vast_api_key'), 'legacy-key\n');
    assert.deepEqual(await readVastCliKey({ HOME: home }), { apiKey: 'legacy-key' });
  });

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', async () => {
    const xdg = join(home, 'elsewhere');
    await put(join(xdg, 'vastai', 'vast_api_key'), 'from-xdg-home');
    await put(xdgFile(), 'from-default');
    assert.deepEqual(await readVastCliKey({ HOME: home, XDG_CONFIG_HOME: xdg }), { apiKey: 'from-xdg-home' });
    assert.deepEqual(await readVastCliKey({ HOME: home, XDG_CONFIG_HOME: 'relative/dir' }), { apiKey: 'from-default' });
    assert.deepEqual(vastKeyFiles({ HOME: '/h', XDG_CONFIG_HOME: '/x' }), [
      join('/x', 'vastai', 'vast_api_key'),
      join('/h', '.vast_api_key'),
    ]);
  });

  it('is undefined without a key; refuses a directory or an unreadable file naming it', async () => {
    assert.equal(await readVastCliKey({ HOME: home }), undefined, 'no file');
    assert.equal(await readVastCliKey({}), undefined, 'no HOME at all');
    await put(xdgFile(), ' \n');
    assert.equal(await readVastCliKey({ HOME: home }), undefined, 'empty file');
    await rm(xdgFile());
    await mkdir(xdgFile(), { recursive: true });
    await assert.rejects(readVastCliKey({ HOME: home }), refused(xdgFile(), /is a directory/), 'a directory where the file should be');
    await rm(xdgFile(), { recursive: true });
    if (process.getuid?.() !== 0) {
      await put(xdgFile(), 'secret');
      await chmod(xdgFile(), 0o000);
      await assert.rejects(readVastCliKey({ HOME: home }), refused(xdgFile(), /cannot be read \(EACCES\)/), 'unreadable file');
    }
  });
});
