// Dev script (benchmark measurement): the AWS calls per committed sample event through the real event path over the
// in-memory fake AWS (event-calls.ts); targets: no-grant, ignored and node-role events within their minimum, and
// policy removals (DetachRolePolicy, DeleteRolePolicy) no dearer than an attach on the same role.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type EventFigures, eventCalls, type RemovalFigures, removalCalls } from './event-calls';
import { type Measurement, type Target, table, text } from './measurement';

/**
 * Committed event samples only, so a clean clone reproduces every row: the recorded CloudTrail events, the demo's
 * events and the bench's own (changes that grant no ECR write, to exercise that target).
 */
const EVENT_DIRS = [
  ['test', 'events', 'fixtures'],
  ['demo', 'events'],
  ['test', 'events', 'fixtures-bench'],
] as const;

/** Every event file of EVENT_DIRS; a missing or empty folder fails the bench rather than dropping rows. */
function eventFiles(root: string): string[] {
  return EVENT_DIRS.flatMap((parts) => {
    const dir = join(root, ...parts);
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(dir, name));
    if (files.length === 0) throw new Error(`no event samples in ${relative(root, dir)}`);
    return files;
  });
}

function targets(events: readonly EventFigures[]): Target[] {
  const noGrant = events.filter((e) => e.kind === 'no-grant');
  const inEventOnly = noGrant.filter((e) => e.bound === 0);
  const ignored = events.filter((e) => e.kind === 'ignored');
  const nodeRole = events.filter((e) => e.kind === 'node-role');
  const overBound = (e: EventFigures): boolean => e.cold.reads > e.bound || e.warm.reads > e.bound;
  const noGrantFails = noGrant.filter(overBound);
  const ignoredFails = ignored.filter(overBound);
  const nodeRoleFails = nodeRole.filter((e) => e.warm.reads > e.bound);
  const unexplained = nodeRoleFails.filter((e) => e.warm.reads > e.bound + e.awsManagedNotBundled.length);
  return [
    {
      name: 'event whose change grants no ECR write: ≤ 2 AWS calls (0 for PutRolePolicy)',
      // Both bounds must be exercised: a document in the event (0) and a managed policy to read (≤ 2).
      pass: inEventOnly.length > 0 && inEventOnly.length < noGrant.length && noGrantFails.length === 0,
      detail:
        noGrantFails.length === 0
          ? `${noGrant.length} events within bounds (cold and warm): ${inEventOnly.length} with 0, ` +
            `${noGrant.length - inEventOnly.length} with ≤ 2`
          : `over: ${noGrantFails.map((e) => `${e.file} ${e.cold.reads}/${e.warm.reads} > ${e.bound}`).join(', ')}`,
    },
    {
      name: 'ignored event (failed call, not a watched change, not the default version): 0 AWS calls',
      pass: ignored.length > 0 && ignoredFails.length === 0,
      detail:
        ignoredFails.length === 0
          ? `${ignored.length} events with 0 reads (cold and warm)`
          : `over: ${ignoredFails.map((e) => `${e.file} ${e.cold.reads}/${e.warm.reads}`).join(', ')}`,
    },
    {
      name: 'event on a node role, warm cache: ≤ 3 + inline + customer managed',
      pass: nodeRole.length > 0 && nodeRoleFails.length === 0,
      detail:
        nodeRoleFails.length === 0
          ? `${nodeRole.length} events within bounds`
          : `${nodeRoleFails.length} of ${nodeRole.length} events over: ` +
            nodeRoleFails
              .map(
                (e) =>
                  `${e.file} ${e.warm.reads} > ${e.bound} (+${e.awsManagedNotBundled.length} GetPolicyVersion of AWS managed ` +
                  `${[...new Set(e.awsManagedNotBundled)].join(', ')}, not bundled)`,
              )
              .join('; ') +
            (unexplained.length === 0
              ? '. Every excess call is a GetPolicyVersion of an attached AWS managed policy whose document does not ship with the guard.'
              : `. Not explained by that: ${unexplained.map((e) => e.file).join(', ')}.`),
    },
  ];
}

/** Roles the removal figures are taken on: a managed node group role and a CI role that is no node role. */
const REMOVAL_ROLES = [
  'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F',
  'ci-image-builder',
] as const;

function removalTargets(removals: readonly RemovalFigures[]): Target[] {
  const node = removals.filter((r) => r.nodeRole);
  const other = removals.filter((r) => !r.nodeRole);
  const figure = (r: RemovalFigures): string =>
    `${r.role}: detach ${r.detach.reads}, delete ${r.deleteInline.reads}, attach ${r.attach.reads}`;
  return [
    {
      name: 'DetachRolePolicy / DeleteRolePolicy on a node role, warm cache: ≤ an attach on the same role',
      pass:
        node.length > 0 &&
        node.every((r) => r.detach.reads <= r.attach.reads && r.deleteInline.reads <= r.attach.reads),
      detail: node.map(figure).join('; ') || 'no node role measured',
    },
    {
      name: 'DetachRolePolicy / DeleteRolePolicy on a role that is not a node role: ≤ the role lookup (3)',
      pass:
        other.length > 0 &&
        other.every((r) => r.detach.reads <= r.roleLookup && r.deleteInline.reads <= r.roleLookup),
      detail: other.map(figure).join('; ') || 'no other role measured',
    },
  ];
}

/** Why node-role events cost more than the formula, when they do: AWS managed documents the guard must read. */
function notBundledNote(events: readonly EventFigures[]): string[] {
  const over = events.filter((e) => e.kind === 'node-role' && e.warm.reads > e.bound);
  const names = [...new Set(over.flatMap((e) => e.awsManagedNotBundled))];
  if (names.length === 0) return [];
  return [
    `Note: AWS managed policies that do not ship with the guard (${names.join(', ')}) were read on a warm`,
    'evaluation: the live view should keep them for the node-role cache TTL (lambda/account/live.ts).',
  ];
}

