// Tests for the IAM gateway: commands and inputs sent, pagination, document decoding, read-error mapping.
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { IamGateway } from '../../lambda/gateways/iam-gateway';
import { decodePolicyDocument } from '../../lambda/gateways/policy-document';

const iamMock = mockClient(IAMClient);
const gateway = () => new IamGateway(new IAMClient({ region: 'us-east-1' }));
const $metadata = {};

const accessDenied = () =>
  new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'no',
  });
const noSuchEntity = () =>
  new NoSuchEntityException({ message: 'missing', $metadata: { httpStatusCode: 404 } });
const throttling = () =>
  new IAMServiceException({
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'slow',
  });

const nodeTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
};

beforeEach(() => iamMock.reset());

describe('decodePolicyDocument', () => {
  it.each([
    ['plain ASCII', { Action: 'ecr:PutImage' }],
    [
      'a literal plus (%2B) that must not become a space',
      { Sid: 'a+b', Resource: 'arn:aws:ecr:*:*:repository/c++' },
    ],
    ['unicode', { Sid: 'Zugriff für Knoten ✓', Action: 'ecr:*' }],
    ['spaces and quotes', { Condition: { StringEquals: { 'aws:PrincipalTag/team': "o'brien & co" } } }],
  ])('decodes %s', (_label, document) => {
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(document)))).toEqual(document);
  });

  it('keeps a raw + as a plus sign (RFC 3986, not form encoding)', () => {
    expect(decodePolicyDocument('%7B%22Sid%22%3A%22a+b%22%7D')).toEqual({ Sid: 'a+b' });
  });

  it('returns the raw string when the text does not decode or is not JSON', () => {
    expect(decodePolicyDocument('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodePolicyDocument('%7Bnot json')).toBe('%7Bnot json');
  });

  it('gives null for an absent document', () => {
    expect(decodePolicyDocument(undefined)).toBeNull();
  });
});

