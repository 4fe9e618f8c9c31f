// Use case "remediate a role": applies a decision's plan through the IAM gateway, re-reads and re-analyses the
// role, and undoes every applied step if anything fails. Only reached behind the `shouldRemediate` gate.
import type { AccountView } from '../account/account-view';
import type { Decision, PlanStep, RemediationOutcome } from '../domain/types';

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
 * plan, and no exemption tag (valid or expired). Alert-only is the default everywhere.
 */
export function shouldRemediate(
  decision: Decision,
  config: { readonly mode: 'alert' | 'remediate' },
): boolean {
  return (
    config.mode === 'remediate' &&
    decision.verdict === 'violation' &&
    decision.scope === 'role' &&
    decision.exemption === null &&
    // IAM refuses every guard write on a role that still carries the exempt tag, even an expired one.
    (decision.expiredExemption ?? null) === null &&
    decision.role !== null &&
    decision.plan.length > 0
  );
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

export class Remediator {
  private readonly verifyAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly writer: IamWriter,
    private readonly view: AccountView,
    private readonly evaluator: RoleReevaluator,
    options: RemediatorOptions = {},
  ) {
    this.verifyAttempts = options.verifyAttempts ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async remediate(decision: Decision): Promise<RemediationOutcome> {
    const roleName = decision.role?.name;
    if (roleName === undefined) throw new Error('remediate() needs a decision about a role');
    const steps = await this.stepsStillNeeded(roleName, decision.plan);
    if (steps.length === 0) return outcome('not-needed', { verification: null });

    const undo = new UndoLog(this.writer);
    const failure = await this.apply(steps, undo);
    if (failure !== null) return this.restore(undo, failure.step, failure.error);

    const verification = await this.verify(roleName, decision);
    if (verification.ok) {
      return outcome('applied', { applied: undo.appliedSteps(), verification: verification.result });
    }
    return this.restore(undo, null, verification.error, verification.result);
  }

  /** Re-reads the role so a re-run, or a race with a human, never repeats or undoes someone else's change. */
  private async stepsStillNeeded(roleName: string, plan: readonly PlanStep[]): Promise<PlanStep[]> {
    const role = await this.view.getRole(roleName);
    if (role === null) return [];
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
    return needed;
  }

  /** Applies the steps in order. A LimitExceeded attach runs the plan's pending detaches first, then retries. */
  private async apply(
    steps: readonly PlanStep[],
    undo: UndoLog,
  ): Promise<{ step: PlanStep; error: unknown } | null> {
    const pending = [...steps];
    while (pending.length > 0) {
      const step = pending.shift();
      if (step === undefined) break;
      try {
        await this.applyOne(step, undo);
      } catch (error) {
        const detaches = pending.filter((s) => s.op === 'DetachRolePolicy');
        if (!(step.op === 'AttachRolePolicy' && isLimitExceeded(error) && detaches.length > 0))
          return { step, error };
        // At the managed-policy quota: free the slots first (a brief pull gap), then attach again.
        for (const detach of detaches) pending.splice(pending.indexOf(detach), 1);
        pending.unshift(...detaches, step);
      }
    }
    return null;
  }

  private async applyOne(step: PlanStep, undo: UndoLog): Promise<void> {
    switch (step.op) {
      case 'AttachRolePolicy':
        await this.writer.attachRolePolicy(step.roleName, step.policyArn);
        undo.record(step, { op: 'DetachRolePolicy', roleName: step.roleName, policyArn: step.policyArn });
        return;
      case 'DetachRolePolicy':
        await this.writer.detachRolePolicy(step.roleName, step.policyArn);
        undo.record(step, { op: 'AttachRolePolicy', roleName: step.roleName, policyArn: step.policyArn });
        return;
      case 'PutRolePolicy': {
        const previous = await this.view.getInlinePolicy(step.roleName, step.policyName);
        await this.writer.putRolePolicy(step.roleName, step.policyName, step.policyDocument);
        undo.record(
          step,
          previous === null
            ? { op: 'DeleteRolePolicy', roleName: step.roleName, policyName: step.policyName }
            : {
                op: 'PutRolePolicy',
                roleName: step.roleName,
                policyName: step.policyName,
                policyDocument: documentText(previous),
              },
        );
        return;
      }
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
        // never let it escape (the fix would stay half-verified and unreported); count it as a failed check.
        last = {
          ok: false,
          error: `verification could not read the role: ${errorText(error)}`,
          result: null,
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

  private async restore(
    undo: UndoLog,
    failedStep: PlanStep | null,
    error: unknown,
    verification: RemediationOutcome['verification'] = null,
  ): Promise<RemediationOutcome> {
    const message = typeof error === 'string' ? error : errorText(error);
    const { rolledBack, notRestored } = await undo.rollback();
    const status = notRestored.length === 0 ? 'failed-restored' : 'failed-not-restored';
    return outcome(status, {
      rolledBack,
      notRestored,
      failedStep,
      error: message,
      verification,
      applied: notRestored,
    });
  }
}

type UndoStep =
  | PlanStep
  | { readonly op: 'DeleteRolePolicy'; readonly roleName: string; readonly policyName: string };

/** Remembers how to undo each applied step; rolls back in reverse order, continuing past failures. */
class UndoLog {
  private readonly entries: { step: PlanStep; undo: UndoStep }[] = [];

  constructor(private readonly writer: IamWriter) {}

  record(step: PlanStep, undo: UndoStep): void {
    this.entries.push({ step, undo });
  }

  appliedSteps(): PlanStep[] {
    return this.entries.map((e) => e.step);
  }

  async rollback(): Promise<{ rolledBack: PlanStep[]; notRestored: PlanStep[] }> {
    const rolledBack: PlanStep[] = [];
    const notRestored: PlanStep[] = [];
    for (const { step, undo } of [...this.entries].reverse()) {
      try {
        await this.run(undo);
        rolledBack.push(step);
      } catch {
        notRestored.push(step);
      }
    }
    return { rolledBack, notRestored };
  }

  private async run(step: UndoStep): Promise<void> {
    switch (step.op) {
      case 'AttachRolePolicy':
        return this.writer.attachRolePolicy(step.roleName, step.policyArn);
      case 'DetachRolePolicy':
        return this.writer.detachRolePolicy(step.roleName, step.policyArn);
      case 'PutRolePolicy':
        return this.writer.putRolePolicy(step.roleName, step.policyName, step.policyDocument);
      case 'DeleteRolePolicy':
        return this.writer.deleteRolePolicy(step.roleName, step.policyName);
    }
  }
}

function outcome(
  status: RemediationOutcome['status'],
  parts: Partial<Omit<RemediationOutcome, 'status'>>,
): RemediationOutcome {
  return {
    status,
    applied: parts.applied ?? [],
    rolledBack: parts.rolledBack ?? [],
    notRestored: parts.notRestored ?? [],
    failedStep: parts.failedStep ?? null,
    error: parts.error ?? null,
    verification: parts.verification ?? null,
  };
}

/** A document as read back (object or JSON string) turned into the JSON text IAM accepts. */
function documentText(document: unknown): string {
  if (typeof document === 'string') {
    try {
      return JSON.stringify(JSON.parse(document));
    } catch {
      return decodeURIComponentSafe(document);
    }
  }
  return JSON.stringify(document);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sameDocument(current: unknown, wanted: string): boolean {
  try {
    return JSON.stringify(JSON.parse(documentText(current))) === JSON.stringify(JSON.parse(wanted));
  } catch {
    return false;
  }
}
