// What reaches a terminal: cloud-provided text made inert, widths measured the way a terminal draws them, and
// colour only where a person is looking. Every string a cloud sent passes through terminalText() before it is
// padded or printed, so a resource named "\x1b[2J" or "\u202Egnp.exe" can neither repaint nor spoof the screen.
import { plainText } from '../../core/model/describe';

// Whole escape sequences first (CSI, OSC, DCS/SOS/PM/APC strings, two-byte ESC forms, 8-bit CSI), so their
// printable tails ("[31m") go with them; plainText() then turns line breaks into spaces and drops the rest of the one unsafe set
// (core/model/unsafe-text.ts).
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -/]*[0-~]?|\u009b[0-?]*[ -/]*[@-~]?/g;

/** Cloud-provided text as one inert line: no escape sequences, control or bidi characters. */
export function terminalText(value: string | number | boolean | undefined): string {
  const text = value === undefined ? '' : String(value);
  return plainText(text.replace(ESCAPE_SEQUENCE, ''), Number.POSITIVE_INFINITY);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f/u;

/** East Asian Wide and Fullwidth blocks: CJK, Hangul, fullwidth forms, and the emoji planes. */
function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Columns one grapheme takes: 2 for wide characters and emoji (a ZWJ family or a flag is one), 0 for marks. */
function graphemeWidth(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (EMOJI.test(grapheme) || isWide(grapheme.codePointAt(0)!)) return 2;
  return 1;
}

/** Terminal columns a (sanitized) string takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** At most `max` columns; a cut string ends in "…" and is never cut inside a grapheme (emoji, flag, accent). */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  let out = '';
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (width + w > max - 1) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}

/** Pads to exactly `width` columns (text already fits). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

export type Paint = (text: string) => string;

export interface Style {
  readonly enabled: boolean;
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;
const plain: Paint = (text) => text;

export function createStyle(enabled: boolean): Style {
  return enabled
    ? { enabled, bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) }
    : { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
}

/**
 * Colour only for a person at a terminal: stdout is a TTY, `--no-color` was not given, NO_COLOR is not set
 * (any value, also empty — the user asked for none) and the terminal is not `dumb`.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  return flag && stream.isTTY === true && !('NO_COLOR' in env) && env.TERM !== 'dumb';
}