describe('IamGateway reads', () => {
  it('getRole decodes the trust policy and maps tags and boundary', async () => {
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'nodes',
        Arn: 'arn:aws:iam::111122223333:role/team/nodes',
        Path: '/team/',
        RoleId: 'AROA1',
        CreateDate: new Date(0),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(nodeTrust)),
        Tags: [{ Key: 'eks-ecr-guard:exempt', Value: 'until 2030-01-01' }],
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: 'arn:b',
        },
      },
    });
    await expect(gateway().getRole('nodes')).resolves.toEqual({
      name: 'nodes',
      arn: 'arn:aws:iam::111122223333:role/team/nodes',
      path: '/team/',
      trustPolicy: nodeTrust,
      tags: { 'eks-ecr-guard:exempt': 'until 2030-01-01' },
      permissionsBoundaryArn: 'arn:b',
    });
    expect(iamMock).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: 'nodes' });
  });

  it('getRole gives null on NoSuchEntity, ReadAccessDeniedError on AccessDenied, and lets Throttling through', async () => {
    iamMock
      .on(GetRoleCommand)
      .rejectsOnce(noSuchEntity())
      .rejectsOnce(accessDenied())
      .rejectsOnce(throttling());
    await expect(gateway().getRole('gone')).resolves.toBeNull();
    const denied = await gateway()
      .getRole('secret')
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(ReadAccessDeniedError);
    expect(denied).toMatchObject({ operation: 'iam:GetRole', resource: 'secret' });
    await expect(gateway().getRole('busy')).rejects.toMatchObject({ name: 'Throttling' });
  });

  it('accepts the wire-code spelling NoSuchEntity as well as the exception name', async () => {
    iamMock
      .on(GetRoleCommand)
      .rejects(new IAMServiceException({ name: 'NoSuchEntity', $fault: 'client', $metadata, message: 'x' }));
    await expect(gateway().getRole('gone')).resolves.toBeNull();
  });

  it('listAttachedRolePolicies follows Marker/IsTruncated across pages', async () => {
    iamMock
      .on(ListAttachedRolePoliciesCommand, { RoleName: 'nodes', Marker: undefined })
      .resolves({
        AttachedPolicies: [{ PolicyName: 'A', PolicyArn: 'arn:a' }],
        IsTruncated: true,
        Marker: 'm1',
      })
      .on(ListAttachedRolePoliciesCommand, { RoleName: 'nodes', Marker: 'm1' })
      .resolves({
        AttachedPolicies: [{ PolicyName: 'B', PolicyArn: 'arn:b' }],
        IsTruncated: true,
        Marker: 'm2',
      })
      .on(ListAttachedRolePoliciesCommand, { RoleName: 'nodes', Marker: 'm2' })
      .resolves({
        AttachedPolicies: [{ PolicyName: 'C', PolicyArn: 'arn:c' }],
        IsTruncated: false,
        Marker: 'ignored',
      });
    await expect(gateway().listAttachedRolePolicies('nodes')).resolves.toEqual([
      { name: 'A', arn: 'arn:a' },
      { name: 'B', arn: 'arn:b' },
      { name: 'C', arn: 'arn:c' },
    ]);
    expect(iamMock).toHaveReceivedCommandTimes(ListAttachedRolePoliciesCommand, 3);
    expect(iamMock).toHaveReceivedNthCommandWith(2, ListAttachedRolePoliciesCommand, {
      RoleName: 'nodes',
      Marker: 'm1',
    });
  });

  it('listRolePolicyNames follows pages', async () => {
    iamMock
      .on(ListRolePoliciesCommand, { RoleName: 'nodes', Marker: undefined })
      .resolves({ PolicyNames: ['one'], IsTruncated: true, Marker: 'next' })
      .on(ListRolePoliciesCommand, { RoleName: 'nodes', Marker: 'next' })
      .resolves({ PolicyNames: ['two'], IsTruncated: false });
    await expect(gateway().listRolePolicyNames('nodes')).resolves.toEqual(['one', 'two']);
    expect(iamMock).toHaveReceivedCommandWith(ListRolePoliciesCommand, { RoleName: 'nodes', Marker: 'next' });
  });

  it('list reads map AccessDenied to ReadAccessDeniedError', async () => {
    iamMock.on(ListRolePoliciesCommand).rejects(accessDenied());
    await expect(gateway().listRolePolicyNames('nodes')).rejects.toBeInstanceOf(ReadAccessDeniedError);
  });

  it('getRolePolicy decodes the document, and gives null for a missing policy', async () => {
    const document = { Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }] };
    iamMock
      .on(GetRolePolicyCommand, { RoleName: 'nodes', PolicyName: 'push' })
      .resolves({
        RoleName: 'nodes',
        PolicyName: 'push',
        PolicyDocument: encodeURIComponent(JSON.stringify(document)),
      })
      .on(GetRolePolicyCommand, { RoleName: 'nodes', PolicyName: 'gone' })
      .rejects(noSuchEntity());
    await expect(gateway().getRolePolicy('nodes', 'push')).resolves.toEqual(document);
    await expect(gateway().getRolePolicy('nodes', 'gone')).resolves.toBeNull();
    expect(iamMock).toHaveReceivedCommandWith(GetRolePolicyCommand, {
      RoleName: 'nodes',
      PolicyName: 'push',
    });
  });

  it('getRolePolicy returns an undecodable document as the raw string instead of throwing', async () => {
    iamMock
      .on(GetRolePolicyCommand)
      .resolves({ RoleName: 'r', PolicyName: 'p', PolicyDocument: '%7Bbroken' });
    await expect(gateway().getRolePolicy('r', 'p')).resolves.toBe('%7Bbroken');
  });

  it('getPolicy returns name and default version, null when missing', async () => {
    iamMock
      .on(GetPolicyCommand, { PolicyArn: 'arn:p' })
      .resolves({ Policy: { Arn: 'arn:p', PolicyName: 'P', DefaultVersionId: 'v4' } })
      .on(GetPolicyCommand, { PolicyArn: 'arn:gone' })
      .rejects(noSuchEntity());
    await expect(gateway().getPolicy('arn:p')).resolves.toEqual({
      arn: 'arn:p',
      name: 'P',
      defaultVersionId: 'v4',
    });
    await expect(gateway().getPolicy('arn:gone')).resolves.toBeNull();
    expect(iamMock).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: 'arn:p' });
  });

  it('getPolicyVersion decodes the document and reports whether it is the default', async () => {
    iamMock.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: {
        Document: encodeURIComponent('{"Version":"2012-10-17"}'),
        VersionId: 'v2',
        IsDefaultVersion: false,
      },
    });
    await expect(gateway().getPolicyVersion('arn:p', 'v2')).resolves.toEqual({
      document: { Version: '2012-10-17' },
      isDefaultVersion: false,
    });
    expect(iamMock).toHaveReceivedCommandWith(GetPolicyVersionCommand, {
      PolicyArn: 'arn:p',
      VersionId: 'v2',
    });
  });

  it('getPolicyVersion gives null for a missing version and throws ReadAccessDeniedError when denied', async () => {
    iamMock.on(GetPolicyVersionCommand).rejectsOnce(noSuchEntity()).rejectsOnce(accessDenied());
    await expect(gateway().getPolicyVersion('arn:p', 'v9')).resolves.toBeNull();
    await expect(gateway().getPolicyVersion('arn:p', 'v1')).rejects.toMatchObject({
      name: 'ReadAccessDeniedError',
      operation: 'iam:GetPolicyVersion',
    });
  });

  it('listRoleNamesForPolicy asks for roles only and follows pages', async () => {
    iamMock
      .on(ListEntitiesForPolicyCommand, { PolicyArn: 'arn:p', EntityFilter: 'Role', Marker: undefined })
      .resolves({ PolicyRoles: [{ RoleName: 'a' }, { RoleName: 'b' }], IsTruncated: true, Marker: 'm' })
      .on(ListEntitiesForPolicyCommand, { PolicyArn: 'arn:p', EntityFilter: 'Role', Marker: 'm' })
      .resolves({ PolicyRoles: [{ RoleName: 'c' }], IsTruncated: false });
    await expect(gateway().listRoleNamesForPolicy('arn:p')).resolves.toEqual(['a', 'b', 'c']);
    expect(iamMock).toHaveReceivedCommandWith(ListEntitiesForPolicyCommand, {
      PolicyArn: 'arn:p',
      EntityFilter: 'Role',
    });
  });

  it('attachedPoliciesPerRoleQuota reads GetAccountSummary and falls back to 10', async () => {
    iamMock
      .on(GetAccountSummaryCommand)
      .resolvesOnce({ SummaryMap: { AttachedPoliciesPerRoleQuota: 20 } })
      .resolvesOnce({ SummaryMap: {} });
    await expect(gateway().attachedPoliciesPerRoleQuota()).resolves.toBe(20);
    await expect(gateway().attachedPoliciesPerRoleQuota()).resolves.toBe(10);
    expect(iamMock).toHaveReceivedCommandTimes(GetAccountSummaryCommand, 2);
  });

  it('accountAuthorizationDetails merges every page verbatim and reports progress', async () => {
    const encodedTrust = encodeURIComponent(JSON.stringify(nodeTrust));
    iamMock
      .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
      .resolves({
        RoleDetailList: [{ RoleName: 'a', AssumeRolePolicyDocument: encodedTrust }],
        Policies: [],
        IsTruncated: true,
        Marker: 'p2',
      })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'p2' })
      .resolves({
        RoleDetailList: [{ RoleName: 'b' }],
        Policies: [{ PolicyName: 'P', Arn: 'arn:p' }],
        IsTruncated: false,
      });
    const pages: number[] = [];
    const details = await gateway().accountAuthorizationDetails((n) => pages.push(n));
    expect(details.RoleDetailList.map((r) => r.RoleName)).toEqual(['a', 'b']);
    expect(details.RoleDetailList[0]?.AssumeRolePolicyDocument).toBe(encodedTrust);
    expect(details.Policies).toEqual([{ PolicyName: 'P', Arn: 'arn:p' }]);
    expect(pages).toEqual([1, 2]);
    expect(iamMock).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'],
      Marker: 'p2',
    });
  });

  it('stops when a truncated page repeats the marker it was given (no endless loop)', async () => {
    iamMock
      .on(ListEntitiesForPolicyCommand)
      .resolves({ PolicyRoles: [{ RoleName: 'a' }], IsTruncated: true, Marker: 'same' });
    await expect(gateway().listRoleNamesForPolicy('arn:p')).resolves.toEqual(['a', 'a']);
    expect(iamMock).toHaveReceivedCommandTimes(ListEntitiesForPolicyCommand, 2);
  });

  it('has no whole-account role listing: the guard is not granted iam:ListRoles', () => {
    expect('listRoleNames' in gateway()).toBe(false);
  });
});

