// Table-driven tests for the reach algebra of the policy analysis: how the reaches of several Allows combine.
import { ALL_RESOURCES, type Reach, unionReach } from '../../lambda/domain/resource-reach';

const APP = 'arn:aws:ecr:us-east-1:111122223333:repository/app';
const OTHER = 'arn:aws:ecr:us-east-1:111122223333:repository/other';
const ANY_REPO = 'arn:aws:ecr:us-east-1:111122223333:repository/*';

function allBut(...except: string[]): Reach {
  return { all: true, patterns: [], except };
}

function only(...patterns: string[]): Reach {
  return { all: false, patterns, except: [] };
}

describe('unionReach', () => {
  it('is null for no reach and the reach itself for one', () => {
    expect(unionReach([])).toBeNull();
    expect(unionReach([allBut(APP)])).toEqual(allBut(APP));
  });

  it.each<[string, Reach[], Reach]>([
    ['all but APP, twice: still all but APP', [allBut(APP), allBut(APP)], allBut(APP)],
    ['all but APP and all but OTHER: all', [allBut(APP), allBut(OTHER)], ALL_RESOURCES],
    ['all but every repository and all but APP: all but APP', [allBut(ANY_REPO), allBut(APP)], allBut(APP)],
    ['all but APP and all: all', [allBut(APP), ALL_RESOURCES], ALL_RESOURCES],
    ['all but APP, and APP: all', [allBut(APP), only(APP)], ALL_RESOURCES],
    ['all but APP, and a pattern that may name APP: all', [allBut(APP), only(ANY_REPO)], ALL_RESOURCES],
    ['all but APP and OTHER, and OTHER: all but APP', [allBut(APP, OTHER), only(OTHER)], allBut(APP)],
  ])('%s', (_label, reaches, expected) => {
    expect(unionReach(reaches)).toEqual(expected);
  });

  it('joins scoped reaches pattern by pattern', () => {
    expect(unionReach([only(OTHER), only(APP, OTHER)])).toEqual(only(APP, OTHER));
  });
});
