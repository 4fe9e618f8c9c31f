// Notify (pure): the AWS CLI commands an alert offers: the fix (the plan) and its rollback, safely shell-quoted.
import type { PlanStep } from '../domain/types';
import { hasUnsafeCharacters } from '../present/text';

/** One command as its argument vector; rendering adds the quoting. */
export type CliCommand = readonly string[];

/** Words a POSIX shell passes through unchanged when left unquoted. */
const SHELL_SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A word quoted for a POSIX shell: bare when safe, else single-quoted, with each embedded single quote written
 * as `'\''` (close the quote, an escaped quote, reopen).
 */
export function shellQuote(word: string): string {
  if (SHELL_SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Whether a command can be shown as text that means exactly what it says: no control or invisible characters in
 * any word, except the line breaks of a policy document laid out for reading. IAM names never hold such
 * characters, so a command that fails this comes from bad input and is better left out than shown altered.
 */
export function isPrintable(command: CliCommand): boolean {
  return command.every((word) => {
    const isDocument = word.startsWith('{') || word.startsWith('[');
    return !hasUnsafeCharacters(isDocument ? word.replaceAll('\n', '') : word);
  });
}

/** A policy document laid out for reading (same JSON value); left as given when it is not valid JSON. */
export function readableDocument(document: string): string {
  try {
    return JSON.stringify(JSON.parse(document), null, 2);
  } catch {
    return document;
  }
}

const iam = (verb: string, ...args: string[]): CliCommand => ['aws', 'iam', verb, ...args];

/** The command that performs one plan step. */
export function stepCommand(step: PlanStep): CliCommand {
  switch (step.op) {
    case 'AttachRolePolicy':
      return iam('attach-role-policy', '--role-name', step.roleName, '--policy-arn', step.policyArn);
    case 'DetachRolePolicy':
      return iam('detach-role-policy', '--role-name', step.roleName, '--policy-arn', step.policyArn);
    case 'PutRolePolicy':
      return iam(
        'put-role-policy',
        '--role-name',
        step.roleName,
        '--policy-name',
        step.policyName,
        '--policy-document',
        readableDocument(step.policyDocument),
      );
  }
}

/** The command that undoes one plan step: detach what was attached, re-attach what was detached, delete the put. */
export function undoCommand(step: PlanStep): CliCommand {
  switch (step.op) {
    case 'AttachRolePolicy':
      return stepCommand({ ...step, op: 'DetachRolePolicy' });
    case 'DetachRolePolicy':
      return stepCommand({ ...step, op: 'AttachRolePolicy' });
    case 'PutRolePolicy':
      return iam('delete-role-policy', '--role-name', step.roleName, '--policy-name', step.policyName);
  }
}

/** The plan as commands, in plan order. */
export function fixCommands(plan: readonly PlanStep[]): CliCommand[] {
  return plan.map(stepCommand);
}

/** The exact inverse of applied steps: each step undone, last applied first. */
export function rollbackCommands(applied: readonly PlanStep[]): CliCommand[] {
  return [...applied].reverse().map(undoCommand);
}

/**
 * A command as shell text. The leading words stay together and each `--flag value` pair stays together; pairs go
 * on continuation lines (` \`) once the line would pass `width`.
 */
export function renderCommand(command: CliCommand, options: { indent: string; width: number }): string {
  const groups = commandGroups(command).map((group) => group.map(shellQuote).join(' '));
  const continuation = `${options.indent}  `;
  let text = `${options.indent}${groups[0] ?? ''}`;
  let lineLength = text.length;
  for (const group of groups.slice(1)) {
    const firstLineOfGroup = group.split('\n')[0] ?? '';
    if (lineLength + 1 + firstLineOfGroup.length > options.width) {
      text += ` \\\n${continuation}${group}`;
      lineLength = continuation.length + lastLineLength(group, firstLineOfGroup.length);
    } else {
      text += ` ${group}`;
      lineLength = group.includes('\n') ? lastLineLength(group, 0) : lineLength + 1 + group.length;
    }
  }
  return text;
}

/** A command on one line, for chat messages. */
export function renderCommandOneLine(command: CliCommand): string {
  return command.map((word) => shellQuote(word.includes('\n') ? compactJson(word) : word)).join(' ');
}

function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function lastLineLength(group: string, fallback: number): number {
  const lines = group.split('\n');
  return lines.length > 1 ? (lines[lines.length - 1] ?? '').length : fallback;
}

/** `aws iam verb` first, then each `--flag` with the value that follows it. */
function commandGroups(command: CliCommand): string[][] {
  const firstFlag = command.findIndex((word) => word.startsWith('--'));
  const headLength = firstFlag === -1 ? command.length : firstFlag;
  const groups: string[][] = [command.slice(0, headLength)];
  for (const word of command.slice(headLength)) {
    const last = groups[groups.length - 1];
    if (word.startsWith('--') || last === undefined || groups.length === 1 || last.length >= 2)
      groups.push([word]);
    else last.push(word);
  }
  return groups;
}
