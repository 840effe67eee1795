// Terminal safety and layout: hostile cloud text made inert, widths as a terminal draws them, colour rules.
import assert from 'node:assert/strict';
import { HOSTILE_NAMES, LONG_NAME } from '../sim/hostile';
import { createStyle, displayWidth, pad, terminalText, truncate, wantsColor } from '../../src/cli/format/terminal';

// Anything a terminal acts on rather than prints: C0 (but not via \t etc. as text), DEL, C1, bidi controls, line separators.
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('cli terminal text', () => {
  it('strips whole escape sequences, not just the ESC byte', () => {
    assert.equal(terminalText('\u001b[31mred\u001b[0m'), 'red');
    assert.equal(terminalText('a\u001b]0;evil title\u0007b'), 'ab', 'OSC up to BEL');
    assert.equal(terminalText('a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b'), 'alinkb', 'OSC 8 hyperlinks with ST');
    assert.equal(terminalText('x\u009b2Jy'), 'xy', '8-bit CSI');
    assert.equal(terminalText('x\u001bcy'), 'xy', 'two-byte ESC form (reset)');
    assert.equal(terminalText('x\u001bP1$qm\u001b\\y'), 'xy', 'DCS string');
  });

  it('turns line breaks and tabs into spaces and drops bell, CR tricks and bidi overrides', () => {
    assert.equal(terminalText('tab\tand\nnewline'), 'tab and newline');
    assert.equal(terminalText('line\roverwrite'), 'line overwrite');
    assert.equal(terminalText('bell\u0007'), 'bell');
    assert.equal(terminalText('\u202Egnp.exe'), 'gnp.exe');
    assert.equal(terminalText('a\u2066b\u2069c\u061cd'), 'abcd');
    assert.equal(terminalText('para\u2028graph'), 'para graph');
  });

  it('leaves every hostile name free of active characters, and ordinary text unchanged', () => {
    for (const name of HOSTILE_NAMES) assert.doesNotMatch(terminalText(name), ACTIVE, JSON.stringify(name));
    assert.equal(terminalText('prod-vllm-serve-07'), 'prod-vllm-serve-07');
    assert.equal(terminalText('عنقود-الإنتاج-١'), 'عنقود-الإنتاج-١', 'right-to-left script itself is text');
    assert.equal(terminalText(undefined), '');
    assert.equal(terminalText(42), '42');
  });

  it('measures wide characters, emoji sequences and combining marks as a terminal draws them', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('日本'), 4);
    assert.equal(displayWidth('🚀'), 2);
    assert.equal(displayWidth('👩‍💻'), 2, 'ZWJ sequence is one glyph');
    assert.equal(displayWidth('🇺🇳'), 2, 'a flag is one glyph');
    assert.equal(displayWidth('e\u0301'), 1, 'combining accent takes no column');
  });

  it('truncates to a width with an ellipsis, never inside a grapheme', () => {
    assert.equal(truncate('abcdef', 6), 'abcdef');
    assert.equal(truncate('abcdefg', 6), 'abcde…');
    assert.equal(truncate('日本語テキスト', 6), '日本…');
    assert.equal(truncate('a👩‍💻b', 3), 'a…', 'the ZWJ sequence is not split');
    assert.equal(displayWidth(truncate(LONG_NAME, 40)), 40);
    assert.equal(truncate('abc', 0), '');
  });

  it('pads by display width, left or right', () => {
    assert.equal(pad('日本', 6), '日本  ');
    assert.equal(pad('7%', 4, 'right'), '  7%');
  });

  it('colours only a TTY without NO_COLOR (any value), --no-color or TERM=dumb', () => {
    const tty = { isTTY: true };
    assert.equal(wantsColor(tty, {}, true), true);
    assert.equal(wantsColor({ isTTY: false }, {}, true), false, 'a pipe');
    assert.equal(wantsColor({}, {}, true), false, 'isTTY undefined, as for a pipe');
    assert.equal(wantsColor(tty, { NO_COLOR: '' }, true), false, 'NO_COLOR set to empty still counts');
    assert.equal(wantsColor(tty, { NO_COLOR: '1' }, true), false);
    assert.equal(wantsColor(tty, {}, false), false, '--no-color');
    assert.equal(wantsColor(tty, { TERM: 'dumb' }, true), false);
  });

  it('a disabled style adds nothing; an enabled one wraps in SGR codes', () => {
    assert.equal(createStyle(false).red('x'), 'x');
    assert.equal(createStyle(true).red('x'), '\u001b[31mx\u001b[39m');
    assert.equal(createStyle(true).bold(''), '', 'nothing to colour, no codes');
  });
});
