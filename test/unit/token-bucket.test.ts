// The local token bucket with an injected clock: exact arithmetic, no timers.
import assert from 'node:assert/strict';
import { TokenBucket } from '../../src/core/token-bucket';

describe('token bucket', () => {
  it('hands out the burst at once, then one token per 1/perSecond', () => {
    let now = 1000;
    const bucket = new TokenBucket(4, 3, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [0, 0, 0]);
    assert.equal(bucket.take(), 250, 'empty: the next token is 250 ms away');
    now += 100;
    assert.equal(bucket.take(), 150, 'a refused take leaves the bucket alone');
    now += 150;
    assert.equal(bucket.take(), 0);
    assert.equal(bucket.take(), 250);
  });

  it('never holds more than the burst, however long it sat idle', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    now += 60_000;
    assert.deepEqual([bucket.take(), bucket.take()], [0, 0]);
    assert.equal(bucket.take(), 100);
  });

  it('refills fractions continuously and waits at least 1 ms', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 1, () => now);
    assert.equal(bucket.take(), 0);
    now += 0.6;
    assert.equal(bucket.take(), 1, 'less than a millisecond away still waits 1 ms (a timer cannot do less)');
    now += 0.4;
    assert.equal(bucket.take(), 0);
  });

  it('ignores a clock that steps backwards', () => {
    let now = 500;
    const bucket = new TokenBucket(2, 1, () => now);
    assert.equal(bucket.take(), 0);
    now = 100;
    assert.equal(bucket.take(), 500);
    now = 600;
    assert.equal(bucket.take(), 0);
  });
});
