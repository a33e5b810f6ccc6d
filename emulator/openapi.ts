import * as fs from "fs";
import * as path from "path";
import type { ErrorObject, ValidateFunction } from "ajv";
import type * as Ajv2020Module from "ajv/dist/2020";
import { badRequest } from "./errors";
import { isObject, member } from "./json";
import { describeValue } from "./validation";

/**
 * The official OpenAPI document, read at run time (never copied into the repository): the build
 * puts a copy beside the compiled emulator (`dist/emulator/openapi.json`); from source, or when
 * that copy is missing, it is found as `shared/reference/clickhouse-cloud-openapi.json` next to an
 * ancestor directory (the project's layout), or at `CLICKHOUSE_EMULATOR_OPENAPI`.
 */
export const OPENAPI_FILE = "clickhouse-cloud-openapi.json";

/** A schema of the document: the JSON Schema keywords the emulator reads (any other is left to ajv). */
export interface SchemaObject {
    $ref?: string;
    type?: string | string[];
    enum?: unknown[];
    const?: unknown;
    default?: unknown;
    example?: unknown;
    examples?: unknown[];
    format?: string;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    multipleOf?: number;
    items?: SchemaObject;
    minItems?: number;
    maxItems?: number;
    uniqueItems?: boolean;
    properties?: Record<string, SchemaObject>;
    required?: string[];
    additionalProperties?: boolean | SchemaObject;
    minProperties?: number;
    allOf?: SchemaObject[];
    oneOf?: SchemaObject[];
    anyOf?: SchemaObject[];
}

/** The media types of a request body or an answer. */
type Content = Record<string, { schema?: unknown } | undefined>;