describe('IamGateway writes', () => {
  it('sends each write with its input', async () => {
    iamMock.onAnyCommand().resolves({});
    const iam = gateway();
    await iam.attachRolePolicy('nodes', 'arn:read');
    await iam.detachRolePolicy('nodes', 'arn:full');
    await iam.putRolePolicy('nodes', 'deny', '{"Version":"2012-10-17"}');
    await iam.deleteRolePolicy('nodes', 'deny');
    expect(iamMock).toHaveReceivedCommandWith(AttachRolePolicyCommand, {
      RoleName: 'nodes',
      PolicyArn: 'arn:read',
    });
    expect(iamMock).toHaveReceivedCommandWith(DetachRolePolicyCommand, {
      RoleName: 'nodes',
      PolicyArn: 'arn:full',
    });
    expect(iamMock).toHaveReceivedCommandWith(PutRolePolicyCommand, {
      RoleName: 'nodes',
      PolicyName: 'deny',
      PolicyDocument: '{"Version":"2012-10-17"}',
    });
    expect(iamMock).toHaveReceivedCommandWith(DeleteRolePolicyCommand, {
      RoleName: 'nodes',
      PolicyName: 'deny',
    });
  });

  it('lets write errors propagate unchanged (AccessDenied is not mapped on writes)', async () => {
    const limit = new LimitExceededException({
      message: 'Cannot exceed quota for PoliciesPerRole: 10',
      $metadata,
    });
    iamMock.on(AttachRolePolicyCommand).rejects(limit).on(DetachRolePolicyCommand).rejects(accessDenied());
    await expect(gateway().attachRolePolicy('nodes', 'arn:x')).rejects.toBe(limit);
    await expect(gateway().detachRolePolicy('nodes', 'arn:x')).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});
