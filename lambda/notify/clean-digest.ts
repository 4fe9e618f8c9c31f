// Notify (pure): the sweep's short "all clean" digest, proof of life when nothing needs a person, and the schedule
// (`digestWhenClean`) that says which clean sweeps send it.
import { CLEAN_DIGEST_WEEKDAY, type DigestWhenClean } from '../contract';
import { listWithMore } from '../present/describe';
import { singleLine, truncate } from '../present/text';
import { type Digest, type DigestInput, sweepKpis } from './digest';
import { podRoleKpiRows } from './pod-role-digest';
import { MAX_SUBJECT_LENGTH } from './subject';

const INDENT = '  ';
const plural = (count: number, one: string): string => `${count} ${count === 1 ? one : `${one}s`}`;

/**
 * Whether a sweep that found nothing for a person still sends the clean digest: every sweep (`daily`), the sweep
 * on `CLEAN_DIGEST_WEEKDAY` in UTC (`weekly`), or never (`false`). Deterministic in the sweep's clock.
 */
export function cleanDigestDue(schedule: DigestWhenClean, now: Date): boolean {
  if (schedule === false) return false;
  return schedule === 'daily' || now.getUTCDay() === CLEAN_DIGEST_WEEKDAY;
}

/** Anything outside printable ASCII (a truncation mark, say) replaced: a subject SNS and every mail client take. */
const ascii = (text: string): string => text.replace(/\u2026/g, '...').replace(/[^\x20-\x7e]/g, '?');

/**
 * The short digest of a clean sweep. Its subject is ASCII only and far below the SNS limit (the role count and
 * the account id are its only variable parts).
 */
export function formatCleanDigest(input: Omit<DigestInput, 'remediations'>): Digest {
  const { report } = input;
  const kpis = sweepKpis(report, new Map());
  const account = report.accountId === null ? '' : ` (${report.accountId})`;
  const subject = `[OK] eks-ecr-guard: all clean, ${plural(kpis.nodeRolesTotal, 'EKS node role')} checked${account}`;
  const unread = input.eksWarnings.map((warning) => warning.region);
  const lines = [
    `eks-ecr-guard is running: the sweep of account ${report.accountId ?? 'unknown'} (${report.partition}) on ${report.today}`,
    'found no EKS node role that can write to Amazon ECR.',
    '',
    `${INDENT}Node roles: ${kpis.nodeRolesTotal} (of ${report.summary.rolesScanned} IAM roles), none can write to ECR`,
    `${INDENT}Exempt:     ${report.summary.exempt}`,
    ...podRoleKpiRows(report).map(([label, value]) => `${INDENT}${label}: ${value}`),
    ...(report.summary.untaggedNodeRoles === undefined || report.summary.untaggedNodeRoles === 0
      ? []
      : [
          `${INDENT}Untagged:   ${plural(report.summary.untaggedNodeRoles, 'node role')} with no owner tag (low; see audit)`,
        ]),
    ...(unread.length === 0
      ? []
      : [`${INDENT}Not read:   EKS in ${listWithMore(unread, 5)} (their node roles are not in this sweep)`]),
    '',
    'This short message comes when nothing needs you, so that silence never means the guard stopped.',
    'The digestWhenClean setting (daily, weekly or false) says how often.',
  ];
  return {
    subject: ascii(truncate(singleLine(subject), MAX_SUBJECT_LENGTH)),
    body: `${lines.join('\n')}\n`,
    attributes: {
      kind: 'digest',
      alertKind: 'digest-clean',
      severity: 'none',
      account: report.accountId ?? 'unknown',
      mode: input.mode,
      openViolations: '0',
    },
    listed: 0,
    omitted: 0,
  };
}