/** An operation of the document: what the generic layer reads of it. */
export interface OperationObject {
    parameters?: { name: string; in: string; required?: boolean }[];
    requestBody?: { content?: Content };
    responses?: Record<string, { content?: Content } | undefined>;
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type PathItem = Partial<Record<(typeof HTTP_METHODS)[number], OperationObject>>;

export interface OpenApiDoc {
    paths: Record<string, PathItem>;
    components: { schemas: Record<string, SchemaObject | undefined> };
}

/** Where the document is, or undefined. */
export function findOpenApi(env: NodeJS.ProcessEnv = process.env, from = __dirname): string | undefined {
    const candidates: string[] = [];
    if (env.CLICKHOUSE_EMULATOR_OPENAPI) candidates.push(env.CLICKHOUSE_EMULATOR_OPENAPI);
    candidates.push(path.join(from, "openapi.json"));
    for (let dir = from; ; dir = path.dirname(dir)) {
        candidates.push(path.join(dir, "shared", "reference", OPENAPI_FILE));
        if (path.dirname(dir) === dir) break;
    }
    return candidates.find((c) => fs.existsSync(c));
}

let cached: { file: string; doc: OpenApiDoc } | undefined;

/** The document (parsed once per process), or undefined when it cannot be found. */
export function openApi(): OpenApiDoc | undefined {
    const file = findOpenApi();
    if (!file) return undefined;
    if (cached?.file !== file) {
        // The official document, whose shape these types describe; only the parts the emulator reads are typed.
        const doc = JSON.parse(fs.readFileSync(file, "utf8")) as OpenApiDoc;
        relaxAmbiguousOneOf(doc);
        cached = { file, doc };
    }
    return cached.doc;
}

/**
 * The spec's credential unions (e.g. Kafka `credentials: oneOf [PLAIN, MskIamUser, ...]`) list
 * object schemas without `required`, so every object matches every branch and a strict `oneOf`
 * refuses all of them: such unions are read as `anyOf` (in memory), which is what they mean.
 */
function relaxAmbiguousOneOf(doc: OpenApiDoc): void {
    const schemas = doc.components.schemas;
    const loose = (s: unknown) => {
        const ref = member(s, "$ref");
        return typeof ref === "string" && ref !== "" && !schemas[ref.split("/").pop() ?? ""]?.required;
    };
    const walk = (x: unknown) => {
        if (!x || typeof x !== "object") return;
        if (isObject(x) && Array.isArray(x.oneOf) && x.oneOf.filter(loose).length > 1) {
            x.anyOf = x.oneOf;
            delete x.oneOf;
        }
        Object.values(x).forEach(walk);
    };
    walk(doc);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const FORMATS: Record<string, (s: string) => boolean> = {
    uuid: (s) => UUID_RE.test(s),
    "date-time": (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s) && !isNaN(Date.parse(s)),
    date: (s) => /^\d{4}-\d\d-\d\d$/.test(s) && !isNaN(Date.parse(s)),
    email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
    uri: (s) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(s),
    hostname: (s) => /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(s),
    password: () => true,
    boolean: (s) => s === "true" || s === "false",
};

let ajvInstance: Ajv2020Module.default | undefined;

/** ajv for JSON Schema 2020-12 with the document registered as `openapi.json` (loaded on first use). */
function ajv(): Ajv2020Module.default {
    if (ajvInstance) return ajvInstance;
    const doc = openApi();
    if (!doc) throw new Error("emulator: the OpenAPI document is not available");
    // Required here, not imported, so that ajv loads only once a validator is needed; `require` answers no type.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: Ajv2020 } = require("ajv/dist/2020") as typeof Ajv2020Module;
    const instance = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
    for (const [name, check] of Object.entries(FORMATS)) instance.addFormat(name, check);
    instance.addSchema(doc, "openapi.json");
    ajvInstance = instance;
    return instance;
}

const escape = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
/** JSON pointer (`/paths/~1v1~1organizations/get/...`) from its segments. */
export const pointer = (...parts: string[]) => "/" + parts.map(escape).join("/");

const compiled = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer into the document. */
export function validatorAt(ptr: string): ValidateFunction {
    let v = compiled.get(ptr);
    if (!v) {
        v = ajv().compile({
            $ref:
                "openapi.json#" +
                ptr
                    .split("/")
                    .map((p) => encodeURIComponent(p))
                    .join("/"),
        });
        compiled.set(ptr, v);
    }
    return v;
}

/** The value at a JSON pointer. */
export function at(doc: OpenApiDoc, ptr: string): unknown {
    let x: unknown = doc;
    for (const raw of ptr.split("/").slice(1)) x = member(x, raw.replace(/~1/g, "/").replace(/~0/g, "~"));
    return x;
}

/** The schema at a JSON pointer (undefined when the pointer lands on no object). */
export function schemaAt(doc: OpenApiDoc, ptr: string): SchemaObject | undefined {
    const s = at(doc, ptr);
    // An object a pointer into the document's schemas lands on is a schema: SchemaObject types the keywords read of it.
    return isObject(s) ? (s as SchemaObject) : undefined;
}

/** `a/0/b` as the API names it in messages: `.a[0].b`. */
function fieldPath(instancePath: string): string {
    return instancePath
        .split("/")
        .slice(1)
        .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p.replace(/~1/g, "/").replace(/~0/g, "~")}`))
        .join("");
}

function valueAt(value: unknown, instancePath: string): unknown {
    let x = value;
    for (const p of instancePath.split("/").slice(1)) x = member(x, p.replace(/~1/g, "/").replace(/~0/g, "~"));
    return x;
}

/** The API's style of message for the first error: `request body.entries[0].startHourUtc: The value must be ... <number:30>`. */
export function describeError(e: ErrorObject, value: unknown, where: string): string {
    const p = where + fieldPath(e.instancePath);
    const v = valueAt(value, e.instancePath);
    const params: Record<string, unknown> = e.params;
    switch (e.keyword) {
        case "required":
            return `${p}.${params.missingProperty}: The field is required`;
        case "additionalProperties":
            return `${p}.${params.additionalProperty}: Unknown field`;
        case "type":
            return `${p}: The value must be ${params.type === "integer" ? "an integer" : `a ${params.type}`} ${describeValue(v)}`;
        case "enum": {
            const allowed: unknown[] = Array.isArray(params.allowedValues) ? params.allowedValues : [];
            return `${p}: The value must be one of ${allowed.map((x) => `'${x}'`).join(", ")} ${describeValue(v)}`;
        }
        case "const":
            return `${p}: The value must be ${JSON.stringify(params.allowedValue)} ${describeValue(v)}`;
        case "minimum":
            return `${p}: The value must be greater than or equal to ${params.limit} ${describeValue(v)}`;
        case "maximum":
            return `${p}: The value must be less than or equal to ${params.limit} ${describeValue(v)}`;
        case "exclusiveMinimum":
            return `${p}: The value must be greater than ${params.limit} ${describeValue(v)}`;
        case "multipleOf":
            return `${p}: The value must be a multiple of ${params.multipleOf} ${describeValue(v)}`;
        case "minLength":
            return `${p}: The string must be at least ${params.limit} characters long ${describeValue(v)}`;
        case "maxLength":
            return `${p}: The string must be at most ${params.limit} characters long ${describeValue(v)}`;
        case "pattern":
            return `${p}: The string must match the pattern ${params.pattern} ${describeValue(v)}`;
        case "format":
            return `${p}: The value must be a valid ${params.format} ${describeValue(v)}`;
        case "minItems":
            return `${p}: The array must contain at least ${params.limit} items`;
        case "maxItems":
            return `${p}: The array must contain at most ${params.limit} items`;
        default:
            return `${p}: The value ${e.message ?? "is invalid"} ${describeValue(v)}`;
    }
}

/** Throws a 400 naming the first field of `value` that breaks the schema at `ptr`. */
export function validateAt(ptr: string, value: unknown, where = "request body"): void {
    const v = validatorAt(ptr);
    if (!v(value)) throw badRequest(describeError(v.errors![0], value, where));
}
