// `cloudtop stop|start` flags: what they turn into, and every mistake a one-line UsageError (exit 2).
import assert from 'node:assert/strict';
import { DEFAULT_WAIT_MS, parseCommand, type ActOptions } from '../../src/cli/args';
import { UsageError } from '../../src/cli/errors';
import type { CloudId } from '../../src/core/model/model';

const AVAILABLE: CloudId[] = ['vastai', 'runpod', 'neon'];
const act = (...argv: string[]): ActOptions => {
  const command = parseCommand(argv, AVAILABLE);
  return command.kind === 'act' ? command.options : assert.fail(`not stop/start: ${command.kind}`);
};
const usageError = (argv: string[], pattern: RegExp) =>
  assert.throws(
    () => parseCommand(argv, AVAILABLE),
    (error: unknown) => error instanceof UsageError && pattern.test(error.message) && !error.message.includes('\n'),
  );

describe('cloudtop stop | start flags', () => {
  it('takes resources, clouds, --yes, --dry-run, --wait, --timeout and --json', () => {
    assert.deepEqual(act('stop', 'train-01', '4242', '-p', 'vastai,runpod', '--yes', '--wait', '--timeout', '2m', '--json'), {
      action: 'stop',
      resources: ['train-01', '4242'],
      idle: false,
      clouds: ['vastai', 'runpod'],
      yes: true,
      dryRun: false,
      wait: true,
      waitMs: 120_000,
      json: true,
      cache: 'file',
    });
    const start = act('start', 'ep-1', '--dry-run');
    assert.equal(start.action, 'start');
    assert.equal(start.dryRun, true);
    assert.equal(start.yes, false);
    assert.equal(start.waitMs, DEFAULT_WAIT_MS);
  });

  it('stop --idle selects instead of resources', () => {
    assert.equal(act('stop', '--idle', '--dry-run').idle, true);
    usageError(['start', '--idle'], /--idle is for cloudtop stop only/);
    usageError(['stop', '--idle', 'train-01'], /--idle or resources/);
  });

  it('refuses a missing resource, flags of the default command, and action flags without a command', () => {
    usageError(['stop'], /needs a resource .*or --idle/);
    usageError(['start'], /needs a resource/);
    usageError(['stop', 'x', '--gpu'], /does not take --gpu/);
    usageError(['stop', 'x', '--refresh', '5s'], /does not take --refresh/);
    usageError(['--yes'], /--yes is an option of cloudtop stop and cloudtop start/);
    usageError(['stop', 'x', '-p', 'nope'], /unknown cloud "nope"/);
    usageError(['stop', 'x', '--timeout', 'soon'], /--timeout: invalid duration/);
  });
});
