// Tests for what the node-role evidence cannot see: cluster notes from authentication modes and unreadable
// access entries, which notes a role's decision carries, and their wording.

import { indeterminateDecision } from '../../lambda/domain/decision';
import {
  clusterNotes,
  clusterNotesForRole,
  clusterNoteText,
  withClusterNotes,
} from '../../lambda/domain/node-roles';
import type { EksClusterRecord, NodeRoleEvidence } from '../../lambda/domain/types';

const cluster = (name: string, extra: Partial<EksClusterRecord> = {}): EksClusterRecord => ({
  name,
  nodegroups: [],
  accessEntries: [],
  fargateProfiles: [],
  ...extra,
});
const mode = (authenticationMode: string) => ({ accessConfig: { authenticationMode } });
const ERROR = { code: 'InvalidRequestException', message: 'mode must be API' };

const INVENTORY = {
  'us-east-2': { clusters: [cluster('b', mode('CONFIG_MAP')), cluster('a', mode('API'))] },
  'eu-west-1': {
    clusters: [
      cluster('both', mode('API_AND_CONFIG_MAP')),
      cluster('unknown'),
      cluster('refused', { accessEntriesError: ERROR }),
    ],
  },
};

const heuristic: NodeRoleEvidence = { kind: 'heuristic', region: null, cluster: null, detail: 'x' };
const nodegroup: NodeRoleEvidence = { kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'both' };

describe('clusterNotes', () => {
  it('notes aws-auth clusters (recorded CONFIG_MAP or API_AND_CONFIG_MAP) and refused access entries, sorted', () => {
    expect(clusterNotes(INVENTORY)).toEqual([
      {
        kind: 'aws-auth-not-visible',
        region: 'eu-west-1',
        cluster: 'both',
        authenticationMode: 'API_AND_CONFIG_MAP',
      },
      {
        kind: 'access-entries-unreadable',
        region: 'eu-west-1',
        cluster: 'refused',
        authenticationMode: null,
        error: ERROR,
      },
      { kind: 'aws-auth-not-visible', region: 'us-east-2', cluster: 'b', authenticationMode: 'CONFIG_MAP' },
    ]);
  });

  it('gives no note for API clusters or clusters whose mode is not recorded', () => {
    expect(clusterNotes({ r: { clusters: [cluster('a', mode('API')), cluster('old')] } })).toEqual([]);
  });
});

describe('clusterNotesForRole', () => {
  const notes = clusterNotes(INVENTORY);
  it('gives a heuristic-only (or unknown) role every note', () => {
    expect(clusterNotesForRole(notes, [heuristic])).toEqual(notes);
    expect(clusterNotesForRole(notes, [])).toEqual(notes);
  });
  it('gives a role EKS ties to a cluster only the unreadable access entries', () => {
    expect(clusterNotesForRole(notes, [nodegroup, heuristic]).map((note) => note.kind)).toEqual([
      'access-entries-unreadable',
    ]);
  });
});

describe('withClusterNotes', () => {
  const decision = indeterminateDecision(
    { id: null, name: null, time: null, actor: null },
    'reason',
    { name: 'nodes', arn: null },
    { nodeRole: { evidence: [heuristic] }, warnings: ['earlier'] },
  );

  it('puts the notes on nodeRole and the unreadable ones also in the warnings', () => {
    const noted = withClusterNotes(decision, clusterNotes(INVENTORY));
    expect(noted.nodeRole.clusterNotes).toHaveLength(3);
    expect(noted.warnings).toEqual([
      'earlier',
      'The access entries of EKS cluster eu-west-1/refused could not be read (InvalidRequestException: mode must be API); a node role named only there is not seen.',
    ]);
  });

  it('returns the decision unchanged when no note applies', () => {
    expect(withClusterNotes(decision, [])).toBe(decision);
  });
});

describe('clusterNoteText', () => {
  it('names the cluster and the mode of an aws-auth note', () => {
    expect(
      clusterNoteText({
        kind: 'aws-auth-not-visible',
        region: 'r',
        cluster: 'c',
        authenticationMode: 'CONFIG_MAP',
      }),
    ).toBe(
      'EKS cluster r/c is in CONFIG_MAP authentication mode: node roles mapped only in its aws-auth ConfigMap cannot be seen through AWS APIs; the trust-policy heuristic is the evidence for them.',
    );
  });
});
