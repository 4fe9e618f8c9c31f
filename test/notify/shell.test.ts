// Tests for the CLI commands in alerts: fix = the plan, rollback = its exact inverse in reverse order, and the
// rendered text, run through a real POSIX shell, gives back exactly the intended arguments.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import type { PlanStep } from '../../lambda/domain/types';
import {
  type CliCommand,
  fixCommands,
  readableDocument,
  renderCommand,
  renderCommandOneLine,
  rollbackCommands,
  shellQuote,
} from '../../lambda/notify/shell';
import {
  FULL_ACCESS_ARN,
  GUARD_DOCUMENT,
  GUARD_POLICY_NAME,
  GUARD_STEP,
  READ_ONLY_ARN,
  ROLE_NAME,
  SWAP_PLAN,
} from './support';

/** The argument vectors a shell passes to `aws` when it runs `script` (aws is stubbed to print its arguments). */
function argvFromShell(script: string): string[][] {
  const stub = 'aws() { printf "%s\\0" aws "$@"; printf "\\n--END--\\n"; }';
  const output = execFileSync('sh', ['-c', `${stub}\n${script}`], { encoding: 'utf8' });
  return output
    .split('\n--END--\n')
    .filter((chunk) => chunk.length > 0)
    .map((chunk) => chunk.split('\0').slice(0, -1));
}

const render = (commands: readonly CliCommand[]): string =>
  commands.map((command) => renderCommand(command, { indent: '  ', width: 100 })).join('\n');

/** Reads a command back into the plan step it performs; policy documents compared as JSON values. */
function stepFromCommand(argv: readonly string[]): unknown {
  const flag = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
  const verb = argv[2];
  if (verb === 'attach-role-policy' || verb === 'detach-role-policy') {
    const op = verb === 'attach-role-policy' ? 'AttachRolePolicy' : 'DetachRolePolicy';
    return { op, roleName: flag('--role-name'), policyArn: flag('--policy-arn') };
  }
  if (verb === 'put-role-policy') {
    return {
      op: 'PutRolePolicy',
      roleName: flag('--role-name'),
      policyName: flag('--policy-name'),
      policyDocument: JSON.parse(flag('--policy-document') ?? 'null'),
    };
  }
  throw new Error(`unexpected command ${argv.join(' ')}`);
}

const planAsValues = (plan: readonly PlanStep[]): unknown[] =>
  plan.map((step) =>
    step.op === 'PutRolePolicy' ? { ...step, policyDocument: JSON.parse(step.policyDocument) } : step,
  );

const FULL_PLAN: readonly PlanStep[] = [GUARD_STEP, ...SWAP_PLAN];

describe('shellQuote', () => {
  it.each([
    ['plain IAM name', 'eksctl-prod-ng-1_Role+x=y,z.w@v', 'eksctl-prod-ng-1_Role+x=y,z.w@v'],
    ['ARN', FULL_ACCESS_ARN, FULL_ACCESS_ARN],
    ['empty', '', "''"],
    ['space', 'a b', "'a b'"],
    ['single quote', "it's", "'it'\\''s'"],
    ['dollar and backtick', '$(rm -rf /)`id`', "'$(rm -rf /)`id`'"],
  ])('quotes %s', (_name, word, expected) => {
    expect(shellQuote(word)).toBe(expected);
  });

  it('gives back exactly the word through a real shell, whatever it contains (property)', () => {
    const words = fc.sample(
      fc.string({ unit: 'grapheme', maxLength: 40 }).filter((w) => !w.includes('\0')),
      200,
    );
    const nasty = ["'", "''", "'\\''", '"', '\\', '$HOME', '`id`', '*', '~', '-n', 'a\nb', "}'{", '!'];
    const all = [...nasty, ...words];
    const script = all.map((word) => `aws ${shellQuote(word)}`).join('\n');
    expect(argvFromShell(script)).toEqual(all.map((word) => ['aws', word]));
  });
});

