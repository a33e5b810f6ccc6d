import { randomUUID } from "crypto";
import { entriesOf, isObject } from "./json";
import { FORMATS, OpenApiDoc, SchemaObject, schemaAt, validatorAt } from "./openapi";

/**
 * Values shaped by the OpenAPI document, for the operations the emulator answers generically:
 * `shape(ptr, value)` keeps what `value` has that the schema at `ptr` allows and fills every
 * required field the schema asks for (its example, default, first enum value, a fresh UUID or
 * timestamp...), so the answer is valid by construction. `synthesize(ptr)` is `shape(ptr, undefined)`.
 */

export interface ShapeContext {
    doc: OpenApiDoc;
    now: number;
}

/** Follows `$ref`s: the schema and its pointer. */
function resolve(doc: OpenApiDoc, ptr: string): { s: SchemaObject; ptr: string } {
    let s = schemaAt(doc, ptr);
    for (let i = 0; s && typeof s.$ref === "string" && i < 32; i++) {
        ptr = s.$ref.replace(/^#/, "");
        s = schemaAt(doc, ptr);
    }
    return { s: s ?? {}, ptr };
}

const typesOf = (s: SchemaObject): string[] =>
    Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ["object"] : s.items ? ["array"] : [];

function fitsString(s: SchemaObject, v: string): boolean {
    if (s.enum && !s.enum.includes(v)) return false;
    if (s.const !== undefined && s.const !== v) return false;
    if (s.minLength !== undefined && v.length < s.minLength) return false;
    if (s.maxLength !== undefined && v.length > s.maxLength) return false;
    if (s.pattern && !new RegExp(s.pattern, "u").test(v)) return false;
    if (s.format && FORMATS[s.format] && !FORMATS[s.format](v)) return false;
    return true;
}

function fitsNumber(s: SchemaObject, v: number, integer: boolean): boolean {
    if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) return false;
    if (s.enum && !s.enum.includes(v)) return false;
    if (s.const !== undefined && s.const !== v) return false;
    if (s.minimum !== undefined && v < s.minimum) return false;
    if (s.maximum !== undefined && v > s.maximum) return false;
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return false;
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return false;
    if (s.multipleOf !== undefined && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) return false;
    return true;
}

function synthString(s: SchemaObject, ctx: ShapeContext): string {
    for (const candidate of [s.example, s.default, ...(s.examples ?? [])])
        if (typeof candidate === "string" && fitsString(s, candidate)) return candidate;
    switch (s.format) {
        case "uuid":
            return randomUUID();
        case "date-time":
            return new Date(ctx.now).toISOString();
        case "date":
            return new Date(ctx.now).toISOString().slice(0, 10);
        case "email":
            return "user@example.com";
        case "uri":
            return "https://example.com/";
        case "hostname":
            return "example.com";
        case "boolean":
            return "false";
    }
    for (const candidate of ["example", "Example", "x", "example.com", "0", "a1", "1.0"]) {
        const padded = s.minLength && candidate.length < s.minLength ? candidate.padEnd(s.minLength, "x") : candidate;
        if (fitsString(s, padded)) return padded;
    }
    return "x".repeat(s.minLength ?? 1);
}

function synthNumber(s: SchemaObject, integer: boolean): number {
    for (const candidate of [s.example, s.default])
        if (typeof candidate === "number" && fitsNumber(s, candidate, integer)) return candidate;
    let v =
        s.minimum ??
        (s.exclusiveMinimum !== undefined
            ? s.exclusiveMinimum + (integer ? 1 : 0.5)
            : s.maximum !== undefined
              ? Math.min(0, s.maximum)
              : 0);
    if (s.multipleOf) v = Math.ceil(v / s.multipleOf) * s.multipleOf;
    if (integer) v = Math.ceil(v);
    return v;
}

const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** An object schema with its `allOf` parts folded in: each property with the pointer of its own schema. */
interface ObjectView {
    props: Map<string, string>;
    required: Set<string>;
    additional?: string | true;
    minProperties?: number;
    type?: SchemaObject["type"];
}

function objectView(doc: OpenApiDoc, ptr: string, seen = 0): ObjectView {
    const { s, ptr: p } = resolve(doc, ptr);
    const view: ObjectView = { props: new Map(), required: new Set(s.required ?? []), minProperties: s.minProperties, type: s.type };
    for (const k of Object.keys(s.properties ?? {})) view.props.set(k, `${p}/properties/${esc(k)}`);
    if (s.additionalProperties === true || (s.additionalProperties && typeof s.additionalProperties === "object")) {
        view.additional = s.additionalProperties === true ? true : `${p}/additionalProperties`;
    }
    if (Array.isArray(s.allOf) && seen < 16) {
        s.allOf.forEach((_, i) => {
            const part = objectView(doc, `${p}/allOf/${i}`, seen + 1);
            for (const [k, v] of part.props) view.props.set(k, v);
            for (const k of part.required) view.required.add(k);
            view.additional ??= part.additional;
            view.type ??= part.type;
        });
    }
    return view;
}

