// The one set of characters cloud-provided text must not carry to a screen: controls that make a terminal act
// (C0, DEL, C1), the bidi controls that reorder what is shown ("\u202Egnp.exe" reads as "exe.png"), and the
// invisible format characters that hide or join text. The tree, the dashboard, the status bar, the CLI's table
// and JSON, and every error message read this set, so a character stripped on one surface is stripped on all.

/** C0 controls (tab and newline included): JSON.stringify already escapes these. */
const C0 = '\\u0000-\\u001f';
/**
 * The rest: DEL and C1, the Arabic letter mark, zero-width space/joiners and LRM/RLM, line and paragraph
 * separators, bidi embeddings and overrides (LRE…RLO), bidi isolates (LRI…PDI), the byte-order mark.
 */
const BEYOND_C0 = '\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff';

// Compiled once: a table of 5,000 rows cleans every cell, and building the RegExp per call doubled its render time.
// They are global (`g`) for String.prototype.replace, which always starts at 0; never call .test()/.exec() on them
// (a shared /g regex keeps lastIndex between calls).

/** Every unsafe character, one at a time. For `.replace` only. */
export const UNSAFE_CHARACTERS = new RegExp(`[${C0}${BEYOND_C0}]`, 'g');

/** The unsafe characters JSON.stringify leaves raw inside strings (all but C0), one at a time. For `.replace` only. */
export const UNSAFE_BEYOND_C0 = new RegExp(`[${BEYOND_C0}]`, 'g');

/** The unsafe characters that break a line or space words: shown as one space rather than dropped. For `.replace`. */
export const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

const ONE_UNSAFE = new RegExp(`[${C0}${BEYOND_C0}]`);

/** Every character of the set, for tests that check each surface strips all of them. */
export function everyUnsafeCharacter(): string[] {
  const out: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    if (ONE_UNSAFE.test(c)) out.push(c);
  }
  return out;
}
