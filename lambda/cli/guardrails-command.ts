// CLI command `guardrails`: prints the preventive SCP or node-role permissions boundary, built and checked by
// lambda/guardrails (the project's analyser); a policy that fails its check is not printed (exit 1).
import { parseArgs } from 'node:util';
import { pullAllowance } from '../domain/catalogue';
import { type GuardrailResult, generateBoundary, generateScp } from '../guardrails/guardrails';
import type { NodeRoleTag } from '../guardrails/options';
import { DEFAULT_NODE_ROLE_PATTERNS, minified, pretty } from '../guardrails/policy';
import { loadCliConfig } from './audit-command';
import { type CliIo, UsageError } from './io';

export const GUARDRAILS_USAGE = `Usage: eks-ecr-guard guardrails --kind scp|boundary [--format text|json] [--partition aws]
                                [--node-role-pattern PATTERN...] [--node-role-tag KEY=VALUE]
                                [--exempt-principal ARN...] [--no-ssm] [--allow ACTION...] [--config C.json]

Prints a ready-to-use preventive policy, checked by the guard's own analyser first (see docs/guardrails.md).

  --kind scp          service control policy for AWS Organizations (root or OU): denies attaching ECR write
                      and admin policies to node roles, inline policies on node roles, and ECR writes with EC2
                      instance-profile credentials
  --kind boundary     permissions boundary for node roles: worker node, VPC CNI, image pulls, pull-through cache
                      import, eks-auth:AssumeRoleForPodIdentity, SSM core; no ECR write, plus an explicit Deny
  --format            text (default: what it does, then the policy) or json (the policy only; an SCP minified)
  --partition P       aws (default), aws-cn, aws-us-gov...
  --node-role-pattern role-name (or role ARN) wildcard, repeatable; replaces the defaults:
                      ${DEFAULT_NODE_ROLE_PATTERNS.join(',\n                      ')}
  --node-role-tag K=V also treat roles tagged K=V as node roles (scp)
  --exempt-principal  principal ARN (wildcards allowed) the SCP never applies to, repeatable: the guard's
                      remediator, EC2 CI runners that must push (scp)
  --no-ssm            leave Systems Manager / Session Manager out of the boundary
  --allow ACTION      another action the nodes need, repeatable (boundary); an ECR write fails the check
  --config C.json     extraPullActions: write-level actions nodes keep, as for audit

Exit codes: 0 printed, 1 the policy failed its check (the reasons go to stderr), 2 bad usage.`;

const PARTITION = /^aws(-[a-z]+)*$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

function parseTag(value: string | undefined): NodeRoleTag | null {
  if (value === undefined) return null;
  const at = value.indexOf('=');
  const key = at < 0 ? '' : value.slice(0, at);
  if (!TAG_KEY.test(key))
    throw new UsageError(`--node-role-tag expects KEY=VALUE, got ${JSON.stringify(value)}`);
  return { key, value: value.slice(at + 1) };
}

function parseExempt(values: readonly string[]): string[] {
  const bad = values.filter((value) => !value.startsWith('arn:'));
  if (bad.length > 0) throw new UsageError(`--exempt-principal expects ARNs, got ${JSON.stringify(bad[0])}`);
  return [...values];
}

function parsePatterns(values: readonly string[] | undefined): readonly string[] {
  if (values === undefined) return DEFAULT_NODE_ROLE_PATTERNS;
  const bad = values.filter((value) => value.trim() === '' || /\s/.test(value));
  if (bad.length > 0)
    throw new UsageError(`--node-role-pattern expects a role name wildcard, got ${JSON.stringify(bad[0])}`);
  return values;
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;

function parseActions(values: readonly string[]): string[] {
  const bad = values.filter((value) => !ACTION.test(value));
  if (bad.length > 0) throw new UsageError(`--allow expects service:Action, got ${JSON.stringify(bad[0])}`);
  return [...values];
}

const SCP_ONLY = ['node-role-pattern', 'node-role-tag', 'exempt-principal'] as const;
const BOUNDARY_ONLY = ['no-ssm', 'allow'] as const;

/** A flag of the other kind is a mistake worth saying, not something to ignore. */
function rejectOtherKind(kind: 'scp' | 'boundary', given: ReadonlySet<string>): void {
  const foreign = (kind === 'scp' ? BOUNDARY_ONLY : SCP_ONLY).filter((flag) => given.has(flag));
  if (foreign.length > 0) throw new UsageError(`--${foreign[0]} does not apply to --kind ${kind}`);
}

function render(result: Extract<GuardrailResult, { ok: true }>, format: 'text' | 'json'): string {
  const json = result.kind === 'scp' ? minified(result.document) : pretty(result.document);
  if (format === 'json') return `${json}\n`;
  const size = `Size: ${result.size.used} of ${result.size.limit} characters (minified, UTF-8 bytes).`;
  return `${result.description.join('\n')}\n${size}\n\n${json}\n`;
}

export const guardrailsCommand = {
  usage: GUARDRAILS_USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, tokens } = parseArgs({
      args,
      options: {
        kind: { type: 'string' },
        format: { type: 'string', default: 'text' },
        partition: { type: 'string', default: 'aws' },
        'node-role-pattern': { type: 'string', multiple: true },
        'node-role-tag': { type: 'string' },
        'exempt-principal': { type: 'string', multiple: true, default: [] },
        'no-ssm': { type: 'boolean', default: false },
        allow: { type: 'string', multiple: true, default: [] },
        config: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    const kind = values.kind;
    if (kind !== 'scp' && kind !== 'boundary') throw new UsageError('--kind must be scp or boundary');
    rejectOtherKind(kind, new Set(tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : []))));
    const format = values.format;
    if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
    if (!PARTITION.test(values.partition))
      throw new UsageError(`--partition: not a partition name: ${values.partition}`);
    const allowance = pullAllowance(loadCliConfig(values.config).extraPullActions, 'extraPullActions');
    const common = { partition: values.partition, pullAllowance: allowance };
    const result =
      kind === 'scp'
        ? generateScp({
            ...common,
            nodeRolePatterns: parsePatterns(values['node-role-pattern']),
            nodeRoleTag: parseTag(values['node-role-tag']),
            exemptPrincipals: parseExempt(values['exempt-principal']),
          })
        : generateBoundary({
            ...common,
            ssmCore: !values['no-ssm'],
            extraActions: parseActions(values.allow),
          });
    if (!result.ok) {
      io.stderr.write(`eks-ecr-guard guardrails: the ${kind} failed its check, not printed:\n`);
      for (const problem of result.problems) io.stderr.write(`- ${problem}\n`);
      return 1;
    }
    io.stdout.write(render(result, format));
    return 0;
  },
};
