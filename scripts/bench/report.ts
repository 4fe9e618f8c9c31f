// Dev script support (benchmark): the report writer. Prints each target with PASS/FAIL and lays out the
// measurements' results as docs/benchmarks.md.
import type { Block, MeasurementResult, Target } from './measurement';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly date: string;
}

/** A table row: empty cells as `| |`. */
const row = (cells: readonly string[]): string =>
  `|${cells.map((cell) => (cell === '' ? ' ' : ` ${cell} `)).join('|')}|`;

function blockLines(block: Block): readonly string[] {
  if (block.kind === 'text') return block.lines;
  return [
    row(block.columns.map((column) => column.title)),
    row(block.columns.map((column) => (column.align === 'right' ? '---:' : '---'))),
    ...block.rows.map(row),
  ];
}

/** The targets of every measurement, in the order they ran. */
export const allTargets = (results: readonly MeasurementResult[]): Target[] =>
  results.flatMap((result) => result.targets);

/** One line per target, as the bench prints them at the end. */
export function targetLines(results: readonly MeasurementResult[]): string[] {
  return allTargets(results).map(
    (target) => `${target.pass ? 'PASS' : 'FAIL'}  ${target.name}: ${target.detail}`,
  );
}

/** docs/benchmarks.md: the machine, the targets (and their notes), then each measurement's sections in order. */
export function markdown(
  machine: Machine,
  results: readonly MeasurementResult[],
  totalSeconds: number,
): string {
  const notes = results.flatMap((result) => result.notes);
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts/bench.ts); do not edit by hand. Figures are from one run on the machine',
    'below; re-run the script to refresh them.',
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`,
    `- Date: ${machine.date}`,
    `- Bench wall time: ${totalSeconds.toFixed(0)} s`,
    '',
    '## Targets',
    '',
    ...blockLines({
      kind: 'table',
      columns: [
        { title: 'target', align: 'left' },
        { title: 'result', align: 'left' },
        { title: 'figure', align: 'left' },
      ],
      rows: allTargets(results).map((t) => [t.name, t.pass ? 'PASS' : 'FAIL', t.detail]),
    }),
    '',
    ...(notes.length === 0 ? [] : [...notes, '']),
    ...results
      .flatMap((result) => result.sections)
      .flatMap((section) => [
        `${'#'.repeat(section.level)} ${section.heading}`,
        '',
        ...section.blocks.flatMap((block) => [...blockLines(block), '']),
      ]),
  ];
  return lines.join('\n');
}
