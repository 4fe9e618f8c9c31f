// Dev script support (benchmark): the shape every measurement returns and the report writer formats, plus the
// small statistics and units they share.

/** One target of the bench: what is promised, whether this run kept it, and the figure that shows it. */
export interface Target {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

export interface Column {
  readonly title: string;
  /** `right` for figures. */
  readonly align: 'left' | 'right';
}

/** A block of a report section: lines of text as they are, or a table the writer lays out. */
export type Block =
  | { readonly kind: 'text'; readonly lines: readonly string[] }
  | {
      readonly kind: 'table';
      readonly columns: readonly Column[];
      readonly rows: readonly (readonly string[])[];
    };

export interface Section {
  readonly heading: string;
  /** 2 for `##`, 3 for a subsection `###`. */
  readonly level: 2 | 3;
  readonly blocks: readonly Block[];
}

/** What a measurement hands the report writer: its targets, notes for under the targets table, its sections. */
export interface MeasurementResult {
  readonly targets: readonly Target[];
  /** Lines printed under the targets table (why a figure is what it is); empty for none. */
  readonly notes: readonly string[];
  readonly sections: readonly Section[];
}

export interface BenchContext {
  /** Repository root. */
  readonly root: string;
  /** Prints one progress line (the figures, as each part is measured). */
  readonly log: (line: string) => void;
}

/** One measurement of `npm run bench`: scripts/bench.ts runs them in order. */
export interface Measurement {
  readonly name: string;
  readonly run: (context: BenchContext) => Promise<MeasurementResult>;
}

export const text = (...lines: string[]): Block => ({ kind: 'text', lines });

export const table = (
  columns: readonly (readonly [string, Column['align']])[],
  rows: readonly (readonly string[])[],
): Block => ({ kind: 'table', columns: columns.map(([title, align]) => ({ title, align })), rows });

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return value ?? Number.NaN;
};
export const ms = (value: number): string => `${value.toFixed(0)} ms`;
export const ratioOf = (numerator: number, denominator: number): string =>
  (numerator / denominator).toFixed(2);
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
