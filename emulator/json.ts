/**
 * Parsed JSON the emulator reads without a schema type of its own (the OpenAPI document, the
 * objects of the generic layer, control bodies): `unknown`, read through these helpers so that
 * every access is checked instead of trusted.
 */

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/**
 * Any parsed JSON value: `unknown` in the form object spread accepts (`{...v}`), so code that spreads
 * a value copies what it copies at run time (nothing of null or a number, an array's items).
 */
export type JsonValue = NonNullable<unknown> | null | undefined;

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** `v?.[key]` of any value: undefined for null and undefined, the member otherwise (an array's `length`, too). */
export function member(v: unknown, key: string): unknown {
    if (v === null || v === undefined) return undefined;
    // Reading a member of an arbitrary JavaScript value, exactly as `v?.[key]` does; the result stays unknown.
    return (v as Record<string, unknown>)[key];
}

/** `Object.entries` of any object, its values unknown (the library types them `any`). */
export const entriesOf = (o: object): [string, unknown][] => Object.entries(o);
