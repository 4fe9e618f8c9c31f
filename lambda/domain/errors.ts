// Typed domain errors raised by gateways and account views, mapped to verdicts by the use cases.

/**
 * A read the verdict depends on could not be made (refused, or a region out of reach). Leads to
 * `indeterminate` with the message in the alert, never to an assumed `compliant`.
 */
export class AccountReadError extends Error {
  override readonly name: string = 'AccountReadError';
}

/** A read the guard needs was refused (IAM/EKS AccessDenied). */
export class ReadAccessDeniedError extends AccountReadError {
  override readonly name = 'ReadAccessDeniedError';
  constructor(
    readonly operation: string,
    readonly resource: string,
    cause?: unknown,
  ) {
    super(`${operation} on ${resource} was denied (AccessDenied)`, { cause });
  }
}

/** An input file or event that cannot be used at all (unreadable, not JSON, wrong shape). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** Configuration that fails validation; the message names the key and the accepted values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
