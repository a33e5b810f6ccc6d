/**
 * How outputs are built from what the API reports, and what `read` answers when the object is
 * gone. Pure functions only.
 */

/** The `read` answer for an object that no longer exists: the engine drops it from the state. */
export const GONE = { id: "", props: {} } as const;

/** A `read` answer for an object that no longer exists: an empty id (with or without empty props). */
export type Gone = { readonly id: ""; readonly props?: Record<string, never> };

/** Picks the listed keys whose values are set (not undefined/null). */
export function pickSet<T, K extends keyof T>(values: T, keys: readonly K[]): Partial<Pick<T, K>> {
    const out: Partial<Pick<T, K>> = {};
    for (const k of keys) if (values[k] !== undefined && values[k] !== null) out[k] = values[k];
    return out;
}

/**
 * Keeps the order of `previous` when `observed` holds the same items, so a list the API
 * returns in another order does not show up as a change after `refresh`.
 */
export function keepOrder<T>(observed: T[] | undefined, previous: unknown): T[] | undefined {
    if (!Array.isArray(observed) || !Array.isArray(previous)) return observed;
    const key = (x: unknown) => JSON.stringify(x);
    const seen = new Set(observed.map(key));
    if (previous.length !== observed.length || !previous.every((p) => seen.has(key(p)))) return observed;
    return previous as T[];
}
