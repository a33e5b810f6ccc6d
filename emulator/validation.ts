import { badRequest } from "./errors";
import { isObject } from "./json";

/**
 * A small subset of JSON Schema, enough for the request bodies the emulator accepts. Errors read like
 * the real API's: `request body.minTotalMemoryGb: The value must be a multiple of 12 <number:32>`.
 */
export type Schema =
    | {
          type: "string";
          enum?: readonly string[];
          minLength?: number;
          maxLength?: number;
          pattern?: RegExp;
          format?: "uuid" | "hostname";
          nullable?: boolean;
      }
    | { type: "number" | "integer"; minimum?: number; maximum?: number; multipleOf?: number; nullable?: boolean }
    | { type: "boolean"; nullable?: boolean }
    | { type: "array"; items: Schema; minItems?: number; maxItems?: number; uniqueItems?: boolean; nullable?: boolean }
    | {
          type: "object";
          properties: Record<string, Schema>;
          required?: readonly string[];
          loose?: boolean;
          nonEmpty?: boolean;
          nullable?: boolean;
      }
    | { type: "any"; nullable?: boolean };

declare const validated: unique symbol;
/**
 * A schema whose accepted values are `T`s: {@link validate} narrows what passes it to T. The body
 * schemas are written from the OpenAPI document (see schemas.ts) and made with {@link objOf}, which
 * checks their fields against the generated type; that the constraints match is the schema's claim.
 */
export type SchemaOf<T> = Schema & { readonly [validated]?: T };
/** T with the keys K present: fields the emulator's schema requires where the document leaves them optional. */
export type WithRequired<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };
/** T whose fields also accept null (a null resets a field where the spec says so). */
export type Nullable<T> = { [K in keyof T]: T[K] | null };

type Opt<T> = Omit<T, "type">;
export const str = (o: Opt<Extract<Schema, { type: "string" }>> = {}): Schema => ({ type: "string", ...o });
export const num = (o: Opt<Extract<Schema, { type: "number" | "integer" }>> = {}): Schema => ({ type: "number", ...o });
export const int = (o: Opt<Extract<Schema, { type: "number" | "integer" }>> = {}): Schema => ({ type: "integer", ...o });
export const bool = (): Schema => ({ type: "boolean" });
export const anything = (): Schema => ({ type: "any" });
export const arr = (items: Schema, o: Omit<Opt<Extract<Schema, { type: "array" }>>, "items"> = {}): Schema => ({
    type: "array",
    items,
    ...o,
});
export const obj = (properties: Record<string, Schema>, o: Omit<Opt<Extract<Schema, { type: "object" }>>, "properties"> = {}): Schema => ({
    type: "object",
    properties,
    ...o,
});
export const nullable = (s: Schema): Schema => ({ ...s, nullable: true });

/**
 * `obj` for values of type T (given explicitly): `properties` must name exactly T's fields, and the
 * fields listed in `required` (R) are present in the validated type.
 */
export function objOf<T extends object, R extends keyof T & string = never>(
    properties: { [K in keyof NoInfer<T>]-?: Schema },
    o: Omit<Opt<Extract<Schema, { type: "object" }>>, "properties" | "required"> & { required?: readonly R[] } = {},
): SchemaOf<WithRequired<T, R>> {
    return obj(properties, o);
}

/** `<number:32>`-style rendering of the offending value. */
export function describeValue(v: unknown): string {
    if (v === null) return "<null>";
    if (Array.isArray(v)) return "<array>";
    if (typeof v === "object") return "<object>";
    return `<${typeof v}:${String(v)}>`;
}

function fail(path: string, msg: string, value?: unknown, showValue = true): never {
    throw badRequest(`${path}: ${msg}${showValue ? " " + describeValue(value) : ""}`);
}

const HOSTNAME_RE = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws a 400 ApiError naming the first field that breaks the schema; a value that passes is a T. */
export function validate<T>(schema: SchemaOf<T>, value: unknown, path = "request body"): asserts value is T {
    if (value === null) {
        if (schema.nullable || schema.type === "any") return;
        fail(path, "The value must not be null", value, false);
    }
    switch (schema.type) {
        case "any":
            return;
        case "string": {
            if (typeof value !== "string") fail(path, "The value must be a string", value);
            if (schema.enum && !schema.enum.includes(value))
                fail(path, `The value must be one of ${schema.enum.map((e) => `'${e}'`).join(", ")}`, value);
            if (schema.minLength !== undefined && value.length < schema.minLength)
                fail(path, `The string must be at least ${schema.minLength} characters long`, value);
            if (schema.maxLength !== undefined && value.length > schema.maxLength)
                fail(path, `The string must be at most ${schema.maxLength} characters long`, value);
            if (schema.pattern && !schema.pattern.test(value))
                fail(path, `The string must match the pattern ${schema.pattern.source}`, value);
            if (schema.format === "uuid" && !UUID_RE.test(value)) fail(path, "The value must be a valid UUID", value);
            if (schema.format === "hostname" && !HOSTNAME_RE.test(value)) fail(path, "The value must be a valid hostname", value);
            return;
        }
        case "number":
        case "integer": {
            if (typeof value !== "number" || !isFinite(value))
                fail(path, `The value must be ${schema.type === "integer" ? "an integer" : "a number"}`, value);
            if (schema.type === "integer" && !Number.isInteger(value)) fail(path, "The value must be an integer", value);
            if (schema.minimum !== undefined && value < schema.minimum)
                fail(path, `The value must be greater than or equal to ${schema.minimum}`, value);
            if (schema.maximum !== undefined && value > schema.maximum)
                fail(path, `The value must be less than or equal to ${schema.maximum}`, value);
            if (schema.multipleOf !== undefined && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9)
                fail(path, `The value must be a multiple of ${schema.multipleOf}`, value);
            return;
        }
        case "boolean":
            if (typeof value !== "boolean") fail(path, "The value must be a boolean", value);
            return;
        case "array": {
            if (!Array.isArray(value)) fail(path, "The value must be an array", value);
            if (schema.minItems !== undefined && value.length < schema.minItems)
                fail(path, `The array must contain at least ${schema.minItems} items`, value, false);
            if (schema.maxItems !== undefined && value.length > schema.maxItems)
                fail(path, `The array must contain at most ${schema.maxItems} items`, value, false);
            if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
                fail(path, "The array items must be unique", value, false);
            value.forEach((v, i) => validate(schema.items, v, `${path}[${i}]`));
            return;
        }
        case "object": {
            if (!isObject(value)) fail(path, "The value must be an object", value);
            const o = value;
            for (const key of schema.required ?? [])
                if (o[key] === undefined) fail(`${path}.${key}`, "The field is required", undefined, false);
            if (schema.nonEmpty && Object.keys(o).length === 0) fail(path, "The object must not be empty", value, false);
            for (const [key, v] of Object.entries(o)) {
                // Own properties only: `properties["constructor"]` would otherwise be Object's constructor.
                const sub: Schema | undefined = Object.prototype.hasOwnProperty.call(schema.properties, key)
                    ? schema.properties[key]
                    : undefined;
                if (!sub) {
                    // Inferred: the API refuses fields it does not know instead of silently ignoring a typo.
                    if (!schema.loose) fail(`${path}.${key}`, "Unknown field", v, false);
                    continue;
                }
                if (v !== undefined) validate(sub, v, `${path}.${key}`);
            }
            return;
        }
    }
}
