// The remediator on its own, with a recording IAM writer and a scripted re-evaluation: the paths the stateful
// fake cannot reach (the re-read says pulls are gone) and the order rules (nothing detached without pull cover).
import type { AccountView } from '../../lambda/account/account-view';
import type { Decision, PlanStep, RoleRecord } from '../../lambda/domain/types';
import { type IamWriter, pullCoverage, Remediator } from '../../lambda/usecases/remediate';
import { FULL_ACCESS_ARN, READ_ONLY_ARN, ROLE_ARN, ROLE_NAME, violationDecision } from '../notify/support';

const BRIDGE = 'eks-ecr-guard-pull-bridge';
const PULLS = ['ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer'];
const COVERAGE = pullCoverage(
  'aws',
  ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPullOnly'],
  PULLS,
  BRIDGE,
);

class RecordingWriter implements IamWriter {
  readonly calls: string[] = [];
  failing = new Set<string>();
  limitExceededOnce = new Set<string>();

  private async record(call: string): Promise<void> {
    this.calls.push(call);
    if (this.limitExceededOnce.delete(call))
      throw Object.assign(new Error('Cannot exceed quota for PoliciesPerRole'), { name: 'LimitExceeded' });
    if (this.failing.has(call)) throw Object.assign(new Error(`${call} refused`), { name: 'AccessDenied' });
  }
  attachRolePolicy(_role: string, arn: string) {
    return this.record(`attach ${arn.slice(arn.lastIndexOf('/') + 1)}`);
  }
  detachRolePolicy(_role: string, arn: string) {
    return this.record(`detach ${arn.slice(arn.lastIndexOf('/') + 1)}`);
  }
  putRolePolicy(_role: string, name: string) {
    return this.record(`put ${name}`);
  }
  deleteRolePolicy(_role: string, name: string) {
    return this.record(`delete ${name}`);
  }
}

function viewWith(attached: readonly string[]): AccountView {
  const role: RoleRecord = {
    name: ROLE_NAME,
    arn: ROLE_ARN,
    path: '/',
    trustPolicy: null,
    tags: {},
    permissionsBoundaryArn: null,
    attachedPolicies: attached.map((arn) => ({ arn, name: arn.slice(arn.lastIndexOf('/') + 1) })),
    inlinePolicyNames: [],
  };
  return { getRole: async () => role, getInlinePolicy: async () => null } as unknown as AccountView;
}

/** Re-evaluations answered in turn from a script (the last answer repeats). */
function scripted(...answers: Partial<Decision>[]) {
  let call = 0;
  return {
    calls: () => call,
    evaluateRole: async (): Promise<Decision> => {
      const answer = answers[Math.min(call, answers.length - 1)] ?? {};
      call += 1;
      return violationDecision({ verdict: 'compliant', severity: null, ecrWriteActions: [], ...answer });
    },
  };
}

const decision = (plan: readonly PlanStep[]) => violationDecision({ plan, pullActionsAllowed: PULLS });
const attach: PlanStep = { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN };
const detach: PlanStep = { op: 'DetachRolePolicy', roleName: ROLE_NAME, policyArn: FULL_ACCESS_ARN };
const options = { sleep: async () => undefined, verifyAttempts: 2 };

/** A remediator over a role with FullAccess attached, its re-reads answered by `answers` in turn. */
function remediatorFor(writer: IamWriter, ...answers: Partial<Decision>[]) {
  const evaluator = scripted(...answers);
  return {
    remediator: new Remediator(writer, viewWith([FULL_ACCESS_ARN]), evaluator, COVERAGE, options),
    evaluator,
  };
}

