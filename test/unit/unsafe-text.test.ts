// One set of unsafe characters (core/model/unsafe-text.ts) for every surface: the trees, dashboard and status bar
// (plainText), the CLI's table (terminalText) and JSON (serializeJson), and every error message (cleanCloudMessage).
import { strict as assert } from 'node:assert';
import { plainText } from '../../src/core/model/describe';
import { everyUnsafeCharacter } from '../../src/core/model/unsafe-text';
import { cleanCloudMessage } from '../../src/core/errors/error-messages';
import { terminalText } from '../../src/cli/format/terminal';
import { serializeJson } from '../../src/cli/format/json';

const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

describe('the one set of unsafe characters', () => {
  const unsafe = everyUnsafeCharacter();

  it('covers C0, DEL and C1, the bidi controls and the invisible format characters', () => {
    for (const c of [
      '\u0000',
      '\t',
      '\u001b',
      '\u007f',
      '\u009b',
      '\u061c',
      '\u200b',
      '\u200e',
      '\u2028',
      '\u202e',
      '\u2066',
      '\u2069',
      '\ufeff',
    ]) {
      assert.ok(unsafe.includes(c), `${hex(c)} is in the set`);
    }
    assert.ok(!unsafe.includes('a') && !unsafe.includes(' ') && !unsafe.includes('é'), 'ordinary text is not in the set');
  });

  it('every consumer strips every character of it', () => {
    const consumers: [string, (s: string) => string][] = [
      ['plainText', (s) => plainText(s, Number.POSITIVE_INFINITY)],
      ['terminalText', terminalText],
      ['cleanCloudMessage', (s) => cleanCloudMessage(s) ?? ''],
      // JSON keeps the character but only \u-escaped: the line (its closing newline aside) holds none of them raw.
      ['serializeJson', (s) => serializeJson({ value: s }, { pretty: false }).replace(/\n$/, '')],
    ];
    for (const [name, consume] of consumers) {
      for (const c of unsafe) {
        // The character last: a terminal escape (ESC, CSI) rightly takes the characters after it along.
        const out = consume(`ab${c}`);
        assert.ok(!out.includes(c), `${name} lets ${hex(c)} through`);
        assert.ok(out.includes('ab'), `${name} keeps the text before ${hex(c)}`);
      }
    }
  });
});
