/**
 * Mutations of real JSON documents (reports, model files) for the validators' property tests: every
 * field's path, the field classes (paths with the indices left out), values of the wrong type, and
 * the check that a refusal names the field.
 */

export type Key = string | number;
export type Path = Key[];

export interface Field {
  path: Path;
  value: unknown;
}

/** Every field of a JSON value, containers and leaves, depth first. */
export function fields(x: unknown, path: Path = [], out: Field[] = []): Field[] {
  if (path.length > 0) out.push({ path, value: x });
  if (Array.isArray(x)) x.forEach((v, i) => fields(v, [...path, i], out));
  else if (typeof x === 'object' && x !== null) for (const [k, v] of Object.entries(x)) fields(v, [...path, k], out);
  return out;
}

/** `input.columns[2]`: the validators' form of a path. */
export function formatPath(path: Path): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

/** The field's class: its path with every index left out (`action.terms[].coefficient`). */
export function fieldClass(path: Path): string {
  return formatPath(path.map((k) => (typeof k === 'number' ? -1 : k))).replace(/\[-1\]/g, '[]');
}

/** One field of each class (the first met), so that every kind of field is tried. */
export function oneOfEachClass(all: Field[]): Field[] {
  const seen = new Map<string, Field>();
  for (const f of all) if (!seen.has(fieldClass(f.path))) seen.set(fieldClass(f.path), f);
  return [...seen.values()];
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** A copy of `root` with the field at `path` replaced (`undefined` deletes it). */
export function withValue<T>(root: T, path: Path, value: unknown): T {
  const copy = clone(root) as unknown;
  let node = copy as Record<Key, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<Key, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy as T;
}

/** Values of another JSON type than `value` (and, for numbers, the non-finite ones JSON cannot hold). */
export function wrongValues(value: unknown): unknown[] {
  if (typeof value === 'number') return [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, String(value), true, {}, [value]];
  if (typeof value === 'string') return [1, false, null, {}, [value]];
  if (typeof value === 'boolean') return [String(value), 1, null, {}];
  if (Array.isArray(value)) return ['[]', 0, null, {}];
  // null stands for a non-finite number (or no value): an object or a text in its place is wrong.
  if (value === null) return ['{}', true, []];
  return ['{}', 0, null, [], true];
}

/** Whether one of the errors (`path: what`) names the mutated field, a field inside it, or a container of it. */
export function namesField(errors: readonly string[], path: Path): boolean {
  const p = formatPath(path);
  return errors.some((e) => {
    const at = e.slice(0, e.indexOf(': ') < 0 ? e.length : e.indexOf(': '));
    return at === p || at.startsWith(`${p}.`) || at.startsWith(`${p}[`) || p.startsWith(`${at}.`) || p.startsWith(`${at}[`);
  });
}

/** Object.prototype's own property names, to compare before and after (a polluted prototype gains one). */
export function prototypeKeys(): string {
  return Object.getOwnPropertyNames(Object.prototype).sort().join(',');
}
