/**
 * Tolerant reading of DBSS JSON answers: each field is looked up by its documented snake_case
 * name, then by its camelCase spelling (seen from the old instance endpoint); numbers may come
 * as numeric strings. A missing or mistyped required field calls `fail` with a message naming
 * the field's path, e.g. `rules[3].rank: expected an integer, got "x"`.
 */

/** Raises the caller's error for a malformed answer. */
export type Fail = (detail: string) => never;

const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
// not shortened here: the runner redacts secrets first, then shortens the whole message;
// JSON.stringify gives undefined only for undefined (a parsed answer holds no functions or symbols)
const show = (v: unknown): string => JSON.stringify(v) ?? 'nothing';

/** One JSON object of an answer, with its path for error messages. */
export class WireObject {
  readonly #raw: Readonly<Record<string, unknown>>;
  readonly #at: string;
  readonly #fail: Fail;

  constructor(raw: unknown, at: string, fail: Fail) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${at || 'answer'}: expected an object, got ${show(raw)}`);
    this.#raw = raw as Record<string, unknown>;
    this.#at = at;
    this.#fail = fail;
  }

  /** The value under `name` or its camelCase spelling; null reads as absent. */
  get(name: string): unknown {
    const v = this.#raw[name] ?? this.#raw[camel(name)];
    return v === null ? undefined : v;
  }

  /** Fails naming the field. */
  fail(name: string, expected: string): never {
    return this.#fail(`${this.#path(name)}: expected ${expected}, got ${show(this.get(name))}`);
  }

  /** A non-empty string (a number is taken as its decimal text). */
  string(name: string): string {
    return this.optionalString(name) ?? this.fail(name, 'a non-empty string');
  }

  /** A string, or undefined when absent or empty. */
  optionalString(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined || v === '') return undefined;
    if (typeof v === 'string') return v;
    if (Number.isFinite(v)) return String(v);
    return this.fail(name, 'a string');
  }

  /** An integer (a numeric string is accepted). */
  integer(name: string): number {
    return this.optionalInteger(name) ?? this.fail(name, 'an integer');
  }

  /** An integer, or undefined when absent (or null, which `get` reads as absent). */
  optionalInteger(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === '') return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    return Number.isSafeInteger(n) ? (n as number) : this.fail(name, 'an integer');
  }

  /** A boolean (`"true"`/`"false"` accepted), `fallback` when absent. */
  boolean(name: string, fallback: boolean): boolean {
    const v = this.get(name);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.fail(name, 'a boolean');
  }

  /** A comma-separated string (or a string array) as trimmed, non-empty items. */
  commaList(name: string): string[] {
    const v = this.get(name);
    if (v === undefined) return [];
    const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : this.fail(name, 'a comma-separated string');
    return items.map((s) => s.trim()).filter((s) => s !== '');
  }

  /** An array of objects (absent fails: a list answer without its list is never "no items"). */
  objects(name: string): WireObject[] {
    const v = this.get(name);
    if (!Array.isArray(v)) return this.fail(name, 'a list');
    return v.map((item, i) => new WireObject(item, `${this.#path(name)}[${i}]`, this.#fail));
  }

  /** An array of objects, or none when absent (or null). */
  optionalObjects(name: string): WireObject[] {
    return this.get(name) === undefined ? [] : this.objects(name);
  }

  #path(name: string): string {
    return this.#at === '' ? name : `${this.#at}.${name}`;
  }
}
