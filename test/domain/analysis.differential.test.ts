// Differential test: the policy analysis against @cloud-copilot/iam-simulate (AGPL, devDependency, test oracle
// only) on random roles written from the IAM grammar (test/support/iam-grammar.ts). Zero false negatives:
// whenever the simulator allows a write action on a concrete resource, the analysis reports that action
// reaching that resource, or fails closed. The by-design differences (we flag, the simulator finds no write)
// are counted and printed; scripts/differential.ts runs the same comparison on more roles.
import { describeFigures, ourView, runDifferential } from '../support/differential';

const SEED = 20261202;
const ROLES = 50;

describe('analyseRolePolicies against @cloud-copilot/iam-simulate on random grammar roles', () => {
  it(`finds no false negative on ${ROLES} roles (seed ${SEED})`, async () => {
    const figures = await runDifferential(ROLES, SEED, ourView);
    process.stdout.write(`differential (iam-simulate):\n${describeFigures(figures)}\n`);
    expect(figures.falseNegativeExamples).toEqual([]);
    expect(figures.falseNegatives).toBe(0);
    expect(figures.rolesRejected).toBe(0);
    // The comparison means something: writes were found by both sides.
    expect(figures.rolesFlagged).toBeGreaterThan(ROLES / 4);
    expect(figures.reportedActions).toBeGreaterThan(figures.byDesignActions);
  });
});