/** The value shaped by the schema at `ptr`; `value` undefined synthesizes one. */
export function shape(ctx: ShapeContext, ptr: string, value: unknown, depth = 0): unknown {
    const { doc } = ctx;
    const r = resolve(doc, ptr);
    let s = r.s;
    ptr = r.ptr;
    if (depth > 24) return undefined;
    if (s.allOf && !s.type) s = { ...s, type: objectView(doc, ptr).type ?? "object" };
    const union = s.oneOf ? (["oneOf", s.oneOf] as const) : s.anyOf ? (["anyOf", s.anyOf] as const) : undefined;
    if (union) return shapeUnion(ctx, ptr, union[0], union[1].length, value, depth);
    if (s.const !== undefined) return s.const;
    const types = typesOf(s);
    if (value === null && types.includes("null")) return null;
    const type = types.find((t) => t !== "null") ?? (types.includes("null") ? "null" : undefined);
    switch (type) {
        case "null":
            return null;
        case "string":
            return typeof value === "string" && fitsString(s, value) ? value : s.enum ? s.enum[0] : synthString(s, ctx);
        case "integer":
        case "number": {
            const integer = type === "integer";
            if (typeof value === "number" && fitsNumber(s, value, integer)) return value;
            return s.enum ? s.enum[0] : synthNumber(s, integer);
        }
        case "boolean":
            return typeof value === "boolean"
                ? value
                : typeof s.default === "boolean"
                  ? s.default
                  : typeof s.example === "boolean"
                    ? s.example
                    : false;
        case "array": {
            const items = s.items ? `${ptr}/items` : undefined;
            let list: unknown[] =
                Array.isArray(value) && items ? value.map((v) => shape(ctx, items, v, depth + 1)).filter((v) => v !== undefined) : [];
            if (s.maxItems !== undefined) list = list.slice(0, s.maxItems);
            while (items && list.length < (s.minItems ?? 0)) list.push(shape(ctx, items, undefined, depth + 1));
            if (s.uniqueItems) list = list.filter((v, i) => list.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
            return list;
        }
        case "object": {
            const src = isObject(value) ? value : {};
            const view = objectView(doc, ptr);
            const out: Record<string, unknown> = {};
            for (const [k, p] of view.props) {
                if (src[k] !== undefined) {
                    const v = shape(ctx, p, src[k], depth + 1);
                    if (v !== undefined) out[k] = v;
                } else if (view.required.has(k)) out[k] = shape(ctx, p, undefined, depth + 1);
            }
            if (view.additional !== undefined && view.props.size === 0) {
                for (const [k, v] of Object.entries(src)) out[k] = view.additional === true ? v : shape(ctx, view.additional, v, depth + 1);
            }
            for (const [k, p] of view.props) {
                if (view.minProperties === undefined || Object.keys(out).length >= view.minProperties) break;
                if (out[k] === undefined) out[k] = shape(ctx, p, undefined, depth + 1);
            }
            // A map (additionalProperties only) that must not be empty: take the schema's example entries.
            if (
                view.minProperties !== undefined &&
                Object.keys(out).length < view.minProperties &&
                s.example &&
                typeof s.example === "object" &&
                view.additional !== undefined
            ) {
                for (const [k, v] of entriesOf(s.example))
                    if (out[k] === undefined) out[k] = view.additional === true ? v : shape(ctx, view.additional, v, depth + 1);
            }
            return out;
        }
        default:
            return value;
    }
}

/**
 * A union: the branch whose shaped value the document accepts for the whole union (so a value
 * that fits several `oneOf` branches is never chosen); branches that fit the given value first.
 */
function shapeUnion(ctx: ShapeContext, ptr: string, kind: "oneOf" | "anyOf", n: number, value: unknown, depth: number): unknown {
    const whole = validatorAt(ptr);
    const branches = Array.from({ length: n }, (_, i) => `${ptr}/${kind}/${i}`);
    const fitting = value === undefined ? [] : branches.filter((b) => validatorAt(b)(value));
    for (const b of [...fitting, ...branches]) {
        const candidate = shape(ctx, b, value, depth + 1);
        if (whole(candidate)) return candidate;
    }
    return shape(ctx, branches[0], value, depth + 1);
}

/** A value for the schema at `ptr`, built from nothing. */
export function synthesize(ctx: ShapeContext, ptr: string): unknown {
    return shape(ctx, ptr, undefined);
}
