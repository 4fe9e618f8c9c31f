// In-memory AWS: answers the EKS read commands of the inventory (and, through eks-writes.ts, the write calls the
// demo replays) for one region, over
// FakeState, with EKS pagination (maxResults/nextToken), ResourceNotFoundException and the InvalidRequestException
// of access-entry calls on CONFIG_MAP clusters; Pod Identity associations list as summaries without roleArn, as in EKS.
import { type ServiceOutputTypes as EksOutput, InvalidRequestException } from '@aws-sdk/client-eks';
import { eksWriteHandlers } from './eks-writes';
import { type FakeErrorKind, fakeServiceError } from './errors';
import type { FakeCluster, FakeState } from './model';
import { type PageOf, pageOf } from './paging';
import { FakeRequest } from './request';

const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});

/** EKS's message for an access-entry call on a `CONFIG_MAP` cluster (AWS-FACTS §10). */
export const ACCESS_ENTRIES_NEED_API_MODE =
  "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";

type Handler = (request: FakeRequest, region: string) => EksOutput;

export class FakeEks {
  private readonly handlers: Readonly<Record<string, Handler>> = {
    ListClusters: (r, region) => this.listClusters(r, region),
    DescribeCluster: (r, region) => this.describeCluster(r, region),
    ListNodegroups: (r, region) => this.listNodegroups(r, region),
    DescribeNodegroup: (r, region) => this.describeNodegroup(r, region),
    ListAccessEntries: (r, region) => this.listAccessEntries(r, region),
    DescribeAccessEntry: (r, region) => this.describeAccessEntry(r, region),
    ListFargateProfiles: (r, region) => this.listFargateProfiles(r, region),
    DescribeFargateProfile: (r, region) => this.describeFargateProfile(r, region),
    ListPodIdentityAssociations: (r, region) => this.listPodIdentityAssociations(r, region),
    DescribePodIdentityAssociation: (r, region) => this.describePodIdentityAssociation(r, region),
  };
  private readonly writes: Readonly<Record<string, Handler>>;

  constructor(private readonly state: FakeState) {
    this.writes = eksWriteHandlers(state, (region, name) => this.cluster(region, name));
  }

  /** A region that is not enabled answers every call like an opt-in region would: UnrecognizedClient. */
  handle(command: string, input: unknown, region: string): EksOutput {
    const handler = this.handlers[command] ?? this.writes[command];
    if (handler === undefined) throw new Error(`FakeAws: EKS ${command} is not implemented`);
    if (!this.state.isRegionEnabled(region)) {
      throw this.error('UnrecognizedClient', 'The security token included in the request is invalid.');
    }
    return handler(new FakeRequest(input, (message) => this.error('InvalidParameter', message)), region);
  }

  private listClusters(request: FakeRequest, region: string): EksOutput {
    const page = this.page([...this.state.clustersIn(region).keys()], request);
    return { clusters: page.items, ...eksPaging(page), $metadata: metadata() };
  }

