// The local token bucket with an injected clock: exact arithmetic, no timers.
import assert from 'node:assert/strict';
import { SlidingWindow, TokenBucket } from '../../src/core/transport/token-bucket';

describe('token bucket', () => {
  it('hands out the burst at once, then one token per 1/perSecond', () => {
    let now = 1000;
    const bucket = new TokenBucket(4, 3, () => now);
    assert.deepEqual([bucket.takeNow(), bucket.takeNow(), bucket.takeNow()], [0, 0, 0]);
    assert.equal(bucket.takeNow(), 250, 'empty: the next token is 250 ms away');
    now += 100;
    assert.equal(bucket.takeNow(), 150, 'a refused take leaves the bucket alone');
    now += 150;
    assert.equal(bucket.takeNow(), 0);
    assert.equal(bucket.takeNow(), 250);
  });

  it('never holds more than the burst, however long it sat idle', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    now += 60_000;
    assert.deepEqual([bucket.takeNow(), bucket.takeNow()], [0, 0]);
    assert.equal(bucket.takeNow(), 100);
  });

  it('refills fractions continuously and waits at least 1 ms', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 1, () => now);
    assert.equal(bucket.takeNow(), 0);
    now += 0.6;
    assert.equal(bucket.takeNow(), 1, 'less than a millisecond away still waits 1 ms (a timer cannot do less)');
    now += 0.4;
    assert.equal(bucket.takeNow(), 0);
  });

  it('ignores a clock that steps backwards', () => {
    let now = 500;
    const bucket = new TokenBucket(2, 1, () => now);
    assert.equal(bucket.takeNow(), 0);
    now = 100;
    assert.equal(bucket.takeNow(), 500);
    now = 600;
    assert.equal(bucket.takeNow(), 0);
  });
});

describe('sliding window', () => {
  it('lets `limit` start at once, then waits until the oldest start leaves the window (plus the guard)', () => {
    let now = 1000;
    const window = new SlidingWindow(3, 1000, 100, () => now);
    for (let i = 0; i < 3; i++) {
      assert.equal(window.dueIn(), 0, `start ${i + 1} of 3 has room`);
      window.take()(); // settles at once
      now += 10;
    }
    // Starts at 1000, 1010, 1020; now 1030: the first leaves at 1000 + 1000 + 100.
    assert.equal(window.dueIn(), 1070);
    now = 2099;
    assert.equal(window.dueIn(), 1, 'a millisecond before the first start leaves, there is no room');
    now = 2100;
    assert.equal(window.dueIn(), 0);
    window.take()(); // settles at once
    assert.equal(window.dueIn(), 10, 'the next room comes when the second start (1010) leaves');
  });

  it('never holds more than limit in any span of the window, however the starts are spread', () => {
    let now = 0;
    const window = new SlidingWindow(5, 600, 0, () => now);
    const starts: number[] = [];
    for (let step = 0; step < 5000; step += 37) {
      now = step;
      if (window.dueIn() === 0) {
        window.take()(); // settles at once
        starts.push(now);
      }
    }
    for (let i = 0; i + 5 < starts.length; i++)
      assert.ok(starts[i + 5] - starts[i] >= 600, `6 starts within 600 ms: ${starts.slice(i, i + 6).join(' ')}`);
    assert.ok(starts.length >= 35, `the window's pace is used: ${starts.length} starts in 5 s`);
  });

  it('counts a request until a window after it settled: a late arrival cannot bunch with the next window', () => {
    let now = 0;
    const window = new SlidingWindow(1, 1000, 0, () => now);
    const settle = window.take();
    now = 5000;
    assert.ok(window.dueIn() > 0, 'in flight: still counted');
    settle();
    assert.equal(window.dueIn(), 1000, 'counted a whole window from when it settled, not from its start');
    now = 6000;
    assert.equal(window.dueIn(), 0);
  });

  it('ignores a clock that steps backwards', () => {
    let now = 500;
    const window = new SlidingWindow(1, 1000, 0, () => now);
    window.take()(); // settles at once
    now = 100;
    assert.equal(window.dueIn(), 1400, 'the start still counts from 500');
    now = 1500;
    assert.equal(window.dueIn(), 0);
  });
});
