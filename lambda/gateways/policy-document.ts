// Gateway helper: decodes the URL-encoded (RFC 3986) policy documents IAM returns; the JS SDK does not.

/**
 * `JSON.parse(decodeURIComponent(raw))`. A document that does not decode or parse is returned as the
 * raw string (the analyser reports it as unusable); an absent document gives null. Never throws.
 * `+` is a literal plus in RFC 3986 (not a space), which is what `decodeURIComponent` does.
 */
export function decodePolicyDocument(raw: string | undefined): unknown {
  if (raw === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(raw));
    return parsed;
  } catch {
    return raw;
  }
}
