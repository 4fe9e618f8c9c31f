// Gateway helper: follows IAM (Marker/IsTruncated) and EKS/Account (nextToken) pagination to the last page.

export interface Page<T> {
  readonly items: readonly T[];
  /** Token for the next page, undefined on the last one. */
  readonly next: string | undefined;
}

/**
 * Collects every page. Stops when there is no next token, and also when the service hands back the token
 * it was just given (a loop that would otherwise never end).
 */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    all.push(...page.items);
    if (page.next === undefined || page.next === '' || page.next === token) return all;
    token = page.next;
  }
}

/** IAM's form: the marker counts only while `IsTruncated` is true. */
export const iamNext = (output: { IsTruncated?: boolean | undefined; Marker?: string | undefined }) =>
  output.IsTruncated === true ? output.Marker : undefined;
