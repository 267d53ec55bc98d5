import type { z } from 'zod';

/**
 * Backend answers already parsed with a schema, on their way to the renderer unchanged (a page
 * of users, the locations): the IPC dispatcher does not parse them again with the same schema.
 *
 * So each answer is checked once, where it enters PassDesk: the provisioning client parses it
 * with its route's `shared/api` schema (strict objects: an unknown field, such as a secret a
 * backend echoes, is refused), which for these channels is the very schema of the IPC
 * contract's output. A page of users is first given to the route's quick check
 * (`users-page-check.ts`), which passes only what that schema accepts as it is; the schema
 * parses whatever it does not pass. The parsed value is frozen, deeply, before it is marked, so nothing can
 * add to it between the check and the renderer; a value that is not the marked object itself,
 * or was checked with another schema, is parsed by the dispatcher as before.
 */
const checked = new WeakMap<object, z.ZodType>();

/**
 * Freezes a parsed answer and everything in it. Loops over the object itself, not Object.values:
 * a page holds thousands of users, and an array made for each cost three times as much.
 */
function freezeDeeply(value: object): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const inner of value as unknown[])
      if (typeof inner === 'object' && inner !== null) freezeDeeply(inner);
    return;
  }
  for (const key in value) {
    const inner: unknown = (value as Record<string, unknown>)[key];
    if (typeof inner === 'object' && inner !== null) freezeDeeply(inner);
  }
}

/** Marks `value`, just parsed by `schema`, as checked (and freezes it). */
export function markChecked<T>(value: T, schema: z.ZodType): T {
  if (typeof value !== 'object' || value === null) return value;
  freezeDeeply(value);
  checked.set(value, schema);
  return value;
}

/** True when `value` is an answer `schema` itself has parsed (see `markChecked`). */
export function isCheckedWith(value: unknown, schema: z.ZodType): boolean {
  return typeof value === 'object' && value !== null && checked.get(value) === schema;
}
