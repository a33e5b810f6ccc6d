/**
 * Reading and shaping plain objects without casts: a copy readable by name, the JSON-object
 * test, narrowing to an enumerated value, and dropping undefined fields from payloads and
 * outputs. Pure functions only.
 */

/**
 * A plain copy of an object's own fields, readable by name: what table-driven code (diff specs,
 * key lists, validation) works on. A copy, not an assertion, so typed inputs and outputs need
 * no cast to be read by property name.
 */
export function fields(value: object): Record<string, unknown> {
    return Object.fromEntries(Object.entries(value));
}

/** True for a JSON object (not an array, not null): lets untyped input be read by name without a cast. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** True when `value` is one of `list`: narrows an untyped value to an enumerated type without a cast. */
export function isOneOf<T>(list: readonly T[], value: unknown): value is T {
    return list.some((x) => x === value);
}

/** Drops undefined values so payloads and outputs stay minimal. */
export function compact<T extends Record<string, unknown>>(value: T): T {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
    return out as T;
}