  private describeCluster(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('name'));
    return {
      cluster: {
        name: cluster.name,
        arn: `arn:${this.state.partition}:eks:${region}:${this.state.accountId}:cluster/${cluster.name}`,
        status: 'ACTIVE',
        version: '1.33',
        ...(cluster.computeConfig === undefined ? {} : { computeConfig: { ...cluster.computeConfig } }),
        ...(cluster.oidcIssuer === undefined ? {} : { identity: { oidc: { issuer: cluster.oidcIssuer } } }),
        ...(cluster.authenticationMode === undefined
          ? {}
          : {
              accessConfig: {
                authenticationMode: cluster.authenticationMode,
                bootstrapClusterCreatorAdminPermissions: cluster.authenticationMode === 'CONFIG_MAP',
              },
            }),
        tags: { ...cluster.tags },
      },
      $metadata: metadata(),
    };
  }

  private listNodegroups(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('clusterName'));
    const page = this.page(
      cluster.nodegroups.map((nodegroup) => nodegroup.nodegroupName),
      request,
    );
    return { nodegroups: page.items, ...eksPaging(page), $metadata: metadata() };
  }

  private describeNodegroup(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('clusterName'));
    const name = request.string('nodegroupName');
    const nodegroup = cluster.nodegroups.find((candidate) => candidate.nodegroupName === name);
    if (nodegroup === undefined) throw this.error('NotFound', `No node group found for name: ${name}.`);
    return {
      nodegroup: {
        nodegroupName: nodegroup.nodegroupName,
        clusterName: cluster.name,
        nodeRole: nodegroup.nodeRole,
        status: 'ACTIVE',
        tags: { ...(nodegroup.tags ?? {}) },
      },
      $metadata: metadata(),
    };
  }

  private listAccessEntries(request: FakeRequest, region: string): EksOutput {
    const cluster = this.accessEntryCluster(region, request.string('clusterName'));
    const page = this.page(
      cluster.accessEntries.map((entry) => entry.principalArn),
      request,
    );
    return { accessEntries: page.items, ...eksPaging(page), $metadata: metadata() };
  }

  private describeAccessEntry(request: FakeRequest, region: string): EksOutput {
    const cluster = this.accessEntryCluster(region, request.string('clusterName'));
    const principalArn = request.string('principalArn');
    const entry = cluster.accessEntries.find((candidate) => candidate.principalArn === principalArn);
    if (entry === undefined) throw this.error('NotFound', `The specified principalArn could not be found.`);
    return {
      accessEntry: {
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        type: entry.type,
        kubernetesGroups: [],
        username: entry.type === 'STANDARD' ? entry.principalArn : 'system:node:{{EC2PrivateDNSName}}',
      },
      $metadata: metadata(),
    };
  }

  private listFargateProfiles(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('clusterName'));
    const page = this.page(
      cluster.fargateProfiles.map((profile) => profile.fargateProfileName),
      request,
    );
    return { fargateProfileNames: page.items, ...eksPaging(page), $metadata: metadata() };
  }

  private describeFargateProfile(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('clusterName'));
    const name = request.string('fargateProfileName');
    const profile = cluster.fargateProfiles.find((candidate) => candidate.fargateProfileName === name);
    if (profile === undefined) throw this.error('NotFound', `No Fargate Profile found with name: ${name}.`);
    return {
      fargateProfile: {
        fargateProfileName: profile.fargateProfileName,
        clusterName: cluster.name,
        podExecutionRoleArn: profile.podExecutionRoleArn,
        status: 'ACTIVE',
      },
      $metadata: metadata(),
    };
  }

  /** Summaries only (no roleArn, API reference); the `namespace` and `serviceAccount` filters; pages of 1 to 100. */
  private listPodIdentityAssociations(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('clusterName'));
    const namespace = request.optionalString('namespace');
    const serviceAccount = request.optionalString('serviceAccount');
    const matching = (cluster.podIdentityAssociations ?? []).filter(
      (association) =>
        (namespace === undefined || association.namespace === namespace) &&
        (serviceAccount === undefined || association.serviceAccount === serviceAccount),
    );
    const page = this.page(matching, request);
    return {
      associations: page.items.map((association) => ({
        clusterName: cluster.name,
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        associationArn: this.associationArn(region, cluster.name, association.associationId),
        associationId: association.associationId,
      })),
      ...eksPaging(page),
      $metadata: metadata(),
    };
  }

  private describePodIdentityAssociation(request: FakeRequest, region: string): EksOutput {
    const cluster = this.cluster(region, request.string('clusterName'));
    const associationId = request.string('associationId');
    const association = (cluster.podIdentityAssociations ?? []).find(
      (candidate) => candidate.associationId === associationId,
    );
    if (association === undefined)
      throw this.error('NotFound', `No Pod Identity Association found for id: ${associationId}.`);
    return {
      association: {
        clusterName: cluster.name,
        namespace: association.namespace,
        serviceAccount: association.serviceAccount,
        roleArn: association.roleArn,
        associationArn: this.associationArn(region, cluster.name, associationId),
        associationId,
        tags: {},
        createdAt: this.state.createDate,
        modifiedAt: this.state.createDate,
        disableSessionTags: false,
      },
      $metadata: metadata(),
    };
  }

  private associationArn(region: string, cluster: string, associationId: string): string {
    return `arn:${this.state.partition}:eks:${region}:${this.state.accountId}:podidentityassociation/${cluster}/${associationId}`;
  }

  private cluster(region: string, name: string): FakeCluster {
    const cluster = this.state.eks.get(region)?.get(name);
    if (cluster === undefined) throw this.error('NotFound', `No cluster found for name: ${name}.`);
    return cluster;
  }

  /** The cluster of an access-entry call; EKS refuses those calls on `CONFIG_MAP` clusters (HTTP 400). */
  private accessEntryCluster(region: string, name: string): FakeCluster {
    const cluster = this.cluster(region, name);
    if (cluster.authenticationMode === 'CONFIG_MAP') {
      throw new InvalidRequestException({
        message: ACCESS_ENTRIES_NEED_API_MODE,
        clusterName: cluster.name,
        $metadata: { httpStatusCode: 400, requestId: 'fake-request-id', attempts: 1 },
      });
    }
    return cluster;
  }

  private page<T>(items: readonly T[], request: FakeRequest): PageOf<T> {
    return pageOf(
      items,
      { max: request.optionalNumber('maxResults'), token: request.optionalString('nextToken') },
      { defaultSize: this.state.pageSize, maxSize: 100, parameter: 'maxResults' },
      (message) => this.error('InvalidParameter', message),
    );
  }

  private error(kind: FakeErrorKind, message: string): Error {
    return fakeServiceError('eks', kind, message);
  }
}

function eksPaging<T>(page: PageOf<T>): { nextToken?: string } {
  return page.next === undefined ? {} : { nextToken: page.next };
}
