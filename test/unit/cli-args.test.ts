// Flag parsing: what each flag turns into, and that every mistake is a one-line UsageError naming the problem.
import assert from 'node:assert/strict';
import { parseCommand, type Command, type ShowOptions } from '../../src/cli/args';
import { UsageError } from '../../src/cli/errors';
import type { CloudId } from '../../src/core/model/model';

const AVAILABLE: CloudId[] = ['vastai', 'runpod'];
const parse = (...argv: string[]): Command => parseCommand(argv, AVAILABLE);
const show = (...argv: string[]): ShowOptions => {
  const command = parse(...argv);
  return command.kind === 'show' ? command.options : assert.fail('not a show command');
};
const usageError = (argv: string[], pattern: RegExp) =>
  assert.throws(
    () => parse(...argv),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `UsageError, got ${String(error)}`);
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, /\n/, 'one line');
      return true;
    },
  );

describe('cli arguments', () => {
  it('defaults to every cloud, a table, the file cache, colour allowed', () => {
    assert.deepEqual(show(), { gpu: false, output: 'table', noCache: false, failFast: false, cache: 'file', color: true });
    assert.equal(show('--all').clouds, undefined);
  });

  it('reads every flag', () => {
    const o = show(
      '--provider',
      'vastai,runpod',
      '--gpu',
      '--json',
      '--no-cache',
      '--fail-fast',
      '--refresh',
      '2m',
      '--timeout',
      '20s',
      '--cache',
      'memory',
      '--no-color',
    );
    assert.deepEqual(o, {
      clouds: ['vastai', 'runpod'],
      gpu: true,
      output: 'json',
      noCache: true,
      failFast: true,
      refreshMs: 120_000,
      timeoutMs: 20_000,
      cache: 'memory',
      color: false,
    });
    assert.equal(show('--wide').output, 'wide');
    assert.equal(show('-w').output, 'wide');
    assert.equal(show('--table').output, 'table');
    assert.equal(show('--refresh=30s').refreshMs, 30_000);
    assert.equal(show('-r', '90').refreshMs, 90_000, 'a bare number is seconds');
  });

  it('merges repeated --provider values, trims, lower-cases and removes duplicates', () => {
    assert.deepEqual(show('-p', 'RunPod', '--provider', ' vastai ,runpod').clouds, ['runpod', 'vastai']);
  });

  it('rejects unknown clouds, clouds this build has no provider for, and empty lists', () => {
    usageError(['--provider', 'aws'], /unknown cloud "aws" \(clouds: cloudflare, oci, azure, gcp, neon, vastai, runpod\)/);
    usageError(['--provider', 'vastai,oci'], /Oracle Cloud \(oci\) is not available in this version.*available: vastai, runpod/);
    usageError(['--provider', 'vastai,'], /--provider needs cloud ids/);
    usageError(['--provider'], /--provider/);
  });

  it('rejects bad and too short durations', () => {
    usageError(['--refresh', 'soon'], /^--refresh: invalid duration "soon"/);
    usageError(['--refresh', '500ms'], /--refresh must be at least 1s/);
    usageError(['--timeout', '-5s'], /--timeout/);
    usageError(['--timeout', '0'], /--timeout must be at least 1s/);
  });

  it('rejects unknown options and values for boolean flags in one line', () => {
    usageError(['--bogus'], /^unknown option '--bogus'$/);
    usageError(['-x'], /^unknown option '-x'$/);
    usageError(['--json=yes'], /json/);
  });

  it('rejects conflicting flags', () => {
    usageError(['--json', '--wide'], /choose one of --table, --wide and --json \(got --wide and --json\)/);
    usageError(['--all', '--provider', 'vastai'], /--all or --provider/);
    usageError(['--cache', 'disk'], /--cache must be memory, file or redis/);
    usageError(['--cache', 'file', '--redis-url', 'redis://127.0.0.1'], /--redis-url needs --cache redis/);
  });

  it('takes --redis-url alone as a request for the Redis cache', () => {
    assert.deepEqual([show('--redis-url', 'redis://h:1').cache, show('--redis-url', 'redis://h:1').redisUrl], ['redis', 'redis://h:1']);
  });

  it('parses login and logout with exactly one available cloud and no options', () => {
    assert.deepEqual(parse('login', 'vastai'), { kind: 'login', cloud: 'vastai' });
    assert.deepEqual(parse('logout', 'runpod'), { kind: 'logout', cloud: 'runpod' });
    usageError(['login'], /login needs one cloud/);
    usageError(['login', 'vastai', 'runpod'], /login needs one cloud/);
    usageError(['login', 'nope'], /unknown cloud "nope"/);
    usageError(['login', 'vastai', '--json'], /login takes no options/);
    usageError(['status'], /unknown command "status"/);
  });

  it('answers --help and --version before anything else is checked', () => {
    assert.equal(parse('--help').kind, 'help');
    assert.equal(parse('--provider', 'nope', '-h').kind, 'help');
    assert.equal(parse('--version').kind, 'version');
    assert.equal(parse('login', '--help').kind, 'help');
  });

  it('never echoes control characters the user typed', () => {
    usageError(['--refresh', '\u001b[2J5x'], /invalid duration "5x"/);
  });
});
