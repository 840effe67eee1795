import assert from 'node:assert/strict';
import { formatAge, parseDuration, parseRetryAfter } from '../../src/core/model/duration';

describe('parseDuration', () => {
  const good: ReadonlyArray<readonly [string, number]> = [
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1500ms', 1500],
    ['90', 90_000],
    ['0', 0],
    ['1.5s', 1500],
    [' 10 s ', 10_000],
    ['5MIN', 300_000],
  ];
  for (const [input, ms] of good) {
    it(`${JSON.stringify(input)} → ${ms} ms`, () => assert.equal(parseDuration(input), ms));
  }

  for (const bad of ['abc', '', '-1s', '10x', '1e3', 's', '1..5s']) {
    it(`rejects ${JSON.stringify(bad)} with a message that says what to type`, () => {
      assert.throws(() => parseDuration(bad), {
        message: `Invalid duration "${bad}": use a number with s, m or h, e.g. 30s`,
      });
    });
  }
});

describe('formatAge', () => {
  const cases: ReadonlyArray<readonly [number, string]> = [
    [0, '0 s'],
    [999, '0 s'],
    [12_000, '12 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [3 * 60_000 + 59_000, '3 min'],
    [2 * 3_600_000, '2 h'],
    [47 * 3_600_000, '47 h'],
    [72 * 3_600_000, '3 d'],
    [-5, '0 s'],
    [Number.NaN, '0 s'],
  ];
  for (const [ms, text] of cases) {
    it(`${ms} ms → ${text}`, () => assert.equal(formatAge(ms), text));
  }
});

describe('parseRetryAfter', () => {
  const now = Date.parse('1994-11-06T08:49:00Z');

  it('delta-seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });

  it('all three HTTP-date forms of RFC 9110, relative to now', () => {
    assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now), 37_000);
    assert.equal(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now), 37_000);
    assert.equal(parseRetryAfter('Sun Nov  6 08:49:37 1994', now), 37_000);
  });

  it('a date in the past means now, never negative', () => {
    assert.equal(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', now), 0);
  });

  for (const garbage of [undefined, null, '', 'soon', '-5', '1 2', '2024-01-01', 'Mon, garbage', '12abc']) {
    it(`undefined for ${JSON.stringify(garbage)}`, () => assert.equal(parseRetryAfter(garbage, now), undefined));
  }
});
