// Domain helper (pure): turns a policy document in any accepted encoding into a parsed JSON object.

/**
 * Decodes a policy document given as a parsed object, a JSON string (CloudTrail, CLI) or a URL-encoded
 * JSON string (raw IAM API, RFC 3986). Returns the parsed JSON object, or null when the input is none
 * of these or does not decode to a JSON object. Never throws.
 */
export function decodeDocument(input: unknown): unknown | null {
  if (isJsonObject(input)) return input;
  if (typeof input !== 'string') return null;
  // Only text that opens like an object can be plain JSON; skipping the doomed parse (a thrown SyntaxError)
  // keeps URL-encoded documents, the raw API's form, cheap.
  const direct = input.trimStart().startsWith('{') ? parseJsonObject(input) : null;
  if (direct !== null) return direct;
  const decoded = decodeUriSafely(input);
  return decoded === null ? null : parseJsonObject(decoded);
}

function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(text: string): object | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function decodeUriSafely(text: string): string | null {
  if (!text.includes('%')) return null;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
