// Infrastructure (CDK) layer: a stack holding only the audit read role, to deploy it on its own in one account
// (`cdk deploy --app "node --import tsx bin/audit-read-role.ts"`); a StackSet can hold the construct alike.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AuditReadRole, type AuditReadRoleProps } from './audit-read-role';

export interface AuditReadRoleStackProps extends StackProps, AuditReadRoleProps {}

export class AuditReadRoleStack extends Stack {
  readonly auditRole: AuditReadRole;

  constructor(scope: Construct, id: string, props: AuditReadRoleStackProps) {
    super(scope, id, props);
    this.auditRole = new AuditReadRole(this, 'AuditReadRole', props);
  }
}