describe('Remediator', () => {
  it('attach before detach needs no bridge', async () => {
    const writer = new RecordingWriter();
    const { remediator } = remediatorFor(writer, { pullActionsAllowed: PULLS });
    const outcome = await remediator.remediate(decision([attach, detach]));
    expect(outcome.status).toBe('applied');
    expect(writer.calls).toEqual([
      'attach AmazonEC2ContainerRegistryReadOnly',
      'detach AmazonEC2ContainerRegistryFullAccess',
    ]);
  });

  it('a detach with no pull policy attached goes behind the bridge, removed once the replacement is on', async () => {
    const writer = new RecordingWriter();
    const { remediator } = remediatorFor(writer, { pullActionsAllowed: PULLS });
    const outcome = await remediator.remediate(decision([detach, attach]));
    expect(outcome).toMatchObject({ status: 'applied', applied: [detach, attach] });
    expect(writer.calls).toEqual([
      `put ${BRIDGE}`,
      'detach AmazonEC2ContainerRegistryFullAccess',
      'attach AmazonEC2ContainerRegistryReadOnly',
      `delete ${BRIDGE}`,
    ]);
  });

  it('if the bridge cannot be put, nothing is detached', async () => {
    const writer = new RecordingWriter();
    writer.failing.add(`put ${BRIDGE}`);
    const { remediator, evaluator } = remediatorFor(writer, { pullActionsAllowed: PULLS });
    const outcome = await remediator.remediate(decision([detach, attach]));
    expect(outcome).toMatchObject({ status: 'failed-safe', applied: [], notDone: [detach, attach] });
    expect(outcome.failedStep).toMatchObject({ op: 'PutRolePolicy', policyName: BRIDGE });
    expect(writer.calls).toEqual([`put ${BRIDGE}`]);
    expect(evaluator.calls()).toBe(0);
  });

  it('a bridge that cannot be deleted stays, listed among the applied steps', async () => {
    const writer = new RecordingWriter();
    writer.failing.add(`delete ${BRIDGE}`);
    const { remediator } = remediatorFor(writer, { pullActionsAllowed: PULLS });
    const outcome = await remediator.remediate(decision([detach, attach]));
    expect(outcome.status).toBe('applied');
    expect(outcome.applied).toEqual([expect.objectContaining({ policyName: BRIDGE }), detach, attach]);
  });

  it('the re-read says pulls are gone: the bridge is put and, once pulls are back, the run is failed-safe', async () => {
    const writer = new RecordingWriter();
    const { remediator } = remediatorFor(
      writer,
      { pullActionsAllowed: [] },
      { pullActionsAllowed: [] },
      { pullActionsAllowed: PULLS },
    );
    const outcome = await remediator.remediate(decision([attach, detach]));
    expect(outcome.status).toBe('failed-safe');
    expect(outcome.error).toContain('image pulls would break');
    expect(outcome.verification).toEqual({ writeActionsAfter: [], pullActionsAllowed: true });
    expect(outcome.error).toContain(`the temporary pull bridge ${BRIDGE} was put`);
    expect(writer.calls.at(-1)).toBe(`put ${BRIDGE}`);
    // Listed in the order it was done: after the plan's steps.
    expect(outcome.applied).toEqual([attach, detach, expect.objectContaining({ policyName: BRIDGE })]);
  });

  it('pulls gone and the bridge refused (or not enough): pulls at risk, never "safe"', async () => {
    const refused = new RecordingWriter();
    refused.failing.add(`put ${BRIDGE}`);
    const first = remediatorFor(refused, { pullActionsAllowed: [] }).remediator;
    expect((await first.remediate(decision([attach, detach]))).status).toBe('failed-pulls-at-risk');

    const stillGone = remediatorFor(new RecordingWriter(), { pullActionsAllowed: [] }).remediator;
    expect((await stillGone.remediate(decision([attach, detach]))).status).toBe('failed-pulls-at-risk');
  });

  it('after the quota retry, what is not done is listed in the order it would have run (detach, then attach)', async () => {
    const writer = new RecordingWriter();
    writer.limitExceededOnce.add('attach AmazonEC2ContainerRegistryReadOnly');
    writer.failing.add('detach AmazonEC2ContainerRegistryFullAccess');
    const { remediator } = remediatorFor(writer, { pullActionsAllowed: PULLS });
    const outcome = await remediator.remediate(decision([attach, detach]));
    expect(outcome).toMatchObject({ status: 'failed-safe', failedStep: detach, notDone: [detach, attach] });
    expect(outcome.applied).toEqual([expect.objectContaining({ policyName: BRIDGE })]);
    expect(writer.calls).toEqual([
      'attach AmazonEC2ContainerRegistryReadOnly',
      `put ${BRIDGE}`,
      'detach AmazonEC2ContainerRegistryFullAccess',
    ]);
  });

  it('a re-read that fails after one that found pulls lost does not hide the loss', async () => {
    const writer = new RecordingWriter();
    let call = 0;
    const evaluator = {
      evaluateRole: async (): Promise<Decision> => {
        call += 1;
        if (call === 2) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
        return violationDecision({
          verdict: 'compliant',
          severity: null,
          ecrWriteActions: [],
          pullActionsAllowed: [],
        });
      },
    };
    writer.failing.add(`put ${BRIDGE}`);
    const remediator = new Remediator(writer, viewWith([FULL_ACCESS_ARN]), evaluator, COVERAGE, options);
    const outcome = await remediator.remediate(decision([attach, detach]));
    expect(outcome.status).toBe('failed-pulls-at-risk');
    expect(outcome.verification).toEqual({ writeActionsAfter: [], pullActionsAllowed: false });
    expect(outcome.error).toContain('Throttling');
  });

  it('writes still allowed after the run: failed-safe, what was done stays, nothing written to undo it', async () => {
    const writer = new RecordingWriter();
    const { remediator } = remediatorFor(writer, {
      ecrWriteActions: ['ecr:PutImage'],
      pullActionsAllowed: PULLS,
    });
    const outcome = await remediator.remediate(decision([attach, detach]));
    expect(outcome).toMatchObject({ status: 'failed-safe', applied: [attach, detach], notDone: [] });
    expect(outcome.verification).toEqual({ writeActionsAfter: ['ecr:PutImage'], pullActionsAllowed: true });
    expect(writer.calls).toEqual([
      'attach AmazonEC2ContainerRegistryReadOnly',
      'detach AmazonEC2ContainerRegistryFullAccess',
    ]);
  });
});
