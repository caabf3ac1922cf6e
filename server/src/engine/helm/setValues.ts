/**
 * Helm's `--set` and `--set-string` (its `strvals` parser), applied to a map of values: dotted
 * keys (`a.b`, `\.` escapes a dot), list indexes (`a[0].b`), `{x,y}` lists, typed values with
 * `--set` (`true`/`false`, `null`, integers; a float stays a string) and plain strings with
 * `--set-string`. Each expression reports the paths it set, so a refused value can be put on
 * the parameter that set it. An expression helm cannot parse (or applies to a value of another
 * shape) is a `SetValuesError`: helm stops on it before it checks any schema. Pure.
 */
import type { ValuesPath } from './valuesSchema';
import { isMapValue as isValuesMap } from '../render/yamlDocs';

type ValuesMap = Record<string, unknown>;

/** Helm's limits: names nested at most this deep, list indexes at most this large. */
const MAX_NESTED_NAMES = 30;
const MAX_INDEX = 65536;

export class SetValuesError extends Error {
  readonly reason = 'unparsable' as const;
}

/**
 * Applies `expression` (`name=value[,name=value]`) to `values` (changed in place), as helm
 * does with `--set` (`forceString`: `--set-string`). Returns the paths set, in order.
 */
export function applySetValues(
  values: ValuesMap,
  expression: string,
  forceString: boolean,
): ValuesPath[] {
  const parser = new Parser(expression, forceString);
  while (!parser.done()) parser.key(values, [], 0);
  return parser.paths;
}

/**
 * A parameter's value as Argo CD passes it to `--set`: each comma not right after a backslash is
 * escaped (`a,b` -> `a\,b`), except in a `{x,y}` list, which is passed as it is.
 */
export function argoSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let escaped = '';
  let previous = '';
  for (const char of value) {
    escaped += char === ',' && previous !== '\\' ? '\\,' : char;
    previous = char;
  }
  return escaped;
}

class Parser {
  private at = 0;
  readonly paths: ValuesPath[] = [];

  constructor(
    private readonly text: string,
    private readonly forceString: boolean,
  ) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  /** Reads until one of `stop` (unescaping `\x`); the stop character read, or '' at the end. */
  private until(stop: string): { runes: string; last: string } {
    let runes = '';
    while (this.at < this.text.length) {
      const char = this.text[this.at++] ?? '';
      if (stop.includes(char)) return { runes, last: char };
      if (char === '\\') {
        if (this.at >= this.text.length) return { runes, last: '' };
        runes += this.text[this.at++] ?? '';
      } else runes += char;
    }
    return { runes, last: '' };
  }

  key(data: ValuesMap, path: ValuesPath, nested: number): void {
    const { runes: name, last } = this.until('=[,.');
    if (last === '') throw new SetValuesError(`key "${name}" has no value`);
    if (last === '[') {
      const index = this.index();
      const existing = Object.hasOwn(data, name) ? data[name] : undefined;
      if (existing !== undefined && !Array.isArray(existing)) throw notList(name);
      const list = this.listItem(
        existing === undefined ? [] : [...(existing as unknown[])],
        index,
        [...path, name],
        nested,
      );
      setKey(data, name, list);
      return;
    }
    if (last === '=') {
      const list = this.valueList();
      if (list !== undefined) setKey(data, name, list);
      else setKey(data, name, this.typed(this.until(',').runes));
      if (name !== '') this.paths.push([...path, name]);
      return;
    }
    if (last === ',') throw new SetValuesError(`key "${name}" has no value (cannot end with ,)`);
    // last === '.'
    if (nested + 1 > MAX_NESTED_NAMES) {
      throw new SetValuesError(`value name nested level is greater than ${MAX_NESTED_NAMES}`);
    }
    const existing = Object.hasOwn(data, name) ? data[name] : undefined;
    if (existing !== undefined && !isValuesMap(existing)) throw notMap(name);
    const inner: ValuesMap = existing === undefined ? {} : existing;
    this.key(inner, [...path, name], nested + 1);
    if (Object.keys(inner).length === 0) throw new SetValuesError(`key map "${name}" has no value`);
    setKey(data, name, inner);
  }

  private index(): number {
    const { runes, last } = this.until(']');
    const index = Number(runes);
    if (last === '' || !/^[+-]?\d+$/.test(runes)) {
      throw new SetValuesError(`error parsing index "${runes}"`);
    }
    if (index < 0) throw new SetValuesError(`negative ${index} index not allowed`);
    if (index > MAX_INDEX) throw new SetValuesError(`index ${index} is over ${MAX_INDEX}`);
    return index;
  }

  private listItem(list: unknown[], index: number, path: ValuesPath, nested: number): unknown[] {
    const { runes, last } = this.until('[.=');
    if (runes.length > 0) throw new SetValuesError(`unexpected data at end of array index`);
    const itemPath = [...path, index];
    if (last === '=') {
      const values = this.valueList();
      setIndex(list, index, values ?? this.typed(this.until(',').runes));
      this.paths.push(itemPath);
      return list;
    }
    if (last === '[') {
      const next = this.index();
      const existing = list[index];
      if (existing !== undefined && existing !== null && !Array.isArray(existing)) {
        throw notList(String(index));
      }
      const inner = Array.isArray(existing) ? [...(existing as unknown[])] : [];
      setIndex(list, index, this.listItem(inner, next, itemPath, nested));
      return list;
    }
    if (last === '.') {
      const existing = list[index];
      const inner: ValuesMap = isValuesMap(existing) ? existing : {};
      this.key(inner, itemPath, nested);
      setIndex(list, index, inner);
      return list;
    }
    throw new SetValuesError('parse error: unexpected end');
  }

  /** A `{a,b}` list after `=`; undefined when the value is no list. */
  private valueList(): unknown[] | undefined {
    if (this.text[this.at] !== '{') return undefined;
    this.at++;
    const list: unknown[] = [];
    for (;;) {
      const { runes, last } = this.until(',}');
      if (last === '') throw new SetValuesError("list must terminate with '}'");
      list.push(this.typed(runes));
      if (last === '}') {
        if (this.text[this.at] === ',') this.at++;
        return list;
      }
    }
  }

  private typed(value: string): unknown {
    if (this.forceString) return value;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (value === '0') return 0;
    if (value !== '' && !value.startsWith('0') && /^[+-]?\d{1,19}$/.test(value)) {
      // Helm parses an int64: past its range the value stays a string.
      const big = BigInt(value);
      if (big <= 9223372036854775807n && big >= -9223372036854775808n) return Number(value);
    }
    return value;
  }
}

function setKey(data: ValuesMap, key: string, value: unknown): void {
  if (key !== '') data[key] = value;
}

function setIndex(list: unknown[], index: number, value: unknown): void {
  while (list.length < index) list.push(null);
  list[index] = value;
}

function notMap(name: string): SetValuesError {
  return new SetValuesError(`unable to parse key: "${name}" is not a map`);
}

function notList(name: string): SetValuesError {
  return new SetValuesError(`unable to parse key: "${name}" is not a list`);
}
