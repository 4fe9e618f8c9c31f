// In-memory AWS: reads a command's input field by field, answering a missing or
// mistyped field the way the service does (a validation error), so the fake needs no casts.

export class FakeRequest {
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(
    input: unknown,
    private readonly invalid: (message: string) => Error,
  ) {
    this.fields =
      typeof input === 'object' && input !== null ? Object.fromEntries(Object.entries(input)) : {};
  }

  /** A required, non-empty string. */
  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined || value === '') {
      throw this.invalid(
        `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw this.invalid(`Invalid type for parameter ${name}: expected a string`);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number')
      throw this.invalid(`Invalid type for parameter ${name}: expected a number`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean')
      throw this.invalid(`Invalid type for parameter ${name}: expected a boolean`);
    return value;
  }

  optionalStrings(name: string): string[] | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.invalid(`Invalid type for parameter ${name}: expected a list`);
    return value.map((item) => {
      if (typeof item !== 'string')
        throw this.invalid(`Invalid type for parameter ${name}: expected strings`);
      return item;
    });
  }

  /** A map of structures (SNS MessageAttributes): name → its fields. */
  optionalMap(name: string): Record<string, Readonly<Record<string, unknown>>> | undefined {
    const value = this.fields[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null) {
      throw this.invalid(`Invalid type for parameter ${name}: expected a map`);
    }
    const entries = Object.entries(value).map(([key, item]): [string, Readonly<Record<string, unknown>>] => {
      if (typeof item !== 'object' || item === null) {
        throw this.invalid(`Invalid type for parameter ${name}.${key}: expected a structure`);
      }
      return [key, Object.fromEntries(Object.entries(item))];
    });
    return Object.fromEntries(entries);
  }
}
