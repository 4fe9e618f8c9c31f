// Account (snapshot format): the EKS regions a collection could not read, as a snapshot carries them; read by the
// audit of a snapshot file and of an organization's accounts.
import type { EksRegionWarning } from '../domain/types';

/** The `eksWarnings` a collected snapshot (or a file written by `snapshot`) carries; [] when absent or malformed. */
export function eksWarningsOf(snapshot: unknown): EksRegionWarning[] {
  if (typeof snapshot !== 'object' || snapshot === null) return [];
  const warnings: unknown = Reflect.get(snapshot, 'eksWarnings');
  if (!Array.isArray(warnings)) return [];
  return warnings.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const region: unknown = Reflect.get(item, 'region');
    const code: unknown = Reflect.get(item, 'code');
    const message: unknown = Reflect.get(item, 'message');
    return typeof region === 'string' && typeof code === 'string' && typeof message === 'string'
      ? [{ region, code, message }]
      : [];
  });
}
