// Tests for IaC sources: JSON key locations, and CloudFormation YAML short-form tags turned into long forms with
// the lines of their keys.
import { InvalidInputError } from '../../lambda/domain/errors';
import { parseJsonSource, parseYamlSource } from '../../lambda/iac/source';

describe('parseJsonSource', () => {
  const text = '{\n  "Resources": {\n    "A": { "Type": "x" },\n    "B": [1, { "c": "d\\"}[" }]\n  }\n}\n';

  it('gives the value JSON.parse gives', () => {
    expect(parseJsonSource('t.json', text).value).toEqual(JSON.parse(text));
  });

  it.each([
    [['Resources'], 2, 3],
    [['Resources', 'A'], 3, 5],
    [['Resources', 'A', 'Type'], 3, 12],
    [['Resources', 'B', 1, 'c'], 4, 16],
    [['Resources', 'B', 1, 'missing'], 4, 14],
    [['Nowhere'], 1, 1],
  ])('locates %j at line %i, column %i', (path, line, column) => {
    expect(parseJsonSource('t.json', text).locate(path)).toEqual({ file: 't.json', line, column });
  });

  it('locates keys in compact JSON by column', () => {
    const source = parseJsonSource('p.json', '{"a":{"b":1},"c":[{"d":2}]}');
    expect(source.locate(['c', 0, 'd'])).toEqual({ file: 'p.json', line: 1, column: 20 });
  });

  it('rejects invalid JSON with an InvalidInputError naming the file', () => {
    expect(() => parseJsonSource('bad.json', '{"a":')).toThrow(InvalidInputError);
    expect(() => parseJsonSource('bad.json', '{"a":')).toThrow(/bad\.json is not valid JSON/);
  });
});

/** `${Name}` as Fn::Sub writes it (kept out of string literals, where it reads like a misplaced template). */
const sub = (name: string): string => `$${'{'}${name}}`;

describe('parseYamlSource', () => {
  const value = (body: string): unknown => {
    const parsed = parseYamlSource('t.yaml', `V: ${body}\n`).value;
    return typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'V') : undefined;
  };

  it.each([
    ['!Ref Role', { Ref: 'Role' }],
    [
      `!Sub arn:${sub('AWS::Partition')}:iam::aws:policy/X`,
      { 'Fn::Sub': `arn:${sub('AWS::Partition')}:iam::aws:policy/X` },
    ],
    [`!Sub [ "${sub('A')}-x", { A: !Ref B } ]`, { 'Fn::Sub': [`${sub('A')}-x`, { A: { Ref: 'B' } }] }],
    ['!GetAtt Role.Arn', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['!GetAtt [Role, Arn]', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ["!Join ['', ['arn:', !Ref AWS::Partition]]", { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }]] }],
    ['!If [C, !Ref A, !Ref AWS::NoValue]', { 'Fn::If': ['C', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", !ImportValue Subnets]', { 'Fn::Split': [',', { 'Fn::ImportValue': 'Subnets' }] }],
    ['!FindInMap [M, !Ref AWS::Region, K]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'K'] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Base64 { "Fn::Sub": "x" }', { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
  ])('reads %s as its long form', (body, expected) => {
    expect(value(body)).toEqual(expected);
  });

  it('gives the line and column of each resource key', () => {
    const source = parseYamlSource(
      't.yaml',
      'Resources:\n  Role:\n    Type: AWS::IAM::Role\n  Nodes:\n    Type: X\n',
    );
    expect(source.locate(['Resources', 'Nodes'])).toEqual({ file: 't.yaml', line: 4, column: 3 });
    expect(source.locate(['Resources', 'Role', 'Type'])).toEqual({ file: 't.yaml', line: 3, column: 5 });
  });

  it('rejects an unknown tag rather than dropping it', () => {
    expect(() => parseYamlSource('t.yaml', 'V: !NotATag x\n')).toThrow(InvalidInputError);
  });

  it('rejects a YAML syntax error', () => {
    expect(() => parseYamlSource('t.yaml', 'a: [1, 2\n')).toThrow(/t\.yaml is not a readable YAML template/);
  });
});
