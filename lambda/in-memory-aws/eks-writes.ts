// In-memory AWS: the EKS write calls the demo and tests replay (CreateNodegroup, CreateAccessEntry,
// CreateFargateProfile, CreateCluster, UpdateClusterConfig) over FakeState, with EKS's field names and errors.
import {
  type ServiceOutputTypes as EksOutput,
  InvalidParameterException,
  ResourceInUseException,
} from '@aws-sdk/client-eks';
import type { FakeCluster, FakeState } from './model';
import type { FakeRequest } from './request';

/** Node-identity access-entry types (AWS-FACTS §11); they take only IAM roles of the same account. */
const NODE_TYPES: ReadonlySet<string> = new Set([
  'EC2_LINUX',
  'EC2_WINDOWS',
  'EC2',
  'FARGATE_LINUX',
  'HYBRID_LINUX',
  'HYPERPOD_LINUX',
]);
const ACCESS_ENTRY_TYPES: ReadonlySet<string> = new Set(['STANDARD', ...NODE_TYPES]);

const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});
const meta400 = () => ({ httpStatusCode: 400, requestId: 'fake-request-id', attempts: 1 });

export type EksWriteHandler = (request: FakeRequest, region: string) => EksOutput;

/** The write handlers, by command name; `cluster` answers ResourceNotFoundException for an unknown cluster. */
export function eksWriteHandlers(
  state: FakeState,
  cluster: (region: string, name: string) => FakeCluster,
): Readonly<Record<string, EksWriteHandler>> {
  const roleArn = (request: FakeRequest, field: string): string => {
    const arn = request.string(field);
    if (!/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/.+$/.test(arn)) {
      throw new InvalidParameterException({
        message: `${field} is not a valid role ARN: ${arn}`,
        $metadata: meta400(),
      });
    }
    return arn;
  };
  const inUse = (message: string, clusterName: string) =>
    new ResourceInUseException({ message, clusterName, $metadata: meta400() });

  return {
    CreateNodegroup: (request, region) => {
      const target = cluster(region, request.string('clusterName'));
      const nodegroupName = request.string('nodegroupName');
      const nodeRole = roleArn(request, 'nodeRole');
      if (target.nodegroups.some((nodegroup) => nodegroup.nodegroupName === nodegroupName)) {
        throw inUse(
          `NodeGroup already exists with name ${nodegroupName} and cluster name ${target.name}`,
          target.name,
        );
      }
      const tags = tagsOf(request);
      target.nodegroups.push({ nodegroupName, nodeRole, tags });
      return {
        nodegroup: {
          nodegroupName,
          clusterName: target.name,
          nodeRole,
          status: 'CREATING',
          tags: { ...tags },
        },
        $metadata: metadata(),
      };
    },
    CreateAccessEntry: (request, region) => {
      const target = cluster(region, request.string('clusterName'));
      if (target.authenticationMode === 'CONFIG_MAP') {
        throw new InvalidParameterException({
          message:
            "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
          $metadata: meta400(),
        });
      }
      const principalArn = request.string('principalArn');
      const type = request.optionalString('type') ?? 'STANDARD';
      if (!ACCESS_ENTRY_TYPES.has(type)) {
        throw new InvalidParameterException({
          message: `The type ${type} is not supported.`,
          $metadata: meta400(),
        });
      }
      if (NODE_TYPES.has(type)) roleArn(request, 'principalArn');
      if (target.accessEntries.some((entry) => entry.principalArn === principalArn)) {
        throw inUse('The specified access entry resource is already in use on this cluster.', target.name);
      }
      target.accessEntries.push({ principalArn, type });
      return {
        accessEntry: { clusterName: target.name, principalArn, type, kubernetesGroups: [] },
        $metadata: metadata(),
      };
    },
    CreateFargateProfile: (request, region) => {
      const target = cluster(region, request.string('clusterName'));
      const fargateProfileName = request.string('fargateProfileName');
      const podExecutionRoleArn = roleArn(request, 'podExecutionRoleArn');
      if (target.fargateProfiles.some((profile) => profile.fargateProfileName === fargateProfileName)) {
        throw inUse(`A Fargate Profile already exists with this name: ${fargateProfileName}`, target.name);
      }
      target.fargateProfiles.push({ fargateProfileName, podExecutionRoleArn });
      return {
        fargateProfile: {
          fargateProfileName,
          clusterName: target.name,
          podExecutionRoleArn,
          status: 'CREATING',
        },
        $metadata: metadata(),
      };
    },
    CreateCluster: (request, region) => {
      const name = request.string('name');
      const clusters = state.clustersIn(region);
      if (clusters.has(name)) throw inUse(`Cluster already exists with name: ${name}`, name);
      const computeConfig = computeConfigOf(request);
      const mode = authenticationModeOf(request);
      clusters.set(name, {
        name,
        computeConfig,
        authenticationMode: mode ?? 'API_AND_CONFIG_MAP',
        nodegroups: [],
        accessEntries: [],
        fargateProfiles: [],
        tags: tagsOf(request),
      });
      return {
        cluster: { name, status: 'CREATING', ...(computeConfig === undefined ? {} : { computeConfig }) },
        $metadata: metadata(),
      };
    },
    UpdateClusterConfig: (request, region) => {
      const target = cluster(region, request.string('name'));
      const computeConfig = computeConfigOf(request);
      const mode = authenticationModeOf(request);
      if (computeConfig !== undefined) target.computeConfig = { ...target.computeConfig, ...computeConfig };
      if (mode !== undefined) target.authenticationMode = mode;
      const type = computeConfig !== undefined ? 'AutoModeUpdate' : 'AccessConfigUpdate';
      return {
        update: { id: state.nextId('update-'), status: 'InProgress', type, params: [], errors: [] },
        $metadata: metadata(),
      };
    },
  };
}

function computeConfigOf(request: FakeRequest): { enabled?: boolean; nodeRoleArn?: string } | undefined {
  const raw = request.fields.computeConfig;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const enabled: unknown = Reflect.get(raw, 'enabled');
  const nodeRoleArn: unknown = Reflect.get(raw, 'nodeRoleArn');
  return {
    ...(typeof enabled === 'boolean' ? { enabled } : {}),
    ...(typeof nodeRoleArn === 'string' ? { nodeRoleArn } : {}),
  };
}

function authenticationModeOf(request: FakeRequest): 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP' | undefined {
  const raw = request.fields.accessConfig;
  const mode: unknown =
    typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'authenticationMode') : undefined;
  return mode === 'API' || mode === 'API_AND_CONFIG_MAP' || mode === 'CONFIG_MAP' ? mode : undefined;
}

/** The request's `tags` map (string values only, as EKS requires), `{}` without one. */
function tagsOf(request: FakeRequest): Record<string, string> {
  const raw = request.fields.tags;
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(
    Object.entries(raw).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : [])),
  );
}
