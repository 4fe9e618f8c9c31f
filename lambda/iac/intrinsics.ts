// IaC (pure): resolves the CloudFormation intrinsic functions the node-role check needs (`Ref`, `Fn::GetAtt`,
// `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::FindInMap`) to text; anything else is an `unknown` with the reason.

/** The result of resolving a template value. Resource references are kept as markers in the text. */
export type Resolved =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'unknown'; readonly reason: string };

const MARK = '\u0001';

/** `Ref` of a resource whose value the template does not give literally: stands for it in resolved text. */
export function nameMarker(logicalId: string): string {
  return `${MARK}name:${logicalId}${MARK}`;
}
/** `Fn::GetAtt [X, Arn]` (and `Ref` of a managed policy, which is its ARN). */
export function arnMarker(logicalId: string): string {
  return `${MARK}arn:${logicalId}${MARK}`;
}
const ACCOUNT_MARKER = `${MARK}AWS::AccountId${MARK}`;

/** The logical id when `text` is exactly one marker of `kind`, else null. */
export function markerId(text: string, kind: 'name' | 'arn'): string | null {
  const prefix = `${MARK}${kind}:`;
  if (!text.startsWith(prefix) || !text.endsWith(MARK) || text.length <= prefix.length + 1) return null;
  const id = text.slice(prefix.length, -1);
  return id.includes(MARK) ? null : id;
}

export function hasMarker(text: string): boolean {
  return text.includes(MARK);
}

/** Resolved text for people: markers shown as `${Id}` / `${Id.Arn}`. */
export function displayText(text: string): string {
  // Split on the marker: the odd parts are marker contents (`name:Id`, `arn:Id`, `AWS::AccountId`).
  return text
    .split(MARK)
    .map((part, index) => {
      if (index % 2 === 0) return part;
      if (part.startsWith('arn:')) return `\${${part.slice(4)}.Arn}`;
      return `\${${part.startsWith('name:') ? part.slice(5) : part}}`;
    })
    .join('');
}

export interface TemplateContext {
  readonly partition: string;
  /** Logical id → resource type, for every resource of the template. */
  readonly resourceTypes: ReadonlyMap<string, string>;
  /** Logical id → its literal name property (RoleName, ManagedPolicyName), when given. */
  readonly literalNames: ReadonlyMap<string, string>;
  readonly parameters: ReadonlySet<string>;
  readonly mappings: unknown;
}

const unknown = (reason: string): Resolved => ({ kind: 'unknown', reason });
const value = (v: unknown): Resolved => ({ kind: 'value', value: v });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The single `Ref` / `Fn::*` key of an intrinsic function object, else null. */
function intrinsicName(v: Record<string, unknown>): string | null {
  const keys = Object.keys(v);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) return null;
  return key === 'Ref' || key.startsWith('Fn::') ? key : null;
}

function ref(name: unknown, context: TemplateContext): Resolved {
  if (typeof name !== 'string') return unknown('a Ref that is not a name');
  if (name === 'AWS::Partition') return value(context.partition);
  if (name === 'AWS::AccountId') return value(ACCOUNT_MARKER);
  if (name.startsWith('AWS::')) return value(`${MARK}${name}${MARK}`);
  if (context.parameters.has(name)) return unknown(`parameter ${name} is set at deploy time`);
  const type = context.resourceTypes.get(name);
  if (type === undefined) return unknown(`Ref ${name} names nothing in the template`);
  // Ref of a managed policy is its ARN; of a role, a policy... its name.
  if (type === 'AWS::IAM::ManagedPolicy') return value(arnMarker(name));
  return value(context.literalNames.get(name) ?? nameMarker(name));
}

function getAtt(args: unknown, context: TemplateContext): Resolved {
  const [id, attribute] = Array.isArray(args) ? args : [];
  if (typeof id !== 'string' || typeof attribute !== 'string')
    return unknown('an Fn::GetAtt that is not [resource, attribute]');
  if (!context.resourceTypes.has(id))
    return unknown(`Fn::GetAtt ${id}.${attribute} names nothing in the template`);
  if (attribute === 'Arn') return value(arnMarker(id));
  return unknown(`Fn::GetAtt ${id}.${attribute} is known only after deploy`);
}

function text(resolved: Resolved): string | Resolved {
  if (resolved.kind === 'unknown') return resolved;
  if (typeof resolved.value === 'string') return resolved.value;
  if (typeof resolved.value === 'number' || typeof resolved.value === 'boolean')
    return String(resolved.value);
  return unknown('a value that is not text where text is needed');
}

function sub(args: unknown, context: TemplateContext): Resolved {
  const [template, variables] = typeof args === 'string' ? [args, {}] : Array.isArray(args) ? args : [];
  if (typeof template !== 'string') return unknown('an Fn::Sub without a template string');
  const vars = isRecord(variables) ? variables : {};
  let failure: Resolved | null = null;
  const out = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const dot = name.indexOf('.');
    const resolved = Object.hasOwn(vars, name)
      ? resolveValue(vars[name], context)
      : dot > 0 && !name.startsWith('AWS::')
        ? getAtt([name.slice(0, dot), name.slice(dot + 1)], context)
        : ref(name, context);
    const part = text(resolved);
    if (typeof part === 'string') return part;
    failure ??= part;
    return whole;
  });
  return failure ?? value(out);
}

