// Use case "remediate a role": applies a decision's plan through the IAM gateway without ever widening the role
// or stopping image pulls, then re-reads and re-analyses it. Only reached behind the `shouldRemediate` gate.
import type { AccountView } from '../account/account-view';
import type { GuardMode } from '../contract';
import { awsManagedPolicyArn } from '../domain/arn';
import { decodePolicyDocument } from '../domain/policy-json';
import type { Decision, PlanStep, RemediationOutcome } from '../domain/types';
import { usageHold } from '../domain/usage';

/** The IAM writes remediation may perform (implemented by the IAM gateway). */
export interface IamWriter {
  attachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  detachRolePolicy(roleName: string, policyArn: string): Promise<void>;
  putRolePolicy(roleName: string, policyName: string, policyDocument: string): Promise<void>;
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
}

/** Re-evaluates a role after the change (the ChangeEvaluator). */
export interface RoleReevaluator {
  evaluateRole(roleName: string, event: Decision['event']): Promise<Decision>;
}

/**
 * The gate in front of every IAM write: remediate mode, a violation evaluated on the whole role, a non-empty
 * plan, no exemption tag (valid or expired), and no usage hold (CloudTrail shows the role pushing, or its usage
 * is unknown and `fixWhenUsageUnknown` is not set; see `usageHold`). Alert-only is the default everywhere.
 */
export function shouldRemediate(
  decision: Decision,
  config: { readonly mode: GuardMode; readonly fixWhenUsageUnknown?: boolean },
): boolean {
  return (
    config.mode === 'remediate' &&
    usageHold(decision, config) === null &&
    decision.verdict === 'violation' &&
    decision.scope === 'role' &&
    decision.exemption === null &&
    // IAM refuses every guard write on a role that still carries the exempt tag, even an expired one.
    (decision.expiredExemption ?? null) === null &&
    decision.role !== null &&
    decision.plan.length > 0
  );
}

/** What keeps image pulls allowed while write policies come off (resolved from the evaluation settings). */
export interface PullCoverage {
  /** AWS managed policies that give pull access (the replacement among them), as ARNs. */
  readonly pullPolicyArns: readonly string[];
  /** The temporary inline policy that allows pulls while no pull policy is attached. */
  readonly bridgePolicyName: string;
  readonly bridgePolicyDocument: string;
}

/** The pull coverage for a partition: the pull policies, and a bridge that allows exactly the given actions. */
export function pullCoverage(
  partition: string,
  pullPolicyNames: readonly string[],
  pullActions: readonly string[],
  bridgePolicyName: string,
): PullCoverage {
  return {
    pullPolicyArns: pullPolicyNames.map((name) => awsManagedPolicyArn(partition, name)),
    bridgePolicyName,
    bridgePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'KeepImagePullsWhileEksEcrGuardSwapsPolicies',
          Effect: 'Allow',
          Action: [...new Set(pullActions)].sort(),
          Resource: '*',
        },
      ],
    }),
  };
}

