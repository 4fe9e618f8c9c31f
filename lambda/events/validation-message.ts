// Edge validation helper shared by the event parser and the snapshot loader: turns schema issues into
// short messages that name the bad path, e.g. `iam.RoleDetailList[3].RoleName: expected string, got number`.

/** The part of a Standard Schema / zod issue the messages need. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: string;
  readonly expected?: unknown;
}

type PathSegment = PropertyKey | { readonly key: PropertyKey };

const segmentKey = (segment: PathSegment): PropertyKey =>
  typeof segment === 'object' ? segment.key : segment;

/** `iam.RoleDetailList[3].RoleName`; `(root)` for an empty path. */
export function formatPath(path: readonly PathSegment[] | undefined, prefix = ''): string {
  let text = prefix;
  for (const segment of path ?? []) {
    const key = segmentKey(segment);
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

/** A JSON-ish type name for messages: `missing`, `null`, `array`, `string`, `number`, `object`... */
export function describeValueType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The value found by following `path` from `root`, undefined when the path leaves the data. */
export function valueAtPath(root: unknown, path: readonly PathSegment[] | undefined): unknown {
  let current: unknown = root;
  for (const segment of path ?? []) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = segmentKey(segment);
    if (typeof key === 'symbol') return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

/** One issue as `<path>: <problem>`; type mismatches say what was expected and what was found. */
export function describeIssue(issue: SchemaIssue, input: unknown, pathPrefix = ''): string {
  const where = formatPath(issue.path, pathPrefix);
  if (issue.code === 'invalid_type' && typeof issue.expected === 'string') {
    const found = describeValueType(valueAtPath(input, issue.path));
    const problem =
      found === 'missing'
        ? `expected ${issue.expected} (missing)`
        : `expected ${issue.expected}, got ${found}`;
    return `${where}: ${problem}`;
  }
  return `${where}: ${issue.message}`;
}

/** The first `limit` issues joined with `; `, plus how many more there were. */
export function describeIssues(
  issues: readonly SchemaIssue[],
  input: unknown,
  options: { readonly pathPrefix?: string; readonly limit?: number } = {},
): string {
  const limit = options.limit ?? 5;
  const shown = issues.slice(0, limit).map((issue) => describeIssue(issue, input, options.pathPrefix));
  const more = issues.length > limit ? [`and ${issues.length - limit} more problem(s)`] : [];
  return [...shown, ...more].join('; ');
}
