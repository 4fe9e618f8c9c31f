// IaC reader helpers (pure): the `configuration` section of a Terraform plan JSON, indexed by resource address
// without instance keys, and the `references` each argument's expression lists (how unknown values are tied).

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Configuration `references` of each argument, by module path without instance keys and resource name. */
export type ConfigReferences = Map<string, Record<string, unknown>>;

export function stripIndexes(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

export function collectConfiguration(module: unknown, prefix: string, out: ConfigReferences): void {
  if (!isRecord(module)) return;
  for (const resource of Array.isArray(module.resources) ? module.resources : []) {
    if (isRecord(resource) && typeof resource.address === 'string' && isRecord(resource.expressions)) {
      out.set(`${prefix}${resource.address}`, resource.expressions);
    }
  }
  const calls = isRecord(module.module_calls) ? module.module_calls : {};
  for (const [name, call] of Object.entries(calls)) {
    if (isRecord(call)) collectConfiguration(call.module, `${prefix}module.${name}.`, out);
  }
}

export function referencesOf(
  expressions: Record<string, unknown> | undefined,
  path: readonly string[],
): string[] {
  let node: unknown = expressions;
  for (const key of path) {
    node = Array.isArray(node) ? node[0] : node;
    node = isRecord(node) ? node[key] : undefined;
  }
  node = Array.isArray(node) ? node[0] : node;
  const refs = isRecord(node) ? node.references : undefined;
  return Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [];
}
