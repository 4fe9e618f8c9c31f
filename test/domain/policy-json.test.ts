// Tests for the one policy-document decoder: every accepted encoding, the rule for '+' and '%', errors.
import fc from 'fast-check';
import {
  decodeDocument,
  decodePolicyDocument,
  MAX_POLICY_DOCUMENT_CHARS,
} from '../../lambda/domain/policy-json';

const WITH_PLUS = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'a+b',
      Effect: 'Allow',
      Action: 'ecr:BatchGetImage',
      Resource: '*',
      Condition: { StringLike: { 'aws:userid': 'AROA+*', 's3:prefix': ['100%', 'a%20b', 'c d'] } },
    },
  ],
};

function decoded(input: unknown): unknown {
  const decoded = decodePolicyDocument(input);
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.value;
}

function errorOf(input: unknown): string {
  const decoded = decodePolicyDocument(input);
  return decoded.ok ? '(decoded)' : decoded.error;
}

describe('decodePolicyDocument: accepted encodings', () => {
  it.each([
    ['a parsed object', WITH_PLUS],
    ['a JSON string (CloudTrail, CLI): "+" and "%" in values stay literal', JSON.stringify(WITH_PLUS)],
    ['pretty JSON with a BOM and surrounding spaces', `\uFEFF  ${JSON.stringify(WITH_PLUS, null, 2)}\n`],
    [
      'URL-encoded, every reserved character escaped (encodeURIComponent)',
      encodeURIComponent(JSON.stringify(WITH_PLUS)),
    ],
    [
      'URL-encoded per RFC 3986 with "+" left as is (a literal plus)',
      encodeURIComponent(JSON.stringify(WITH_PLUS)).replaceAll('%2B', '+'),
    ],
    [
      'form-encoded ("+" for the spaces between tokens, "%2B" for a plus)',
      encodeURIComponent(JSON.stringify(WITH_PLUS, null, 1)).replaceAll('%20', '+'),
    ],
    ['a JSON string holding the JSON text (double-encoded)', JSON.stringify(JSON.stringify(WITH_PLUS))],
  ])('%s', (_name, input) => {
    expect(decoded(input)).toEqual(WITH_PLUS);
  });

  it('never URL-decodes a string that is JSON already: "%20" in a value stays three characters', () => {
    expect(decoded('{"Sid":"a%20b+c"}')).toEqual({ Sid: 'a%20b+c' });
  });

  it('decodes "%25" to a literal "%" and "%2B" to a literal "+"', () => {
    expect(decoded('%7B%22Sid%22%3A%22100%25%2B1%22%7D')).toEqual({ Sid: '100%+1' });
  });

  it('reads "+" as a plus in URL-encoded text whenever that is valid JSON (RFC 3986, as IAM encodes)', () => {
    expect(decoded('%7B%22Sid%22%3A%22a+b%22%7D')).toEqual({ Sid: 'a+b' });
  });
});

describe('decodePolicyDocument: rejections', () => {
  it.each([
    ['an empty string', '', /is empty/],
    ['blank text', '  \n ', /is empty/],
    ['text that is not JSON', 'this is not a policy', /not valid JSON/],
    ['a malformed URL escape', '%7B%22Statement%22%3A%E0%A4%A', /not valid JSON/],
    ['URL-encoded text that is not JSON', '%7Bnot json', /not valid JSON/],
    ['a JSON array', '[{"Effect":"Allow"}]', /must be a JSON object/],
    ['JSON null', 'null', /must be a JSON object/],
    ['a number', 42, /must be a JSON object/],
    ['undefined', undefined, /must be a JSON object/],
    ['an array', [WITH_PLUS], /must be a JSON object/],
    ['a string larger than 1 MiB', ' '.repeat(MAX_POLICY_DOCUMENT_CHARS + 1), /larger than 1 MiB/],
  ])('%s', (_name, input, expected) => {
    expect(errorOf(input)).toMatch(expected);
    expect(decodeDocument(input)).toBeNull();
  });
});

describe('decodePolicyDocument: properties', () => {
  const value = fc.string({ unit: fc.constantFrom('a', '+', '%', ' ', '2', '0', 'B', '"', '\\', 'é') });
  const document = fc.dictionary(fc.constantFrom('Sid', 'Version', 'Note'), value, { minKeys: 1 });

  it('object, JSON text and URL-encoded JSON text decode to the same object', () => {
    fc.assert(
      fc.property(document, (doc) => {
        const json = JSON.stringify(doc);
        expect(decoded(doc)).toEqual(doc);
        expect(decoded(json)).toEqual(doc);
        expect(decoded(encodeURIComponent(json))).toEqual(doc);
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof decodePolicyDocument(text).ok).toBe('boolean');
        expect(typeof decodePolicyDocument(`%${text}`).ok).toBe('boolean');
      }),
      { seed: 10, numRuns: 300 },
    );
  });
});
