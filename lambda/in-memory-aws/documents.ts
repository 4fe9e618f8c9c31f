// In-memory AWS: stores policy documents as JSON text and returns them URL-encoded, as
// IAM does (RFC 3986); accepts seeds as objects, plain JSON strings or URL-encoded strings.

/** The JSON text kept for a document given as an object, a plain JSON string or a URL-encoded JSON string. */
export function documentText(document: unknown): string {
  if (typeof document !== 'string') return JSON.stringify(document ?? null);
  const trimmed = document.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || !document.includes('%')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

/**
 * RFC 3986 percent-encoding: `encodeURIComponent` plus the sub-delimiters it leaves alone (`!'()*`), so
 * only unreserved characters stay literal. `+` becomes `%2B`, non-ASCII its UTF-8 bytes.
 */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The parsed document, or the text itself when it is not JSON (a document the analyser calls unusable). */
export function parsedDocument(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    return text;
  }
}

/** True when the text is a JSON object (IAM's first check of a policy document). */
export function isJsonObjectText(text: string): boolean {
  const parsed = parsedDocument(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
}
