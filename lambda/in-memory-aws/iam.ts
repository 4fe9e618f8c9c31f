// In-memory AWS: answers the IAM commands the guard, the snapshot command and the tests
// send, over FakeState: URL-encoded documents, IAM pagination, quota and NoSuchEntity semantics.
import type { ServiceOutputTypes as IamOutput } from '@aws-sdk/client-iam';
import { encodeDocument, isJsonObjectText } from './documents';
import { type FakeErrorKind, fakeServiceError } from './errors';
import {
  boundaryOf,
  iamPaging,
  metadata,
  nameOf,
  policyDetail,
  policyFields,
  roleDetail,
  roleSummary,
  tagList,
  versionOutput,
} from './iam-shapes';
import type { FakePolicy, FakeRole, FakeState } from './model';
import { type PageOf, pageOf } from './paging';
import { FakeRequest } from './request';

/** Longest inline policy document the fake accepts (IAM's role inline-policy size limit). */
export const MAX_INLINE_POLICY_CHARS = 10_240;
/** IAM keeps at most five versions of a managed policy. */
const MAX_POLICY_VERSIONS = 5;

type Handler = (request: FakeRequest) => IamOutput;

export class FakeIam {
  private readonly handlers: Readonly<Record<string, Handler>> = {
    GetRole: (r) => this.getRole(r),
    ListRoles: (r) => this.listRoles(r),
    ListAttachedRolePolicies: (r) => this.listAttachedRolePolicies(r),
    ListRolePolicies: (r) => this.listRolePolicies(r),
    GetRolePolicy: (r) => this.getRolePolicy(r),
    GetPolicy: (r) => this.getPolicy(r),
    GetPolicyVersion: (r) => this.getPolicyVersion(r),
    ListEntitiesForPolicy: (r) => this.listEntitiesForPolicy(r),
    GetAccountSummary: () => this.getAccountSummary(),
    GetAccountAuthorizationDetails: (r) => this.getAccountAuthorizationDetails(r),
    AttachRolePolicy: (r) => this.attachRolePolicy(r),
    DetachRolePolicy: (r) => this.detachRolePolicy(r),
    PutRolePolicy: (r) => this.putRolePolicy(r),
    DeleteRolePolicy: (r) => this.deleteRolePolicy(r),
    CreatePolicyVersion: (r) => this.createPolicyVersion(r),
    SetDefaultPolicyVersion: (r) => this.setDefaultPolicyVersion(r),
    PutRolePermissionsBoundary: (r) => this.putRolePermissionsBoundary(r),
    DeleteRolePermissionsBoundary: (r) => this.deleteRolePermissionsBoundary(r),
    UpdateAssumeRolePolicy: (r) => this.updateAssumeRolePolicy(r),
  };

  constructor(private readonly state: FakeState) {}

  /** The commands this fake answers (others are a test-setup error, not an AWS error). */
  get commands(): readonly string[] {
    return Object.keys(this.handlers);
  }

  handle(command: string, input: unknown): IamOutput {
    const handler = this.handlers[command];
    if (handler === undefined) throw new Error(`FakeAws: IAM ${command} is not implemented`);
    return handler(new FakeRequest(input, (message) => this.error('InvalidParameter', message)));
  }

  // ---- reads ------------------------------------------------------------------------------------

  private getRole(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    return {
      Role: {
        ...roleSummary(role),
        Tags: tagList(role),
        ...boundaryOf(role),
      },
      $metadata: metadata(),
    };
  }

  private listRoles(request: FakeRequest): IamOutput {
    const prefix = request.optionalString('PathPrefix') ?? '/';
    const roles = [...this.state.roles.values()].filter((role) => role.path.startsWith(prefix));
    const page = this.page(roles, request);
    return {
      Roles: page.items.map((role) => roleSummary(role)),
      ...iamPaging(page),
      $metadata: metadata(),
    };
  }

  private listAttachedRolePolicies(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const page = this.page(role.attached, request);
    const attached = page.items.map((arn) => ({
      PolicyArn: arn,
      PolicyName: this.state.policies.get(arn)?.name ?? nameOf(arn),
    }));
    return { AttachedPolicies: attached, ...iamPaging(page), $metadata: metadata() };
  }

  private listRolePolicies(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const page = this.page([...role.inline.keys()], request);
    return { PolicyNames: page.items, ...iamPaging(page), $metadata: metadata() };
  }

