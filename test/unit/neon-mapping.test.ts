// Neon wire → model mapping, the pagination stop rule and the bounded fan-out, without a network.
import assert from 'node:assert/strict';
import { CloudtopError } from '../../src/core/errors/errors';
import { listOf, nextToken, type WireEndpoint, type WireProject } from '../../src/providers/neon/api';
import { branchStatus, endpointStatus, mapBranch, mapEndpoint, mapProject, projectStatus } from '../../src/providers/neon/mapping';
import { mapConcurrent } from '../../src/core/transport/wire';

const project: WireProject = { id: 'p-1', name: 'app', region_id: 'aws-us-east-2', created_at: '2026-01-01T00:00:00Z' };
const endpoint = (e: Partial<WireEndpoint> = {}): WireEndpoint => ({
  id: 'ep-1',
  branch_id: 'br-1',
  type: 'read_write',
  current_state: 'idle',
  ...e,
});

describe('Neon mapping', () => {
  it('maps compute states, telling transitions apart by the pending state', () => {
    const cases: Array<[unknown, unknown, string]> = [
      ['active', undefined, 'running'],
      ['active', 'idle', 'stopping'],
      ['active', 'active', 'running'],
      ['idle', undefined, 'stopped'],
      ['idle', 'active', 'starting'],
      ['idle', 'init', 'starting'],
      ['init', undefined, 'starting'],
      ['init', 'active', 'starting'],
      ['suspended', undefined, 'unknown'],
      [undefined, undefined, 'unknown'],
      ['ACTIVE', undefined, 'unknown'],
      [3, 'idle', 'unknown'],
    ];
    for (const [current, pending, expected] of cases)
      assert.equal(endpointStatus(current, pending), expected, `${String(current)} → ${String(pending)}`);
  });

  it('maps branch states: ready is up, archived is cold, init and resetting are on their way', () => {
    assert.deepEqual(['ready', 'archived', 'init', 'resetting', 'importing', undefined].map(branchStatus), [
      'running',
      'stopped',
      'starting',
      'starting',
      'unknown',
      'unknown',
    ]);
  });

  it('gives a project the state of its busiest compute, and stopped without computes', () => {
    assert.equal(projectStatus([]), 'stopped');
    assert.equal(projectStatus(['stopped', 'stopped']), 'stopped');
    assert.equal(projectStatus(['stopped', 'starting', 'running']), 'running');
    assert.equal(projectStatus(['stopped', 'stopping', 'starting']), 'starting');
    assert.equal(projectStatus(['stopped', 'stopping']), 'stopping');
    assert.equal(projectStatus(['unknown']), 'unknown');
    assert.equal(projectStatus(['unknown', 'stopped']), 'stopped');
  });

  it('reads the suspend timeout: seconds, 0 = the default, -1 = never', () => {
    const details = (s: number | undefined) => mapEndpoint(endpoint({ suspend_timeout_seconds: s }), project, new Map(), '').details!;
    assert.deepEqual([details(300).suspendTimeoutSec, details(300).suspendTimeout], [300, undefined]);
    assert.deepEqual([details(0).suspendTimeoutSec, details(0).suspendTimeout], [undefined, 'default']);
    assert.deepEqual([details(-1).suspendTimeoutSec, details(-1).suspendTimeout], [undefined, 'never']);
    assert.deepEqual([details(undefined).suspendTimeoutSec, details(undefined).suspendTimeout], [undefined, undefined]);
  });

  it('names a compute by its own name, else its branch, else the branch id; read-only ones say so', () => {
    const names = new Map([['br-1', 'main']]);
    assert.equal(mapEndpoint(endpoint(), project, names, '').name, 'app / main');
    assert.equal(mapEndpoint(endpoint({ type: 'read_only' }), project, names, '').name, 'app / main (read-only)');
    assert.equal(mapEndpoint(endpoint({ name: 'analytics' }), project, names, '').name, 'app / analytics');
    assert.equal(mapEndpoint(endpoint({ name: '  ' }), project, new Map(), '').name, 'app / br-1');
    assert.equal(mapEndpoint(endpoint({ branch_id: undefined }), { id: 'p-2', name: '' }, new Map(), '').name, 'p-2 / ep-1');
  });

  it('keeps only sane counters: negative, NaN, infinite and non-numeric ones stay absent, never 0', () => {
    const p = mapProject({ ...project, active_time: -5, synthetic_storage_size: Number.NaN, pg_version: 16 }, '', []);
    assert.deepEqual(p.details, { pgVersion: 16, computes: 0, computesActive: 0 });
    const b = mapBranch(
      {
        id: 'br-1',
        name: 'main',
        current_state: 'ready',
        compute_time_seconds: 12,
        written_data_bytes: '9' as unknown as number,
        logical_size: 0,
      },
      project,
      '',
    );
    assert.deepEqual(b.details, { projectId: 'p-1', logicalSizeBytes: 0, computeTimeSec: 12 });
    const e = mapEndpoint(
      endpoint({ autoscaling_limit_min_cu: 0.25, autoscaling_limit_max_cu: Number.POSITIVE_INFINITY, type: 'analytics' }),
      project,
      new Map(),
      '',
    );
    assert.deepEqual([e.details!.minCu, e.details!.maxCu, e.details!.type], [0.25, undefined, 'analytics']);
  });

  it('builds console links with escaped ids and falls back to the id for a nameless project', () => {
    const odd = mapProject({ id: 'a/b?c', name: '' }, 'org-1', []);
    assert.equal(odd.consoleUrl, 'https://console.neon.tech/app/projects/a%2Fb%3Fc');
    assert.equal(odd.name, 'a/b?c');
    assert.equal(odd.account, 'org-1');
    assert.equal(odd.region, undefined);
    assert.equal(
      mapEndpoint(endpoint({ branch_id: 'br/x' }), project, new Map(), '').consoleUrl,
      'https://console.neon.tech/app/projects/p-1/branches/br%2Fx',
    );
    assert.equal(
      mapEndpoint(endpoint({ branch_id: undefined }), project, new Map(), '').consoleUrl,
      'https://console.neon.tech/app/projects/p-1',
    );
  });

  it('marks projects and computes as having metrics Neon does not report, and branches as having none to report', () => {
    assert.deepEqual(mapProject(project, '', []).unreportedMetrics, ['database']);
    assert.deepEqual(mapEndpoint(endpoint(), project, new Map(), '').unreportedMetrics, ['compute', 'database']);
    assert.equal(mapBranch({ id: 'br-1' }, project, '').unreportedMetrics, undefined);
  });
});

