// Runtime configuration: parsed and validated once, at load, from the Lambda environment (through the contract's
// reader) or a CLI config file; a bad value is a ConfigError naming the key or variable.
import {
  type GuardConfig,
  type LambdaSettings,
  readEnvironment,
  type Validated,
  validateGuardConfig,
} from './contract';
import { ConfigError } from './domain/errors';

export type { GuardConfig, GuardMode, LambdaSettings } from './contract';

function valueOrThrow<T>(result: Validated<T>): T {
  if (result.ok) return result.value;
  throw new ConfigError(result.problems.join('; '));
}

/** Validates a config object (CLI file, tests); the error names each bad key and what it accepts. */
export function parseConfig(
  input: unknown,
  origin = 'config',
  keyNames: Readonly<Record<string, string>> = {},
): GuardConfig {
  return valueOrThrow(validateGuardConfig(input, origin, keyNames));
}

export const defaultConfig = (): GuardConfig => parseConfig({});

/** Reads the functions' environment once, at cold start. */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): LambdaSettings {
  return valueOrThrow(readEnvironment(env));
}
