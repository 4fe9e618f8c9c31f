// Presenters (pure, shared by notify and report): text helpers: one-line sanitising, length-safe truncation, wrapping, byte counts.

/** Control, format (bidi overrides, zero-width), line/paragraph separators and lone surrogates. */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+/gu;
const WHITESPACE_RUN = /\s+/g;
const ELLIPSIS = '…';

/** Made on first use: building a segmenter loads ICU data (≈ 15 ms), which most runs never need. */
let segmenter: Intl.Segmenter | undefined;
function graphemesOf(value: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return segmenter.segment(value);
}

/** Untrusted text made safe for one line: unsafe characters become spaces, whitespace runs collapse. */
export function singleLine(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, ' ').replace(WHITESPACE_RUN, ' ').trim();
}

/** True when the text holds characters that cannot be shown as-is on one line (see `singleLine`). */
export function hasUnsafeCharacters(value: string): boolean {
  return new RegExp(UNSAFE_CHARACTERS.source, 'u').test(value);
}

/**
 * At most `maxLength` UTF-16 code units (so at most as many code points), cut on a grapheme boundary and
 * ending with an ellipsis when anything was cut.
 */
export function truncate(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  if (maxLength < ELLIPSIS.length) return '';
  let kept = '';
  for (const { segment } of graphemesOf(value)) {
    if (kept.length + segment.length + ELLIPSIS.length > maxLength) break;
    kept += segment;
  }
  return `${kept}${ELLIPSIS}`;
}

const ASCII_ELLIPSIS = '...';
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/**
 * Untrusted text made safe for a header that should hold ASCII only (an SNS Subject): one line (see
 * `singleLine`), each character outside printable ASCII replaced by `?` (one per grapheme, so an emoji or an
 * accented letter is one `?`). Stops after `maxLength` characters (the result is then longer than that by one),
 * which keeps huge input cheap.
 */
export function asciiLine(value: string, maxLength = Number.POSITIVE_INFINITY): string {
  const line = singleLine(value);
  if (line.length === 0 || PRINTABLE_ASCII.test(line)) return line;
  let text = '';
  for (const { segment } of graphemesOf(line)) {
    if (text.length > maxLength) break;
    text += PRINTABLE_ASCII.test(segment) ? segment : '?';
  }
  return text;
}

/** ASCII text (see `asciiLine`) cut to at most `maxLength` characters (= bytes), ending with `...` when cut. */
export function truncateAscii(value: string, maxLength: number): string {
  const text = asciiLine(value, maxLength);
  if (text.length <= maxLength) return text;
  if (maxLength < ASCII_ELLIPSIS.length) return '';
  return `${text.slice(0, maxLength - ASCII_ELLIPSIS.length).trimEnd()}${ASCII_ELLIPSIS}`;
}

/** Words of `text` laid out in lines of at most `width` characters (longer words get a line of their own). */
export function wrap(
  text: string,
  width: number,
  firstPrefix: string,
  restPrefix: string = firstPrefix,
): string[] {
  const words = singleLine(text)
    .split(' ')
    .filter((word) => word.length > 0);
  const lines: string[] = [];
  let line = firstPrefix;
  let lineHasWord = false;
  for (const word of words) {
    const candidate = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    if (lineHasWord && candidate.length > width) {
      lines.push(line);
      line = `${restPrefix}${word}`;
    } else {
      line = candidate;
    }
    lineHasWord = true;
  }
  if (lineHasWord) lines.push(line);
  return lines;
}

/** The first `max` items and how many were left out. */
export function headOf<T>(items: readonly T[], max: number): { shown: readonly T[]; more: number } {
  if (items.length <= max) return { shown: items, more: 0 };
  return { shown: items.slice(0, max), more: items.length - max };
}

/** The "… and N more" line that follows a shortened list. */
export function andMore(more: number, where: string): string {
  return `${ELLIPSIS} and ${more} more ${where}`;
}

export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** A heading underlined with dashes, the way plain-text e-mail shows sections. */
export function heading(title: string): string[] {
  return [title, '-'.repeat(title.length)];
}
