#!/usr/bin/env node
// CDK app entry point for the audit read role alone: reads `trustedPrincipal`, `externalId`, `auditRoleName` and
// `eksRegions` from the context, adds the stack, and runs cdk-nag like the guard app.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuditReadRoleStack } from '../lib/org/audit-read-role-stack';

function text(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
  return value;
}

function main(): void {
  const app = new App();
  const trustedPrincipal = text(app, 'trustedPrincipal');
  if (trustedPrincipal === undefined) {
    throw new Error('give -c trustedPrincipal=<auditing account id or role ARN>');
  }
  const externalId = text(app, 'externalId');
  const roleName = text(app, 'auditRoleName');
  const regions = text(app, 'eksRegions');
  new AuditReadRoleStack(app, 'EksEcrGuardAuditReadRole', {
    trustedPrincipal,
    ...(externalId === undefined ? {} : { externalId }),
    ...(roleName === undefined ? {} : { roleName }),
    ...(regions === undefined ? {} : { eksRegions: regions.split(',').map((region) => region.trim()) }),
    description: 'eks-ecr-guard: read-only role for the organization-wide audit',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