export interface RemediatorOptions {
  /** Verification reads can lag IAM's eventual consistency: how many re-reads before giving up. */
  readonly verifyAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`;

const isLimitExceeded = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'LimitExceeded' || error.name === 'LimitExceededException');

/**
 * Applies a plan so that no step ever widens the role and image pulls never stop:
 * - the guard never attaches a write policy, not even to undo its own work (it has no permission to), so a
 *   failed run is not rolled back: what was done stays, because each step only takes write access away
 *   (detach a write policy, put the explicit deny) or only adds pull access (attach the replacement);
 * - a write policy is only detached while a pull policy is attached; otherwise (the managed-policy quota forces
 *   the detach first) a temporary inline "pull bridge" is put before and deleted once the replacement is on.
 * The alert then lists what was done and what is left, with the commands to finish or to roll back by hand.
 */
export class Remediator {
  private readonly verifyAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly writer: IamWriter,
    private readonly view: AccountView,
    private readonly evaluator: RoleReevaluator,
    private readonly pulls: PullCoverage,
    options: RemediatorOptions = {},
  ) {
    this.verifyAttempts = options.verifyAttempts ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async remediate(decision: Decision): Promise<RemediationOutcome> {
    const roleName = decision.role?.name;
    if (roleName === undefined) throw new Error('remediate() needs a decision about a role');
    const { steps, attached } = await this.stepsStillNeeded(roleName, decision.plan);
    if (steps.length === 0) return outcome('not-needed', {});

    const run = new Run(roleName, attached, this.pulls);
    const failure = await this.apply(steps, run);
    if (failure !== null) {
      return outcome('failed-safe', {
        applied: run.applied,
        notDone: failure.notDone,
        failedStep: failure.step,
        error: errorText(failure.error),
      });
    }
    const bridgeLeft = await this.removeBridge(run);

    const verification = await this.verify(roleName, decision);
    if (verification.ok) {
      return outcome('applied', {
        applied: run.applied,
        verification: verification.result,
        error: bridgeLeft,
      });
    }
    const failed = { error: verification.error, verification: verification.result };
    if (verification.result?.pullActionsAllowed !== false) {
      return outcome('failed-safe', { ...failed, applied: run.applied });
    }
    // The fix is in but pulls look lost: the one thing to repair at once. Put the bridge and check again.
    if (run.bridgeInPlace) return outcome('failed-pulls-at-risk', { ...failed, applied: run.applied });
    try {
      await this.putBridge(run);
    } catch (error) {
      return outcome('failed-pulls-at-risk', {
        ...failed,
        error: `${failed.error}; the pull bridge could not be put: ${errorText(error)}`,
        applied: run.applied,
      });
    }
    const again = await this.verify(roleName, decision);
    const repaired = again.result?.pullActionsAllowed === true;
    return outcome(repaired ? 'failed-safe' : 'failed-pulls-at-risk', {
      error: `${failed.error}; the temporary pull bridge ${this.pulls.bridgePolicyName} was put to keep pulls working`,
      verification: repaired ? again.result : failed.verification,
      applied: run.applied,
    });
  }

  /** Re-reads the role so a re-run, or a race with a human, never repeats or undoes someone else's change. */
  private async stepsStillNeeded(
    roleName: string,
    plan: readonly PlanStep[],
  ): Promise<{ steps: PlanStep[]; attached: Set<string> }> {
    const role = await this.view.getRole(roleName);
    if (role === null) return { steps: [], attached: new Set() };
    const attached = new Set(role.attachedPolicies.map((p) => p.arn));
    const needed: PlanStep[] = [];
    for (const step of plan) {
      if (step.op === 'AttachRolePolicy' && attached.has(step.policyArn)) continue;
      if (step.op === 'DetachRolePolicy' && !attached.has(step.policyArn)) continue;
      if (step.op === 'PutRolePolicy') {
        const current = await this.view.getInlinePolicy(roleName, step.policyName);
        if (current !== null && sameDocument(current, step.policyDocument)) continue;
      }
      needed.push(step);
    }
    return { steps: needed, attached };
  }

  /** Applies the steps in order. A LimitExceeded attach runs the plan's pending detaches first, then retries. */
  private async apply(
    steps: readonly PlanStep[],
    run: Run,
  ): Promise<{ step: PlanStep; error: unknown; notDone: PlanStep[] } | null> {
    const pending = [...steps];
    while (pending.length > 0) {
      const step = pending.shift();
      if (step === undefined) break;
      try {
        if (step.op === 'DetachRolePolicy' && !run.pullsCovered()) await this.putBridge(run);
      } catch (error) {
        // Nothing is detached without pull cover: stop here, before the detach.
        return { step: run.bridgeStep(), error, notDone: [step, ...pending] };
      }
      try {
        await this.applyOne(step, run);
      } catch (error) {
        const detaches = pending.filter((s) => s.op === 'DetachRolePolicy');
        if (!(step.op === 'AttachRolePolicy' && isLimitExceeded(error) && detaches.length > 0))
          return { step, error, notDone: [step, ...pending] }; // in the order they would have run
        // At the managed-policy quota: free the slots first (behind the pull bridge), then attach again.
        for (const detach of detaches) pending.splice(pending.indexOf(detach), 1);
        pending.unshift(...detaches, step);
      }
    }
    return null;
  }

  private async applyOne(step: PlanStep, run: Run): Promise<void> {
    switch (step.op) {
      case 'AttachRolePolicy':
        await this.writer.attachRolePolicy(step.roleName, step.policyArn);
        break;
      case 'DetachRolePolicy':
        await this.writer.detachRolePolicy(step.roleName, step.policyArn);
        break;
      case 'PutRolePolicy':
        await this.writer.putRolePolicy(step.roleName, step.policyName, step.policyDocument);
        break;
    }
    run.done(step);
  }

  private async putBridge(run: Run): Promise<void> {
    if (run.bridgeInPlace) return;
    const step = run.bridgeStep();
    await this.writer.putRolePolicy(step.roleName, step.policyName, step.policyDocument);
    run.bridgePut(step);
  }

  /**
   * Once a pull policy is attached the bridge has done its job. If it cannot be deleted it stays (it allows pulls
   * only), listed among the applied steps; the returned note says why.
   */
  private async removeBridge(run: Run): Promise<string | null> {
    if (!run.bridgeInPlace || !run.pullsCovered(false)) return null;
    try {
      await this.writer.deleteRolePolicy(run.roleName, this.pulls.bridgePolicyName);
      run.bridgeDeleted();
      return null;
    } catch (error) {
      return `the temporary pull bridge ${this.pulls.bridgePolicyName} could not be deleted: ${errorText(error)}`;
    }
  }

  /** Re-reads and re-analyses: no write action left, and every pull action the role had is still allowed. */
  private async verify(
    roleName: string,
    before: Decision,
  ): Promise<{ ok: boolean; error: string; result: RemediationOutcome['verification'] }> {
    const neededPulls = before.pullActionsAllowed ?? [];
    let last = {
      ok: false,
      error: 'verification did not run',
      result: null as RemediationOutcome['verification'],
    };
    for (let attempt = 1; attempt <= this.verifyAttempts; attempt += 1) {
      let after: Decision;
      try {
        after = await this.evaluator.evaluateRole(roleName, before.event);
      } catch (error) {
        // Throttling that outlasts the SDK's retries, or any other read error, after IAM writes were made:
        // never let it escape (the fix would stay unverified and unreported); count it as a failed check.
        // The last result read (if any) stays: a failed re-read must not hide pulls found lost before it.
        last = {
          ok: false,
          error: `verification could not read the role: ${errorText(error)}`,
          result: last.result,
        };
        if (attempt < this.verifyAttempts) await this.sleep(1000 * attempt);
        continue;
      }
      const allowedAfter = new Set(after.pullActionsAllowed ?? []);
      const lostPulls = neededPulls.filter((a) => !allowedAfter.has(a));
      const result = { writeActionsAfter: after.ecrWriteActions, pullActionsAllowed: lostPulls.length === 0 };
      if (after.verdict === 'indeterminate') {
        last = { ok: false, error: `verification could not read the role: ${after.reason}`, result };
      } else if (after.ecrWriteActions.length > 0) {
        last = { ok: false, error: `verification: still allows ${after.ecrWriteActions.join(', ')}`, result };
      } else if (lostPulls.length > 0) {
        last = {
          ok: false,
          error: `verification: image pulls would break (${lostPulls.join(', ')})`,
          result,
        };
      } else {
        return { ok: true, error: '', result };
      }
      if (attempt < this.verifyAttempts) await this.sleep(1000 * attempt);
    }
    return last;
  }
}

/** The state of one remediation run: the steps done, the managed policies attached, the pull bridge. */
class Run {
  /** Steps done, in the order they were done (the pull bridge among them while it is on the role). */
  private readonly steps: PlanStep[] = [];
  private bridge: BridgeStep | null = null;

  constructor(
    readonly roleName: string,
    private readonly attached: Set<string>,
    private readonly pulls: PullCoverage,
  ) {}

  get applied(): PlanStep[] {
    return [...this.steps];
  }

  get bridgeInPlace(): boolean {
    return this.bridge !== null;
  }

  /** Pulls are covered by an attached pull policy (or, unless excluded, by the bridge). */
  pullsCovered(countBridge = true): boolean {
    return (
      (countBridge && this.bridge !== null) || this.pulls.pullPolicyArns.some((arn) => this.attached.has(arn))
    );
  }

  bridgeStep(): BridgeStep {
    return {
      op: 'PutRolePolicy',
      roleName: this.roleName,
      policyName: this.pulls.bridgePolicyName,
      policyDocument: this.pulls.bridgePolicyDocument,
    };
  }

  bridgePut(step: BridgeStep): void {
    this.bridge = step;
    this.steps.push(step);
  }

  bridgeDeleted(): void {
    const bridge = this.bridge;
    this.bridge = null;
    if (bridge !== null) this.steps.splice(this.steps.indexOf(bridge), 1);
  }

  done(step: PlanStep): void {
    this.steps.push(step);
    if (step.op === 'AttachRolePolicy') this.attached.add(step.policyArn);
    if (step.op === 'DetachRolePolicy') this.attached.delete(step.policyArn);
  }
}

type BridgeStep = Extract<PlanStep, { op: 'PutRolePolicy' }>;

function outcome(
  status: RemediationOutcome['status'],
  parts: Partial<Omit<RemediationOutcome, 'status'>>,
): RemediationOutcome {
  return {
    status,
    applied: parts.applied ?? [],
    notDone: parts.notDone ?? [],
    failedStep: parts.failedStep ?? null,
    error: parts.error ?? null,
    verification: parts.verification ?? null,
  };
}

/** The document read back (object, JSON or URL-encoded string) says the same as the one the guard wrote. */
function sameDocument(current: unknown, wanted: string): boolean {
  const read = decodePolicyDocument(current);
  const written = decodePolicyDocument(wanted);
  return read.ok && written.ok && JSON.stringify(read.value) === JSON.stringify(written.value);
}