  private getRolePolicy(request: FakeRequest): IamOutput {
    const roleName = request.string('RoleName');
    const policyName = request.string('PolicyName');
    const text = this.role(roleName).inline.get(policyName);
    if (text === undefined)
      throw this.error('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
    return {
      RoleName: roleName,
      PolicyName: policyName,
      PolicyDocument: encodeDocument(text),
      $metadata: metadata(),
    };
  }

  private getPolicy(request: FakeRequest): IamOutput {
    const policy = this.policy(request.string('PolicyArn'));
    return { Policy: policyFields(this.state, policy), $metadata: metadata() };
  }

  private getPolicyVersion(request: FakeRequest): IamOutput {
    const policy = this.policy(request.string('PolicyArn'));
    const versionId = request.string('VersionId');
    const version = policy.versions.find((v) => v.versionId === versionId);
    if (version === undefined) {
      throw this.error(
        'NoSuchEntity',
        `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
      );
    }
    return { PolicyVersion: versionOutput(policy, version.versionId, version.text), $metadata: metadata() };
  }

  private listEntitiesForPolicy(request: FakeRequest): IamOutput {
    const policy = this.policy(request.string('PolicyArn'));
    const filter = request.optionalString('EntityFilter');
    const roles = filter === undefined || filter === 'Role' ? this.state.rolesAttachedTo(policy.arn) : [];
    const page = this.page(roles, request);
    return {
      PolicyRoles: page.items.map((role) => ({ RoleName: role.name, RoleId: role.roleId })),
      PolicyUsers: [],
      PolicyGroups: [],
      ...iamPaging(page),
      $metadata: metadata(),
    };
  }

  private getAccountSummary(): IamOutput {
    const customerPolicies = [...this.state.policies.values()].filter((policy) => !policy.awsManaged);
    return {
      SummaryMap: {
        AttachedPoliciesPerRoleQuota: this.state.managedPolicyQuota,
        Roles: this.state.roles.size,
        RolesQuota: 1000,
        Policies: customerPolicies.length,
        PoliciesQuota: 1500,
        PolicyVersionsInUseQuota: 10_000,
        VersionsPerPolicyQuota: MAX_POLICY_VERSIONS,
      },
      $metadata: metadata(),
    };
  }

  /**
   * Roles, then customer managed policies, then AWS managed policies that are in use (attached or used as
   * a boundary), paged as one list; `Filter` picks the kinds (none = all).
   */
  private getAccountAuthorizationDetails(request: FakeRequest): IamOutput {
    const filter = new Set(
      request.optionalStrings('Filter') ?? ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'],
    );
    const policies = [...this.state.policies.values()];
    const entries: ({ role: FakeRole } | { policy: FakePolicy })[] = [
      ...(filter.has('Role') ? [...this.state.roles.values()].map((role) => ({ role })) : []),
      ...(filter.has('LocalManagedPolicy')
        ? policies.filter((p) => !p.awsManaged).map((policy) => ({ policy }))
        : []),
      ...(filter.has('AWSManagedPolicy')
        ? policies.filter((p) => p.awsManaged && this.inUse(p)).map((policy) => ({ policy }))
        : []),
    ];
    const page = this.page(entries, request);
    return {
      RoleDetailList: page.items.flatMap((entry) =>
        'role' in entry ? [roleDetail(this.state, entry.role)] : [],
      ),
      Policies: page.items.flatMap((entry) =>
        'policy' in entry ? [policyDetail(this.state, entry.policy)] : [],
      ),
      UserDetailList: [],
      GroupDetailList: [],
      ...iamPaging(page),
      $metadata: metadata(),
    };
  }

  // ---- writes -----------------------------------------------------------------------------------

  /** Attaching an attached policy is a no-op; one more than the quota is LimitExceeded (409). */
  private attachRolePolicy(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const policy = this.policy(request.string('PolicyArn'));
    if (role.attached.includes(policy.arn)) return { $metadata: metadata() };
    if (role.attached.length >= this.state.managedPolicyQuota) {
      throw this.error(
        'LimitExceeded',
        `Cannot exceed quota for PoliciesPerRole: ${this.state.managedPolicyQuota}`,
      );
    }
    role.attached.push(policy.arn);
    return { $metadata: metadata() };
  }

  private detachRolePolicy(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const policyArn = request.string('PolicyArn');
    const index = role.attached.indexOf(policyArn);
    if (index < 0) throw this.error('NoSuchEntity', `Policy ${policyArn} was not found.`);
    role.attached.splice(index, 1);
    return { $metadata: metadata() };
  }

  /** The document is plain JSON text (as CloudTrail records it), at most 10,240 characters. */
  private putRolePolicy(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const policyName = request.string('PolicyName');
    const text = this.validDocument(request.string('PolicyDocument'));
    role.inline.set(policyName, text);
    return { $metadata: metadata() };
  }

  private deleteRolePolicy(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const policyName = request.string('PolicyName');
    if (!role.inline.delete(policyName)) {
      throw this.error('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
    }
    return { $metadata: metadata() };
  }

  private createPolicyVersion(request: FakeRequest): IamOutput {
    const policy = this.policy(request.string('PolicyArn'));
    const text = this.validDocument(request.string('PolicyDocument'));
    if (policy.versions.length >= MAX_POLICY_VERSIONS) {
      throw this.error('LimitExceeded', `A managed policy can have up to ${MAX_POLICY_VERSIONS} versions.`);
    }
    const versionId = `v${policy.nextVersion}`;
    policy.nextVersion += 1;
    policy.versions.push({ versionId, text, createDate: this.state.createDate });
    if (request.optionalBoolean('SetAsDefault') === true) policy.defaultVersionId = versionId;
    return { PolicyVersion: versionOutput(policy, versionId, undefined), $metadata: metadata() };
  }

  private setDefaultPolicyVersion(request: FakeRequest): IamOutput {
    const policy = this.policy(request.string('PolicyArn'));
    const versionId = request.string('VersionId');
    if (!policy.versions.some((version) => version.versionId === versionId)) {
      throw this.error('NoSuchEntity', `Policy ${policy.arn} version ${versionId} does not exist.`);
    }
    policy.defaultVersionId = versionId;
    return { $metadata: metadata() };
  }

  private putRolePermissionsBoundary(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    role.permissionsBoundaryArn = this.policy(request.string('PermissionsBoundary')).arn;
    return { $metadata: metadata() };
  }

  private deleteRolePermissionsBoundary(request: FakeRequest): IamOutput {
    this.role(request.string('RoleName')).permissionsBoundaryArn = null;
    return { $metadata: metadata() };
  }

  /** The document must be JSON (IAM answers MalformedPolicyDocument otherwise). */
  private updateAssumeRolePolicy(request: FakeRequest): IamOutput {
    const role = this.role(request.string('RoleName'));
    const text = request.string('PolicyDocument');
    try {
      JSON.parse(text);
    } catch {
      throw this.error('MalformedPolicyDocument', 'Syntax errors in policy.');
    }
    role.trustPolicyText = text;
    return { $metadata: metadata() };
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private role(name: string): FakeRole {
    const role = this.state.roles.get(name);
    if (role === undefined) throw this.error('NoSuchEntity', `The role with name ${name} cannot be found.`);
    return role;
  }

  private policy(arn: string): FakePolicy {
    const policy = this.state.policies.get(arn);
    if (policy === undefined)
      throw this.error('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  private validDocument(text: string): string {
    if (text.length > MAX_INLINE_POLICY_CHARS) {
      throw this.error(
        'MalformedPolicyDocument',
        `Policy document exceeds ${MAX_INLINE_POLICY_CHARS} characters.`,
      );
    }
    if (!isJsonObjectText(text)) throw this.error('MalformedPolicyDocument', 'Syntax errors in policy.');
    return text;
  }

  private inUse(policy: FakePolicy): boolean {
    return (
      this.state.rolesAttachedTo(policy.arn).length > 0 || this.state.rolesBoundedBy(policy.arn).length > 0
    );
  }

  private page<T>(items: readonly T[], request: FakeRequest): PageOf<T> {
    return pageOf(
      items,
      { max: request.optionalNumber('MaxItems'), token: request.optionalString('Marker') },
      { defaultSize: this.state.pageSize, maxSize: 1000, parameter: 'MaxItems' },
      (message) => this.error('InvalidParameter', message),
    );
  }

  private error(kind: FakeErrorKind, message: string): Error {
    return fakeServiceError('iam', kind, message);
  }
}
