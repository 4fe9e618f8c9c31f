// In-memory AWS: the faults a test injects (a command made to fail, a number of times or always) and the
// command-name normalisation the call log and the fault rules share.
import { type FakeErrorKind, type FakeService, fakeServiceError } from './errors';

/** Makes matching calls fail. `command` is e.g. `GetRole` (a `Command` suffix is ignored). */
export interface FaultRule {
  readonly service?: FakeService;
  readonly command: string;
  readonly region?: string;
  readonly match?: (input: Readonly<Record<string, unknown>>, region: string) => boolean;
  /** A kind translated to the service's own error, or an error to throw as is. */
  readonly error: FakeErrorKind | Error;
  /** How many matching calls fail; every one when absent. */
  readonly times?: number;
}

/** The fault rules in force; the first matching rule with calls left answers. */
export class Faults {
  private rules: { rule: FaultRule; remaining: number }[] = [];

  add(rule: FaultRule): void {
    this.rules.push({
      rule: { ...rule, command: commandName(rule.command) },
      remaining: rule.times ?? Infinity,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The error for this call, counting it against its rule; null when no rule matches. */
  take(
    service: FakeService,
    command: string,
    input: Readonly<Record<string, unknown>>,
    region: string,
  ): Error | null {
    const entry = this.rules.find(
      ({ rule, remaining }) =>
        remaining > 0 &&
        rule.command === command &&
        (rule.service === undefined || rule.service === service) &&
        (rule.region === undefined || rule.region === region) &&
        (rule.match === undefined || rule.match(input, region)),
    );
    if (entry === undefined) return null;
    entry.remaining -= 1;
    const { error } = entry.rule;
    return typeof error === 'string' ? fakeServiceError(service, error) : error;
  }
}

/** `GetRoleCommand` → `GetRole`. */
export function commandName(name: string): string {
  return name.endsWith('Command') ? name.slice(0, -'Command'.length) : name;
}
