// Gateway helper: classifies SDK v3 errors (modeled exceptions, wire codes, network codes) so the gateways
// can map reads: not found → null, access denied → ReadAccessDeniedError, everything else unchanged.
import { ReadAccessDeniedError } from '../domain/errors';

const NOT_FOUND = new Set(['NoSuchEntity', 'NoSuchEntityException']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);
const EKS_NOT_FOUND = new Set(['ResourceNotFoundException', 'NotFoundException']);

/**
 * Errors that mean "this region's endpoint cannot be used with these credentials" rather than "denied":
 * an opt-in region that is not enabled, a region the service is not offered in, DNS/connection failures.
 */
const REGION_UNAVAILABLE = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'OptInRequired',
  'EndpointError',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
]);

/** The error's name (SDK exception name or wire code); for a plain `Error`, its Node `code`; else null. */
export function awsErrorName(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const name = 'name' in error && typeof error.name === 'string' ? error.name : null;
  if (name !== null && name !== 'Error') return name;
  if ('code' in error && typeof error.code === 'string') return error.code;
  return name;
}

const named = (names: ReadonlySet<string>) => (error: unknown) => names.has(awsErrorName(error) ?? '');

export const isNoSuchEntity = named(NOT_FOUND);
export const isAccessDenied = named(ACCESS_DENIED);
export const isEksNotFound = named(EKS_NOT_FOUND);
export const isRegionUnavailable = named(REGION_UNAVAILABLE);

/** Runs a read, turning AccessDenied into `ReadAccessDeniedError(operation, resource)`. */
export async function guardedRead<T>(
  operation: string,
  resource: string,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isAccessDenied(error)) throw new ReadAccessDeniedError(operation, resource, error);
    throw error;
  }
}

/** Like `guardedRead`, and a missing entity (NoSuchEntity) gives null. */
export async function readOrNull<T>(
  operation: string,
  resource: string,
  read: () => Promise<T>,
): Promise<T | null> {
  try {
    return await guardedRead(operation, resource, read);
  } catch (error) {
    if (isNoSuchEntity(error)) return null;
    throw error;
  }
}
