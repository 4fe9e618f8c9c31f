// Tests for the document cache of the policy compile step: analyses that share one DocumentCache (as an audit
// over one snapshot does) answer exactly as analyses without it, whichever roles share which document objects.
import fc from 'fast-check';
import { type AnalysisOptions, analyseRolePolicies, DocumentCache } from '../../lambda/domain/analysis';
import { pullAllowance } from '../../lambda/domain/catalogue';
import type { PolicyInput, RolePolicies } from '../../lambda/domain/types';
import fullAccess from './fixtures/managed-policies/AmazonEC2ContainerRegistryFullAccess.json';
import powerUser from './fixtures/managed-policies/AmazonEC2ContainerRegistryPowerUser.json';
import pullOnly from './fixtures/managed-policies/AmazonEC2ContainerRegistryPullOnly.json';
import workerNode from './fixtures/managed-policies/AmazonEKSWorkerNodePolicy.json';

const OPTIONS: AnalysisOptions = { pullAllowance: pullAllowance([]), partition: 'aws' };

/** Document objects several roles share: managed policies, a scoped push, a Deny, unusable ones. */
const DOCUMENTS: readonly unknown[] = [
  fullAccess,
  powerUser,
  pullOnly,
  workerNode,
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ecr:PutImage', 'ecr:UploadLayerPart'],
        Resource: 'arn:aws:ecr:us-east-1:111122223333:repository/app-*',
      },
    ],
  },
  { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ecr:*', Resource: '*' }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 42, Resource: '*' }] },
  { Statement: 'not a statement list' },
];

function input(index: number): PolicyInput {
  return { ref: { kind: 'inline', name: `policy-${index}`, arn: null }, document: DOCUMENTS[index] };
}

const rolePolicies = fc.record({
  identity: fc.array(fc.nat(DOCUMENTS.length - 1), { maxLength: 4 }),
  boundary: fc.option(fc.nat(DOCUMENTS.length - 1), { nil: null }),
});

describe('DocumentCache', () => {
  it('leaves every analysis as it is without the cache, over roles sharing document objects', () => {
    fc.assert(
      fc.property(fc.array(rolePolicies, { minLength: 1, maxLength: 12 }), (roles) => {
        const documents = new DocumentCache();
        for (const role of roles) {
          const policies: RolePolicies = {
            identity: role.identity.map(input),
            boundary: role.boundary === null ? null : input(role.boundary),
          };
          expect(analyseRolePolicies(policies, { ...OPTIONS, documents })).toEqual(
            analyseRolePolicies(policies, OPTIONS),
          );
        }
      }),
    );
  });

  it('compiles one document object once for all the roles that carry it', () => {
    const documents = new DocumentCache();
    const shared = DOCUMENTS[4];
    if (typeof shared !== 'object' || shared === null) throw new Error('fixture is an object');
    expect(documents.compiled(shared)).toBe(documents.compiled(shared));
  });
});
