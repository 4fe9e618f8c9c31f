// In-memory AWS: cuts list results into pages with opaque continuation tokens, the
// way IAM (MaxItems/Marker/IsTruncated), EKS (maxResults/nextToken) and Account (MaxResults/NextToken) do.

export interface PageRequest {
  /** The caller's page size (MaxItems / maxResults), undefined for the fake's default. */
  readonly max: number | undefined;
  /** The token from the previous page, undefined for the first page. */
  readonly token: string | undefined;
}

export interface PageLimits {
  readonly defaultSize: number;
  readonly maxSize: number;
  readonly parameter: string;
}

export interface PageOf<T> {
  readonly items: T[];
  /** Token for the next page, undefined on the last one. */
  readonly next: string | undefined;
}

const TOKEN_PREFIX = 'fake-page:';

export function pageOf<T>(
  items: readonly T[],
  request: PageRequest,
  limits: PageLimits,
  invalid: (message: string) => Error,
): PageOf<T> {
  const size = request.max ?? limits.defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > limits.maxSize) {
    throw invalid(`${limits.parameter} must be between 1 and ${limits.maxSize}`);
  }
  const start = request.token === undefined ? 0 : offsetOf(request.token, invalid);
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? tokenFor(end) : undefined };
}

function tokenFor(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64');
}

function offsetOf(token: string, invalid: (message: string) => Error): number {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const offset = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : Number.NaN;
  if (!Number.isInteger(offset) || offset < 0) throw invalid('Invalid pagination token');
  return offset;
}
