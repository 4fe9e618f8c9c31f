// Domain helper (pure): the one policy-document decoder. Every layer (IAM gateway, snapshot, analysis,
// trust policies, remediation) turns a document in any accepted encoding into a parsed JSON object here.

/** Documents above this many characters are rejected; IAM's own size limits are far smaller. */
export const MAX_POLICY_DOCUMENT_CHARS = 1024 * 1024;

export const DOCUMENT_TOO_LARGE = `policy document is larger than 1 MiB (${MAX_POLICY_DOCUMENT_CHARS} characters)`;

export type DecodedPolicyDocument =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

const URL_ESCAPE = /%[0-9A-Fa-f]{2}/;

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'invalid JSON' };
  }
}

function tryUrlDecodedJson(text: string): Parsed {
  // RFC 3986 first: '+' is a literal plus. Only when that reading is not JSON, the form encoding
  // ('+' for a space, '%2B' for a plus) is tried: a '+' between JSON tokens can only be a space.
  for (const candidate of [text, text.replaceAll('+', ' ')]) {
    try {
      const parsed = tryJson(decodeURIComponent(candidate));
      if (parsed.ok) return parsed;
    } catch {
      // URIError: a malformed escape; try the next candidate.
    }
  }
  return { ok: false, error: 'looks URL-encoded but does not decode to JSON' };
}

/**
 * Plain JSON first (CloudTrail and the CLI send plain JSON strings, whose string values may hold a
 * literal '+' or '%', e.g. in a Condition): a text that parses as JSON is never URL-decoded. URL-decoding
 * only when the plain parse fails and the text holds a `%XX` escape (JSON text never starts with '%').
 */
function decodeText(text: string, depth: number): Parsed {
  if (text.length > MAX_POLICY_DOCUMENT_CHARS) return { ok: false, error: DOCUMENT_TOO_LARGE };
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.length === 0) return { ok: false, error: 'policy document is empty' };
  const plain: Parsed = trimmed.startsWith('%')
    ? { ok: false, error: 'JSON cannot start with "%"' }
    : tryJson(trimmed);
  const decoded = plain.ok || !URL_ESCAPE.test(trimmed) ? plain : tryUrlDecodedJson(trimmed);
  if (!decoded.ok) return { ok: false, error: `policy document is not valid JSON: ${decoded.error}` };
  // A JSON string holding the document (double-encoded): unwrap once.
  if (typeof decoded.value === 'string' && depth === 0) return decodeText(decoded.value, depth + 1);
  return decoded;
}

/**
 * Decodes a policy document given as a parsed object, a JSON string (CloudTrail, CLI, snapshot) or a
 * URL-encoded JSON string (the raw IAM API, RFC 3986). The rule for `+` and `%`:
 * - a string that parses as JSON is taken as it is: `+` and `%` in it are literal characters;
 * - otherwise, if it holds a `%XX` escape, it is URL-decoded per RFC 3986 (`+` stays a plus, `%2B` is a
 *   plus, `%20` a space); only if that is not JSON either, `+` is read as a space (form encoding).
 * Never throws; anything that does not end as a JSON object gives `{ ok: false }` with the reason.
 */
export function decodePolicyDocument(input: unknown): DecodedPolicyDocument {
  try {
    const parsed: Parsed = typeof input === 'string' ? decodeText(input, 0) : { ok: true, value: input };
    if (!parsed.ok) return parsed;
    if (!isRecord(parsed.value)) return { ok: false, error: 'policy document must be a JSON object' };
    return { ok: true, value: parsed.value };
  } catch (error) {
    // Only reachable with exotic inputs (throwing getters, proxies): report, never propagate.
    return {
      ok: false,
      error: `policy document is unreadable: ${error instanceof Error ? error.message : 'unknown'}`,
    };
  }
}

/** `decodePolicyDocument` for callers that only need the object: null when it does not decode. */
export function decodeDocument(input: unknown): Record<string, unknown> | null {
  const decoded = decodePolicyDocument(input);
  return decoded.ok ? decoded.value : null;
}
