// The one check that nothing secret shows: a test plants canary secrets (keys, tokens, passwords the simulators
// issue or the test writes) and hands here everything a user could see — an outcome's JSON, a log, a CLI's output,
// a file on disk. A failure names the secret by its first characters only, so the report does not leak it either.
import assert from 'node:assert/strict';

/** Text a user could see, or a file's bytes. */
export type Shown = string | Uint8Array;

/**
 * Fails when any of `secrets` occurs in any of `shown`. `where` says what was searched ("the CLI's output",
 * "settings.json"), for the failure's message.
 */
export function assertNoSecrets(shown: Shown | readonly Shown[], secrets: Iterable<string>, where = 'the outcome or the log'): void {
  const texts: readonly Shown[] = Array.isArray(shown) ? shown : [shown as Shown];
  for (const secret of secrets) {
    // An empty canary would be found everywhere, a short one by chance: either is a broken test.
    assert.ok(secret.length >= 8, `a secret canary must be at least 8 characters long, got ${secret.length}`);
    for (const text of texts) {
      const found = typeof text === 'string' ? text.includes(secret) : Buffer.from(text).includes(Buffer.from(secret));
      assert.ok(!found, `a secret (${secret.slice(0, 4)}…) is shown in ${where}`);
    }
  }
}
