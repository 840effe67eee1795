import assert from 'node:assert/strict';
import { shownUnasked, type FoundCloud } from '../../src/vscode/firstRunRule';

const found: FoundCloud[] = [
  { cloud: 'gcp', source: 'cli-file' },
  { cloud: 'vastai', source: 'environment' },
  { cloud: 'neon', source: 'stored' },
];

describe('first run: which found clouds are shown unasked', () => {
  it('a fresh install shows the keys the user gave and only offers the CLI logins', () => {
    assert.deepEqual(shownUnasked(found, undefined, false), ['vastai', 'neon']);
  });

  it('an upgrade (a cache from before, nothing remembered yet) keeps the CLI-login clouds its user saw', () => {
    assert.deepEqual(shownUnasked(found, undefined, true), ['gcp', 'vastai', 'neon']);
  });

  it('once the welcome has run (even remembering nothing), a cache does not make a CLI login shown unasked', () => {
    assert.deepEqual(shownUnasked(found, [], true), ['vastai', 'neon']);
  });
});
