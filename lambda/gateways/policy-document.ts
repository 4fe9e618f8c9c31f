// Gateway helper: the IAM API's raw (URL-encoded, RFC 3986) documents through the one domain decoder.
import { decodePolicyDocument as decode } from '../domain/policy-json';

/**
 * The parsed document; a document that does not decode to a JSON object is returned as the raw string
 * (the analyser reports it as unusable); an absent document gives null. Never throws. The rule for `+`
 * and `%` is the domain decoder's (`lambda/domain/policy-json.ts`).
 */
export function decodePolicyDocument(raw: string | undefined): unknown {
  if (raw === undefined) return null;
  const decoded = decode(raw);
  return decoded.ok ? decoded.value : raw;
}
