// Dev script support (benchmark, events measurement): runs one committed sample event through the real event path
// over the in-memory fake AWS, cold then warm, counts the AWS calls and works out the minimum the event needs; and
// what a policy removal (DetachRolePolicy, DeleteRolePolicy) costs next to an attach on the same role.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildDependencies, type Dependencies } from '../../lambda/composition';
import { type LambdaSettings, parseConfig } from '../../lambda/config';
import { bundledManagedPolicy } from '../../lambda/domain/managed-policies';
import type { Decision } from '../../lambda/domain/types';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { replayRecordedCall, seedRecordedPrecondition } from '../../lambda/in-memory-aws/replay';
import { handleEvent } from '../../lambda/usecases/handle-event';

export interface CallCount {
  readonly reads: number;
  readonly iam: number;
  readonly eks: number;
  readonly account: number;
  readonly sns: number;
  readonly commands: string;
}

export interface EventFigures {
  readonly file: string;
  readonly outcome: string;
  readonly kind: 'no-grant' | 'ignored' | 'node-role' | 'other-role';
  readonly bound: number;
  readonly boundFormula: string;
  /** Attached AWS managed policies whose document does not ship with the guard (each costs a read). */
  readonly awsManagedNotBundled: readonly string[];
  readonly cold: CallCount;
  readonly warm: CallCount;
  /** What was put in the account first because the recorded call implies it (a removal of a policy it lacked). */
  readonly seeded: string | null;
}

function countCalls(fake: FakeAws): CallCount {
  const calls = fake.calls;
  const by = (service: string) => calls.filter((call) => call.service === service).length;
  const reads = calls.filter((call) => call.service !== 'sns');
  const tally = new Map<string, number>();
  for (const call of reads) tally.set(call.command, (tally.get(call.command) ?? 0) + 1);
  return {
    reads: reads.length,
    iam: by('iam'),
    eks: by('eks'),
    account: by('account'),
    sns: by('sns'),
    commands: [...tally].map(([command, n]) => (n === 1 ? command : `${command}×${n}`)).join(', '),
  };
}

/** The minimum the event needs (see the events section of docs/benchmarks.md for the formula) from what the decisions touched. */
function callBound(
  fake: FakeAws,
  raw: unknown,
  decisions: readonly Decision[],
): Pick<EventFigures, 'kind' | 'bound' | 'boundFormula' | 'awsManagedNotBundled'> {
  const change = parseRoleChangeEvent(raw);
  const roleDecisions = decisions.filter((d) => d.scope === 'role' || d.verdict === 'not-node-role');
  // An EKS call that names a node role drops the warm node-role cache by design (issue 11): the inventory is read
  // again, on top of what the role itself costs.
  const inventory =
    change.kind === 'eks-node-role' ? fake.calls.filter((call) => call.service === 'eks').length : 0;
  if (change.kind === 'eks-node-role' && roleDecisions.length === 0) {
    return {
      kind: 'no-grant',
      bound: inventory + 2,
      boundFormula: `${inventory} EKS inventory (cache dropped) + 1 ListRegions (cold) + 1 GetRole`,
      awsManagedNotBundled: [],
    };
  }
  if (roleDecisions.length === 0) {
    if (decisions.every((d) => d.verdict === 'ignored') && change.kind === 'ignored') {
      return { kind: 'ignored', bound: 0, boundFormula: '0 (nothing to read)', awsManagedNotBundled: [] };
    }
    const bound = change.kind === 'role-policy-put' ? 0 : 2;
    const boundFormula = bound === 0 ? '0 (document in the event)' : '≤ 2';
    return { kind: 'no-grant', bound, boundFormula, awsManagedNotBundled: [] };
  }
  const parts: string[] = [];
  let bound = change.kind === 'policy-version' ? 1 : 0;
  if (bound === 1) parts.push('1 ListEntitiesForPolicy');
  if (inventory > 0) {
    bound += inventory;
    parts.push(`${inventory} EKS inventory (cache dropped by the event)`);
  }
  let nodeRole = false;
  const notBundled: string[] = [];
  for (const decision of roleDecisions) {
    const name = decision.role?.name ?? '';
    const state = fake.roleState(name);
    const customer = state.attached.filter((arn) => !arn.includes(':iam::aws:policy/')).length;
    const boundary = fake.roleBoundary(name);
    const customerBoundary = boundary !== null && !boundary.includes(':iam::aws:policy/') ? 1 : 0;
    const inline = Object.keys(state.inline).length;
    const isNode = decision.nodeRole.evidence.length > 0;
    nodeRole ||= isNode;
    if (isNode) {
      const awsManaged = [...state.attached, ...(boundary === null ? [] : [boundary])].filter(
        (arn) => arn.includes(':iam::aws:policy/') && bundledManagedPolicy(arn) === null,
      );
      notBundled.push(...awsManaged.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)));
    }
    // Usage evidence (an alert on a node role looks up the role's ECR writes first): one LookupEvents page per
    // Region searched, since the bench account's Event history holds no ECR write of the role.
    const usage = decision.usage?.regions.length ?? 0;
    const perRole = isNode ? 3 + inline + customer + customerBoundary + usage : 3;
    bound += perRole;
    parts.push(
      isNode
        ? `3 + ${inline} inline + ${customer + customerBoundary} customer managed${usage === 0 ? '' : ` + ${usage} LookupEvents`}`
        : '3 (not a node role)',
    );
  }
  return {
    kind: nodeRole ? 'node-role' : 'other-role',
    bound,
    boundFormula: parts.join(' + '),
    awsManagedNotBundled: notBundled,
  };
}

