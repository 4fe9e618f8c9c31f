// Notify (pure): the layout of the alert e-mail's text: line width, labelled values, wrapped paragraphs,
// underlined sections, "… and N more" notes, AWS CLI commands and policy labels that every section uses.
import type { PolicyKind, PolicyRef } from '../domain/types';
import { andMore, heading, singleLine, truncate, wrap } from '../present/text';
import { type CliCommand, isPrintable, renderCommand } from './shell';

export const BODY_WIDTH = 100;
/** Longest value shown for one untrusted field (actor, user agent, reason...). */
const MAX_FIELD_LENGTH = 1000;
const LABEL_WIDTH = 12;
export const INDENT = '  ';

/** How many entries of each list the text shows; the JSON block carries the rest. */
export const TEXT_LIST_LIMITS = {
  evidence: 30,
  grants: 20,
  denies: 10,
  unknownPolicies: 20,
  warnings: 10,
} as const;

export interface BodyOptions {
  /** The JSON block below the text is shortened too, so "see the JSON" would be a lie. */
  readonly jsonTruncated: boolean;
  /** The text itself was rendered from a shortened decision (last resort for huge inputs). */
  readonly textShortened?: boolean;
}

export const field = (value: string): string => truncate(singleLine(value), MAX_FIELD_LENGTH);

/** A CloudTrail time as `YYYY-MM-DD hh:mm:ss UTC` (left as given when it is not a time). */
export function formatUtc(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return field(time);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function labelled(label: string, value: string): string[] {
  // A label as wide as the column still gets one space before its value.
  const prefix = `${INDENT}${`${label}: `.padEnd(LABEL_WIDTH)}`;
  return wrap(field(value), BODY_WIDTH, prefix, ' '.repeat(prefix.length));
}

export function paragraph(text: string, indent = INDENT): string[] {
  return wrap(text, BODY_WIDTH, indent);
}

export function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', ...heading(title), ...lines];
}

export function moreNote(more: number, options: BodyOptions, indent: string): string[] {
  if (more === 0) return [];
  const where = options.jsonTruncated
    ? '(not shown: the message size limit was reached)'
    : '(see the JSON below)';
  return [`${indent}${andMore(more, where)}`];
}

const UNPRINTABLE_COMMAND = `${INDENT}(command left out: a name in it holds control or invisible characters)`;

export function commandLines(commands: readonly CliCommand[]): string[] {
  return commands.flatMap((command) =>
    isPrintable(command)
      ? renderCommand(command, { indent: INDENT, width: BODY_WIDTH }).split('\n')
      : [UNPRINTABLE_COMMAND],
  );
}

const policyKindLabel: Record<PolicyKind, string> = {
  'aws-managed': 'AWS managed policy',
  'customer-managed': 'customer managed policy',
  inline: 'inline policy',
  'repository-policy': 'ECR repository policy',
  'registry-policy': 'ECR registry policy',
  'repository-creation-template': 'ECR repository creation template',
};

export const describePolicy = (policy: PolicyRef): string =>
  `${field(policy.name)} (${policyKindLabel[policy.kind]})`;

export function policyNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