function join(args: unknown, context: TemplateContext): Resolved {
  const [delimiter, list] = Array.isArray(args) ? args : [];
  if (typeof delimiter !== 'string') return unknown('an Fn::Join without a delimiter');
  const items = resolveValue(list, context);
  if (items.kind === 'unknown') return items;
  if (!Array.isArray(items.value)) return unknown('an Fn::Join of something that is not a list');
  const parts: string[] = [];
  for (const item of items.value) {
    const part = text(value(item));
    if (typeof part !== 'string') return part;
    parts.push(part);
  }
  return value(parts.join(delimiter));
}

function select(args: unknown, context: TemplateContext): Resolved {
  const [index, list] = Array.isArray(args) ? args : [];
  const at = resolveValue(index, context);
  const items = resolveValue(list, context);
  if (at.kind === 'unknown') return at;
  if (items.kind === 'unknown') return items;
  const position = Number(at.value);
  if (!Array.isArray(items.value) || !Number.isInteger(position))
    return unknown('an Fn::Select it cannot index');
  return position >= 0 && position < items.value.length
    ? value(items.value[position])
    : unknown('an Fn::Select out of range');
}

function findInMap(args: unknown, context: TemplateContext): Resolved {
  const keys = Array.isArray(args) ? args.slice(0, 3).map((key) => text(resolveValue(key, context))) : [];
  let node: unknown = context.mappings;
  for (const key of keys) {
    if (typeof key !== 'string') return key;
    node = isRecord(node) ? node[key] : undefined;
  }
  return keys.length === 3 && node !== undefined
    ? value(node)
    : unknown('an Fn::FindInMap it cannot look up');
}

/** Resolves every intrinsic function in a value (deeply); the first unresolvable one makes it `unknown`. */
export function resolveValue(input: unknown, context: TemplateContext): Resolved {
  if (Array.isArray(input)) {
    const items: unknown[] = [];
    for (const item of input) {
      const resolved = resolveValue(item, context);
      if (resolved.kind === 'unknown') return resolved;
      items.push(resolved.value);
    }
    return value(items);
  }
  if (!isRecord(input)) return value(input);
  const fn = intrinsicName(input);
  const args = fn === null ? undefined : input[fn];
  switch (fn) {
    case null: {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(input)) {
        const resolved = resolveValue(item, context);
        if (resolved.kind === 'unknown') return resolved;
        out[key] = resolved.value;
      }
      return value(out);
    }
    case 'Ref':
      return ref(args, context);
    case 'Fn::GetAtt':
      return getAtt(typeof args === 'string' ? args.split('.') : args, context);
    case 'Fn::Sub':
      return sub(args, context);
    case 'Fn::Join':
      return join(args, context);
    case 'Fn::Select':
      return select(args, context);
    case 'Fn::FindInMap':
      return findInMap(args, context);
    case 'Fn::ImportValue':
      return unknown('an Fn::ImportValue from another stack');
    case 'Fn::If':
      return unknown('an Fn::If that depends on a condition');
    default:
      return unknown(`${fn}, which is not resolved before deploy`);
  }
}

/** Resolves to text, or the reason it cannot. */
export function resolveText(input: unknown, context: TemplateContext): { text: string } | { reason: string } {
  const part = text(resolveValue(input, context));
  return typeof part === 'string'
    ? { text: part }
    : { reason: part.kind === 'unknown' ? part.reason : 'unknown' };
}

/**
 * A policy document with its intrinsics resolved. Unresolvable values outside Effect / Action / NotAction become
 * placeholders: a Resource or NotResource stands for one repository of unknown name (an Allow still grants, scoped;
 * a Deny covers nothing else), anything else (a Condition value) matches no real value.
 * When an Effect or Action cannot be resolved the document is `unknown`.
 */
export function resolvePolicyDocument(input: unknown, context: TemplateContext): Resolved {
  const walk = (node: unknown, key: string | null): Resolved => {
    if (isRecord(node) && intrinsicName(node) === null) {
      const out: Record<string, unknown> = {};
      for (const [childKey, child] of Object.entries(node)) {
        const resolved = walk(child, childKey);
        if (resolved.kind === 'unknown') return resolved;
        out[childKey] = resolved.value;
      }
      return value(out);
    }
    if (Array.isArray(node)) {
      const items: unknown[] = [];
      for (const item of node) {
        const resolved = walk(item, key);
        if (resolved.kind === 'unknown') return resolved;
        items.push(resolved.value);
      }
      return value(items);
    }
    const resolved = resolveValue(node, context);
    if (resolved.kind === 'value') {
      return typeof resolved.value === 'string' ? value(displayText(resolved.value)) : resolved;
    }
    if (key === 'Effect' || key === 'Action' || key === 'NotAction' || key === 'Statement' || key === null)
      return resolved;
    // A Resource the template does not fix may name any repository: it stands for one repository of unknown name,
    // so an Allow still grants (scoped), a Deny covers no other repository, and a NotResource excludes only it.
    return key === 'Resource' || key === 'NotResource'
      ? value(`arn:*:ecr:*:*:repository/(unresolved: ${resolved.reason})`)
      : value(`(unresolved: ${resolved.reason})`);
  };
  return walk(input, null);
}