function outcomeText(decisions: readonly Decision[]): string {
  return decisions
    .map(
      (d) =>
        `${d.verdict}${d.severity === null ? '' : ` ${d.severity}`}${d.scope === 'change' ? ' (change only)' : ''}`,
    )
    .join('; ');
}

/** A fresh fake AWS loaded with `sample` and the real dependencies over it (alert mode). */
function benchAccount(sample: unknown): { fake: FakeAws; deps: Dependencies } {
  // Page size 50 (the Account API's maximum; IAM's default is 100): the sample's lists fit one page.
  const fake = FakeAws.fromSnapshot(sample, { pageSize: 50 });
  const settings: LambdaSettings = {
    config: parseConfig({ mode: 'alert' }),
    partition: fake.partition,
    accountId: fake.accountId,
    alertTopicArn: fake.addTopic('eks-ecr-guard-alerts'),
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: null,
  };
  const deps = buildDependencies(settings, fake.clients(), { sleep: async () => undefined });
  return { fake, deps };
}

/**
 * Puts the account in the state the recorded call implies (a removed policy was there), replays the call, and
 * forgets the calls so far. Returns what was seeded.
 */
async function replay(fake: FakeAws, raw: unknown): Promise<string | null> {
  const seeded = await seedRecordedPrecondition(fake.iamClient(), raw);
  await replayRecordedCall(fake.iamClient(), raw, {
    ecrFor: (region) => fake.ecrClientFor(region),
    eksFor: (region) => fake.eksClientFor(region),
  });
  fake.resetCalls();
  return seeded;
}

/** The calls of one event file (`file` shown relative to `root`) against a fresh fake AWS loaded with `sample`. */
export async function eventCalls(root: string, file: string, sample: unknown): Promise<EventFigures> {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const { fake, deps } = benchAccount(sample);
  const seeded = await replay(fake, raw);
  await handleEvent(deps, raw);
  const cold = countCalls(fake);
  fake.resetCalls();
  const warmRun = await handleEvent(deps, raw);
  const warm = countCalls(fake);
  const decisions = warmRun.details.map((detail) => detail.decision);
  return {
    file: relative(root, file),
    outcome: outcomeText(decisions),
    ...callBound(fake, raw, decisions),
    cold,
    warm,
    seeded,
  };
}

export interface RemovalFigures {
  readonly role: string;
  readonly nodeRole: boolean;
  /** AttachRolePolicy of FullAccess on the role, warm cache: what a removal is held to. */
  readonly attach: CallCount;
  readonly detach: CallCount;
  readonly deleteInline: CallCount;
  /** GetRole + ListAttachedRolePolicies + ListRolePolicies: what any role-scope decision reads first. */
  readonly roleLookup: number;
}

const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const ROLE_LOOKUP_CALLS = 3;

/**
 * DetachRolePolicy and DeleteRolePolicy on `roleName` with a warm cache, next to an AttachRolePolicy on the same
 * role. Each event is the reference AttachRolePolicy sample with its name and parameters changed, replayed (with
 * its implied precondition: the policy is there before it is removed) and then handled.
 */
export async function removalCalls(root: string, roleName: string, sample: unknown): Promise<RemovalFigures> {
  const template = JSON.parse(
    readFileSync(join(root, 'test', 'events', 'fixtures', 'iam-AttachRolePolicy.json'), 'utf8'),
  ) as { detail: Record<string, unknown> };
  const event = (eventName: string, params: Record<string, string>): unknown => ({
    ...template,
    detail: { ...template.detail, eventName, eventID: `bench-${eventName}`, requestParameters: params },
  });
  const attachEvent = event('AttachRolePolicy', { roleName, policyArn: FULL_ACCESS });
  const { fake, deps } = benchAccount(sample);
  // Warm-up: the node-role inventory and the policies the role holds are read once.
  await replay(fake, attachEvent);
  const first = await handleEvent(deps, attachEvent);
  const measure = async (raw: unknown): Promise<CallCount> => {
    await replay(fake, raw);
    await handleEvent(deps, raw);
    return countCalls(fake);
  };
  const attach = await measure(attachEvent);
  const detach = await measure(event('DetachRolePolicy', { roleName, policyArn: FULL_ACCESS }));
  await replay(fake, attachEvent);
  const deleteInline = await measure(event('DeleteRolePolicy', { roleName, policyName: 'bench-inline' }));
  return {
    role: roleName,
    nodeRole: first.details.some((detail) => detail.decision.nodeRole.evidence.length > 0),
    attach,
    detach,
    deleteInline,
    roleLookup: ROLE_LOOKUP_CALLS,
  };
}