describe('fixCommands', () => {
  it('maps each plan step to its AWS CLI command, in plan order', () => {
    expect(fixCommands(SWAP_PLAN)).toEqual([
      ['aws', 'iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', READ_ONLY_ARN],
      ['aws', 'iam', 'detach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', FULL_ACCESS_ARN],
    ]);
  });

  it('equals the plan when the rendered text is run by a shell, the guard policy included', () => {
    const commands = argvFromShell(render(fixCommands(FULL_PLAN)));
    expect(commands.map(stepFromCommand)).toEqual(planAsValues(FULL_PLAN));
  });

  it('keeps a policy document with single quotes intact through the shell', () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: "it's", Effect: 'Deny', Action: "ecr:'*'", Resource: "'" }],
    });
    const step: PlanStep = {
      op: 'PutRolePolicy',
      roleName: ROLE_NAME,
      policyName: 'guard',
      policyDocument: document,
    };
    const rendered = render(fixCommands([step]));
    expect(argvFromShell(rendered).map(stepFromCommand)).toEqual(planAsValues([step]));
    const oneLine = renderCommandOneLine(fixCommands([step])[0] ?? []);
    expect(argvFromShell(oneLine).map(stepFromCommand)).toEqual(planAsValues([step]));
  });

  it('lays the policy document out for reading without changing its value', () => {
    const laidOut = readableDocument(GUARD_DOCUMENT);
    expect(GUARD_DOCUMENT).not.toContain('\n');
    expect(laidOut.split('\n').length).toBeGreaterThan(10);
    expect(JSON.parse(laidOut)).toEqual(JSON.parse(GUARD_DOCUMENT));
    expect(readableDocument('{not json')).toBe('{not json');
  });

  it('renders each command on lines of at most 100 characters outside the policy document', () => {
    for (const line of render(fixCommands(SWAP_PLAN)).split('\n'))
      expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('rollbackCommands', () => {
  it('undoes each step, last applied first: detach the attached, re-attach the detached, delete the put', () => {
    expect(rollbackCommands(FULL_PLAN)).toEqual([
      ['aws', 'iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', FULL_ACCESS_ARN],
      ['aws', 'iam', 'detach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', READ_ONLY_ARN],
      ['aws', 'iam', 'delete-role-policy', '--role-name', ROLE_NAME, '--policy-name', GUARD_POLICY_NAME],
    ]);
  });

  it('is the exact inverse of the fix, in reverse order, for any plan (property)', () => {
    const inverse: Record<string, string> = {
      'attach-role-policy': 'detach-role-policy',
      'detach-role-policy': 'attach-role-policy',
      'put-role-policy': 'delete-role-policy',
    };
    const step = fc.oneof(
      fc.record({
        op: fc.constant('AttachRolePolicy' as const),
        roleName: fc.string(),
        policyArn: fc.string(),
      }),
      fc.record({
        op: fc.constant('DetachRolePolicy' as const),
        roleName: fc.string(),
        policyArn: fc.string(),
      }),
      fc.record({
        op: fc.constant('PutRolePolicy' as const),
        roleName: fc.string(),
        policyName: fc.string(),
        policyDocument: fc.string(),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 8 }), (plan) => {
        const fix = fixCommands(plan);
        const undo = rollbackCommands(plan);
        expect(undo).toHaveLength(fix.length);
        undo.forEach((command, index) => {
          const original = fix[fix.length - 1 - index] ?? [];
          expect(command[2]).toBe(inverse[original[2] ?? '']);
          expect(command.slice(3, 5)).toEqual(original.slice(3, 5));
          if (original[2] === 'put-role-policy') expect(command.slice(5)).toEqual(original.slice(5, 7));
          else expect(command.slice(5)).toEqual(original.slice(5));
        });
      }),
    );
  });

  it('run through a shell, the rollback of the swap plan re-attaches FullAccess and detaches ReadOnly', () => {
    expect(argvFromShell(render(rollbackCommands(SWAP_PLAN))).map(stepFromCommand)).toEqual([
      { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: FULL_ACCESS_ARN },
      { op: 'DetachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
    ]);
  });
});
