// IaC input (pure): a parsed source file with the line and column of the values in it, from JSON or from
// CloudFormation YAML (short-form tags turned into their `Fn::` / `Ref` long forms). No I/O.
import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Tags,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { InvalidInputError } from '../domain/errors';

/** Where something sits in a source file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A path into a parsed value: object keys and array indexes. */
export type ValuePath = readonly (string | number)[];

/** A parsed file: its value, and the location of the key (or element) at a path. */
export interface ParsedSource {
  readonly file: string;
  readonly value: unknown;
  locate(path: ValuePath): SourceLocation;
}

function pathKey(path: ValuePath): string {
  return path.map(String).join('\u0000');
}

/** Builds `locate`: the deepest recorded prefix of the path, else the first line of the file. */
function locator(file: string, positions: ReadonlyMap<string, { line: number; column: number }>) {
  return (path: ValuePath): SourceLocation => {
    for (let length = path.length; length > 0; length -= 1) {
      const found = positions.get(pathKey(path.slice(0, length)));
      if (found !== undefined) return { file, ...found };
    }
    return { file, line: 1, column: 1 };
  };
}

// ---- JSON -----------------------------------------------------------------------------------------

/**
 * JSON.parse for the value (so every JSON rule holds), plus one scan of the text that records where each
 * object key and array element starts. A file that JSON.parse rejects throws an InvalidInputError.
 */
export function parseJsonSource(file: string, text: string): ParsedSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`${file} is not valid JSON: ${detail}`);
  }
  return { file, value, locate: locator(file, scanJsonPositions(text)) };
}

function scanJsonPositions(text: string): Map<string, { line: number; column: number }> {
  const positions = new Map<string, { line: number; column: number }>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const at = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\r\n'.includes(text.charAt(i))) i += 1;
  };
  const readString = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text.charAt(i) !== '"') i += text.charAt(i) === '\\' ? 2 : 1;
    i += 1;
    return String(JSON.parse(text.slice(start, i)));
  };
  const value = (path: (string | number)[]): void => {
    skipSpace();
    const char = text.charAt(i);
    if (char === '{') {
      i += 1;
      skipSpace();
      while (i < text.length && text.charAt(i) !== '}') {
        skipSpace();
        const keyOffset = i;
        const key = readString();
        const child = [...path, key];
        positions.set(pathKey(child), at(keyOffset));
        skipSpace();
        i += 1; // ':'
        value(child);
        skipSpace();
        if (text.charAt(i) === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (char === '[') {
      i += 1;
      let index = 0;
      skipSpace();
      while (i < text.length && text.charAt(i) !== ']') {
        skipSpace();
        const child = [...path, index];
        positions.set(pathKey(child), at(i));
        value(child);
        index += 1;
        skipSpace();
        if (text.charAt(i) === ',') i += 1;
        skipSpace();
      }
      i += 1;
    } else if (char === '"') {
      readString();
    } else {
      while (i < text.length && !',]} \t\r\n'.includes(text.charAt(i))) i += 1;
    }
  };
  value([]);
  return positions;
}

// ---- CloudFormation YAML --------------------------------------------------------------------------

/** Short forms whose long form is `Fn::<Name>`; `!Ref` and `!Condition` keep their own names. */
const FN_TAGS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'Length',
  'ToJsonString',
] as const;

/** `!GetAtt Res.Attr` is the scalar form of `[Res, Attr]` (the attribute may itself contain dots). */
function getAttValue(text: string): unknown {
  const dot = text.indexOf('.');
  return dot < 0 ? text : [text.slice(0, dot), text.slice(dot + 1)];
}

/**
 * Custom tags for the `yaml` library: each short form, on a scalar, a sequence or a mapping, becomes a
 * one-key map `{ "Fn::X": value }` (`{ Ref: value }`, `{ Condition: value }`), as CloudFormation reads them.
 */
function cloudFormationTags(): Tags {
  const longForms: [string, string][] = [
    ['Ref', 'Ref'],
    ['Condition', 'Condition'],
    ...FN_TAGS.map((name): [string, string] => [name, `Fn::${name}`]),
  ];
  return longForms.flatMap(([short, long]) => {
    const tag = `!${short}`;
    const wrap = (value: unknown) => ({ [long]: value });
    return [
      {
        tag,
        resolve: (text: string) => wrap(short === 'GetAtt' ? getAttValue(text) : text),
      },
      {
        tag,
        collection: 'seq' as const,
        resolve: (seq: YAMLSeq.Parsed | YAMLMap.Parsed) => wrap(seq.toJSON()),
      },
      {
        tag,
        collection: 'map' as const,
        resolve: (map: YAMLSeq.Parsed | YAMLMap.Parsed) => wrap(map.toJSON()),
      },
    ];
  });
}

/** Parses a CloudFormation YAML template; syntax errors and unknown tags are an InvalidInputError. */
export function parseYamlSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { customTags: cloudFormationTags(), lineCounter, uniqueKeys: false });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem !== undefined) {
    throw new InvalidInputError(`${file} is not a readable YAML template: ${problem.message.split('\n')[0]}`);
  }
  const positions = new Map<string, { line: number; column: number }>();
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const record = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = [...path, key];
        if (isNode(pair.key) && pair.key.range) positions.set(pathKey(child), position(pair.key.range[0]));
        record(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const child = [...path, index];
        if (isNode(item) && item.range) positions.set(pathKey(child), position(item.range[0]));
        record(item, child);
      });
    }
  };
  record(document.contents, []);
  return { file, value: document.toJS({ maxAliasCount: 100 }), locate: locator(file, positions) };
}