export const events: Measurement = {
  name: 'AWS calls per sample event',
  run: async ({ root, log }) => {
    const sample: unknown = JSON.parse(readFileSync(join(root, 'demo', 'sample-account.json'), 'utf8'));
    const figures: EventFigures[] = [];
    for (const file of eventFiles(root)) {
      const event = await eventCalls(root, file, sample);
      figures.push(event);
      const seeded = event.seeded === null ? '' : ` [seeded: ${event.seeded}]`;
      log(
        `event ${event.file}: ${event.outcome}; reads cold ${event.cold.reads}, warm ${event.warm.reads} (min ${event.bound})${seeded}`,
      );
    }
    const removals: RemovalFigures[] = [];
    for (const role of REMOVAL_ROLES) {
      const removal = await removalCalls(root, role, sample);
      removals.push(removal);
      log(
        `removal on ${removal.role} (${removal.nodeRole ? 'node role' : 'not a node role'}), warm: ` +
          `DetachRolePolicy ${removal.detach.reads} (${removal.detach.commands || '-'}), ` +
          `DeleteRolePolicy ${removal.deleteInline.reads} (${removal.deleteInline.commands || '-'}), ` +
          `AttachRolePolicy ${removal.attach.reads} (${removal.attach.commands || '-'})`,
      );
    }
    return {
      targets: [...targets(figures), ...removalTargets(removals)],
      notes: notBundledNote(figures),
      sections: [
        {
          heading: 'AWS calls per sample event',
          level: 2,
          blocks: [
            text(
              'Events: the recorded CloudTrail samples (test/events/fixtures), the demo events (demo/events) and the',
              "bench's own changes that grant no ECR write (test/events/fixtures-bench). Each event runs through the real",
              '`handleEvent` (alert mode) with the in-memory fake AWS clients, against the',
              "demo sample account after the event's own call was replayed on it (page size 50: every list fits one page).",
              'A recorded removal of a policy the sample account does not hold (the DeleteRolePolicy sample deletes an',
              'inline policy `ecr-push`, the DetachRolePolicy sample detaches FullAccess) first gets the state the call',
              'implies: the policy is put or attached before the recorded call removes it (column "seeded"; an inline',
              'policy seeded so holds a harmless placeholder, as the event does not carry the deleted document).',
              "Counts are AWS read calls (IAM, EKS, Account) from the fake's call log; SNS publishes are listed apart.",
              'Cold: a fresh `Dependencies` (empty node-role and policy caches); warm: the same event again on the same',
              '`Dependencies` object.',
            ),
            text('Minimum the event needs:'),
            text(
              '- a change that grants no ECR write: ≤ 2 calls (GetPolicy + GetPolicyVersion of a customer managed policy;',
              '  0 for an AWS managed policy whose document ships with the guard; 0 for PutRolePolicy, whose document is in',
              '  the event);',
              '- a node role, warm node-role cache: ≤ 3 + inline + customer managed (GetRole, ListAttachedRolePolicies,',
              '  ListRolePolicies, one GetRolePolicy per inline policy, one GetPolicyVersion per customer managed policy whose',
              '  default version is cached; a customer managed permissions boundary counts as a customer managed policy; an',
              '  AWS managed policy whose document does not ship with the guard is kept for the cache TTL, 0 calls warm);',
              '  a policy-version event adds 1 ListEntitiesForPolicy and this per attached role;',
              '- a role that is not a node role: 3 (the role is read, its policies are not);',
              '- an ignored event (a failed call, a call the guard does not watch, a policy version that is not the default):',
              '  0; counted apart from the changes that grant no ECR write.',
            ),
            table(
              [
                ['event', 'left'],
                ['decision', 'left'],
                ['minimum', 'left'],
                ['cold reads', 'right'],
                ['warm reads', 'right'],
                ['SNS', 'right'],
                ['AWS managed not bundled', 'left'],
                ['warm calls', 'left'],
                ['seeded', 'left'],
              ],
              figures.map((e) => [
                e.file,
                e.outcome,
                `${e.boundFormula} = ${e.bound}`,
                `${e.cold.reads} (IAM ${e.cold.iam}, EKS ${e.cold.eks}, Account ${e.cold.account})`,
                String(e.warm.reads),
                String(e.warm.sns),
                e.awsManagedNotBundled.join(', ') || '-',
                e.warm.commands || '-',
                e.seeded ?? '-',
              ]),
            ),
          ],
        },
        {
          heading: 'Policy removals next to an attach',
          level: 3,
          blocks: [
            text(
              'DetachRolePolicy (of FullAccess) and DeleteRolePolicy (of an inline policy, seeded first) on a node role',
              'and on a role that is not one, warm cache, next to an AttachRolePolicy of FullAccess on the same role.',
              "A removal can take a Deny away, so on a node role it is decided on the role's whole state; the node-role",
              'check comes first, so on any other role it costs only the role lookup (GetRole, ListAttachedRolePolicies,',
              'ListRolePolicies).',
            ),
            table(
              [
                ['role', 'left'],
                ['node role', 'left'],
                ['DetachRolePolicy', 'right'],
                ['DeleteRolePolicy', 'right'],
                ['AttachRolePolicy', 'right'],
                ['detach calls', 'left'],
              ],
              removals.map((r) => [
                r.role,
                r.nodeRole ? 'yes' : 'no',
                String(r.detach.reads),
                String(r.deleteInline.reads),
                String(r.attach.reads),
                r.detach.commands || '-',
              ]),
            ),
          ],
        },
      ],
    };
  },
};
