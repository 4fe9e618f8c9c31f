// CLI plumbing: the terminal width and help text laid out within it. Apart from options.ts (which validates
// --region against the config contract, and so loads zod) so that `--help` and `--version` stay cheap.
import { DEFAULT_WIDTH } from '../report/width';
import type { CliIo } from './io';

/** The terminal width: `COLUMNS` when it is a sensible number, else DEFAULT_WIDTH. */
export function terminalWidth(io: CliIo): number {
  const columns = Number(io.env?.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 ? columns : DEFAULT_WIDTH;
}

/**
 * Help text within `width`. A group (a paragraph, an option with its continuation lines, a usage line with its
 * flag lines) that has a longer line is reflowed at spaces, continuing at its own indent (an option's description
 * column); groups that fit keep their layout, and a single longer word is kept whole.
 */
export function fitText(text: string, width: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let start = 0; start < lines.length; ) {
    const first = lines[start] ?? '';
    const indent = continuationIndent(first, lines[start + 1]);
    let end = start + 1;
    while (end < lines.length && continues(first, lines[end] ?? '', indent)) end += 1;
    const group = lines.slice(start, end);
    if (group.every((line) => line.length <= width)) out.push(...group);
    else
      out.push(...breakLine([first, ...group.slice(1).map((line) => line.trim())].join(' '), width, indent));
    start = end;
  }
  return out.join('\n');
}

const leading = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;

function continuationIndent(line: string, next: string | undefined): number {
  const flags = next ?? '';
  if (line.startsWith('Usage:')) return flags.trim().startsWith('[') ? leading(flags) : 9;
  const option = /^(\s+\S+(?: \S+)?\s{2,})\S/.exec(line)?.[1];
  return option?.length ?? leading(line);
}

function continues(first: string, next: string, indent: number): boolean {
  if (first.trim() === '' || next.trim() === '' || next.trimStart().startsWith('--')) return false;
  if (first.startsWith('Usage:')) return next.trim().startsWith('[');
  // Lines of a list share their indent: only a deeper (or a paragraph's) indent continues a line.
  return leading(next) === indent && (indent > leading(first) || indent === 0);
}

/** One line in lines of at most `width`, broken at spaces, the later ones indented by `indent`. */
export function breakLine(line: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let rest = line;
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const cut = rest.lastIndexOf(' ', width - prefix.length);
    if (cut <= 0) break;
    lines.push(`${prefix}${rest.slice(0, cut).trimEnd()}`);
    rest = rest.slice(cut + 1).trimStart();
    prefix = ' '.repeat(indent);
  }
  lines.push(`${prefix}${rest}`);
  return lines;
}