describe('Neon pages and lists', () => {
  it('ends a listing on a short page whatever token it carries, and on a full page without a usable token', () => {
    assert.equal(nextToken(99, 100, 'c'), undefined);
    assert.equal(nextToken(0, 100, 'c'), undefined);
    assert.equal(nextToken(100, 100, 'c'), 'c');
    assert.equal(nextToken(100, 100, ''), undefined);
    assert.equal(nextToken(100, 100, undefined), undefined);
    assert.equal(nextToken(100, 100, 7), undefined);
  });

  it('reads a named list, dropping items without a string id, and refuses an answer without one', () => {
    assert.deepEqual(listOf({ projects: [{ id: 'a' }, null, { id: '' }, { id: 5 }, 'x', { id: 'b' }] }, 'projects', 'GET /projects'), [
      { id: 'a' },
      { id: 'b' },
    ]);
    for (const body of [{}, { projects: {} }, [], null, 'text']) {
      assert.throws(
        () => listOf(body, 'projects', 'GET /projects'),
        (e: unknown) => e instanceof CloudtopError && e.category === 'unknown' && /without a "projects" list/.test(e.message),
      );
    }
  });

  it('fans out at most `limit` at a time, keeps item order, and starts no more after a failure', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const work = async (i: number) => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, (7 - i) * 2));
      running--;
      return i * 10;
    };
    assert.deepEqual(await mapConcurrent([1, 2, 3, 4, 5, 6], 3, work), [10, 20, 30, 40, 50, 60]);
    assert.equal(peak, 3);
    started.length = 0;
    await assert.rejects(
      mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (i) => {
        started.push(i);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === 1) throw new Error('boom');
        return i;
      }),
      /boom/,
    );
    await new Promise((resolve) => setTimeout(resolve, 20)); // time for a worker that kept going to take more
    assert.deepEqual(started, [1, 2], 'the failure stopped the workers from taking items 3–6');
    assert.deepEqual(await mapConcurrent([], 3, work), []);
  });
});
