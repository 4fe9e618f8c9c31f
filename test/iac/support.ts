// Test helpers for the IaC checks: fixture paths, the line a text first appears on, and a report for given files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkModel, type IacFinding, type IacReport } from '../../lambda/iac/check';
import { loadIacFiles } from '../../lambda/iac/load';

export const FIXTURES = join(__dirname, 'fixtures');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The 1-based line of the first line of `file` that contains `needle` (after line `after`). */
export function lineOf(file: string, needle: string, after = 0): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line, i) => i >= after && line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

export function reportFor(...paths: string[]): IacReport {
  const { files, model } = loadIacFiles(paths);
  return checkModel(model, files);
}

export function findingFor(report: IacReport, subject: string): IacFinding {
  const finding = report.findings.find((f) => f.subject === subject || f.roleName === subject);
  if (finding === undefined)
    throw new Error(`no finding for ${subject}: ${report.findings.map((f) => f.subject).join(', ')}`);
  return finding;
}
