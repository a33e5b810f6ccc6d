/**
 * The read functions on the plugin face: `invoke` of `clickhouse-cloud:index:getService` and the
 * others. Each calls the function of the same name in provider/functions.ts (the one
 * implementation both faces share) with the provider's configuration (`configure`, else the
 * environment) as its credentials. This file only maps the engine's input bag to the function's
 * parameters, checks the inputs against the schema before any API call, and shapes the result as
 * the schema's outputs say (plain JSON, secrets wrapped).
 *
 * scripts/gen-schema.js reads {@link PLUGIN_FUNCTIONS} and the signatures of provider/functions.ts
 * to write the schema's `functions`, and refuses a row whose parameters are not the function's.
 */
import { currentConfig } from "../config";
import * as fns from "../functions";
import { secret, unwrapSecrets } from "./secrets";
import { PACKAGE } from "./tokens";
import SCHEMA from "./schema.json";

/**
 * How each read function is called from an invoke. `params`: the function's positional
 * parameters before `opts`, in order, each an input of the same name. `args`: the function takes
 * one object of arguments instead, whose fields are the inputs. `result`: the output that holds
 * the return value when it is not an object (a list, a text); an object's fields are the outputs
 * themselves. `secretsOf`: the resource whose table marks which of the returned API fields are
 * secret (read by scripts/gen-schema.js only).
 */
export const PLUGIN_FUNCTIONS = {
    getService: { params: ["serviceId"], secretsOf: "Service" },
    listServices: { args: true, result: "services", secretsOf: "Service" },
    listBackups: { params: ["serviceId"], result: "backups" },
    getBackup: { params: ["serviceId", "backupId"] },
    getBackupConfiguration: { params: ["serviceId"] },
    getPrometheusMetrics: { args: true, result: "metrics" },
    getPrivateEndpointConfig: { params: ["serviceId"] },
} as const satisfies Record<string, FunctionRow>;

interface FunctionRow {
    params?: readonly string[];
    args?: true;
    result?: string;
    secretsOf?: string;
}

/** The name of a read function the plugin face serves (`getService`, ...). */
export type PluginFunction = keyof typeof PLUGIN_FUNCTIONS;

/** The token of a read function: `clickhouse-cloud:index:getService`. */
export const functionToken = (name: PluginFunction): string => `${PACKAGE}:index:${name}`;

/** Every function token this provider serves, in the table's order. */
export const FUNCTION_TOKENS: readonly string[] = (Object.keys(PLUGIN_FUNCTIONS) as PluginFunction[]).map(functionToken);

// ---------------------------------------------------------------------------------------------
// The schema's view of the values

interface TypeSpec {
    type?: string;
    $ref?: string;
    items?: TypeSpec;
    additionalProperties?: TypeSpec;
    secret?: boolean;
    enum?: { value: unknown }[];
    properties?: Record<string, TypeSpec>;
    required?: string[];
}
interface ObjectSpec {
    properties?: Record<string, TypeSpec>;
    required?: string[];
}

const schemaTypes = SCHEMA.types as Record<string, TypeSpec>;
const schemaFunctions = (SCHEMA as unknown as { functions?: Record<string, { inputs?: ObjectSpec; outputs: ObjectSpec }> }).functions ?? {};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The type a `$ref` to `#/types/...` names; undefined for `pulumi.json#/Any` and plain types. */
function referenced(spec: TypeSpec): TypeSpec | undefined {
    return spec.$ref?.startsWith("#/types/") ? schemaTypes[spec.$ref.slice("#/types/".length)] : undefined;
}

/** What a value of `spec` should be, for an error message. */
function expected(spec: TypeSpec): string {
    const ref = referenced(spec) ?? spec;
    if (ref.enum) return `one of ${ref.enum.map((e) => JSON.stringify(e.value)).join(", ")}`;
    if (ref.type === "array") return "a list";
    if (ref.type === "object" || ref.properties) return "an object";
    if (ref.type === "integer") return "a whole number";
    return ref.type ? `a ${ref.type}` : "any value";
}

/** The problems of `value` against `spec`, each naming the argument by its path. */
function problemsOf(value: unknown, spec: TypeSpec, at: string): string[] {
    const ref = referenced(spec) ?? spec;
    if (ref.enum) return ref.enum.some((e) => e.value === value) ? [] : [`"${at}" must be ${expected(spec)}, not ${JSON.stringify(value)}`];
    const wrong = [`"${at}" must be ${expected(spec)}, not ${JSON.stringify(value)}`];
    switch (ref.type) {
        case "string":
            if (typeof value !== "string") return wrong;
            return value.trim() === "" ? [`"${at}" must not be empty`] : [];
        case "boolean":
            return typeof value === "boolean" ? [] : wrong;
        case "integer":
            return Number.isInteger(value) ? [] : wrong;
        case "number":
            return typeof value === "number" && Number.isFinite(value) ? [] : wrong;
        case "array":
            return Array.isArray(value) ? value.flatMap((v, i) => problemsOf(v, ref.items ?? {}, `${at}[${i}]`)) : wrong;
    }
    if (ref.properties) return isObject(value) ? objectProblems(value, ref, `${at}.`) : wrong;
    return [];
}

function objectProblems(values: Record<string, unknown>, spec: ObjectSpec, prefix: string): string[] {
    const properties = spec.properties ?? {};
    const known = Object.keys(properties);
    const problems: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        if (!(key in properties))
            problems.push(
                `unknown argument "${prefix}${key}"; expected ${known.length > 0 ? known.map((k) => `"${prefix}${k}"`).join(", ") : "none"}`,
            );
        else if (value !== undefined && value !== null) problems.push(...problemsOf(value, properties[key], `${prefix}${key}`));
    }
    for (const key of spec.required ?? []) {
        if (values[key] === undefined || values[key] === null) problems.push(`missing required argument "${prefix}${key}"`);
    }
    return problems;
}

/** `value` as the schema's outputs describe it: only the declared fields, no nulls, secrets wrapped. */
function shape(value: unknown, spec: TypeSpec | undefined): unknown {
    if (value === undefined || value === null || spec === undefined) return undefined;
    const ref = referenced(spec) ?? spec;
    let out: unknown;
    if (Array.isArray(value)) out = value.map((v) => shape(v, spec.items ?? ref.items) ?? null);
    else if (isObject(value) && ref.properties) out = shapeObject(value, ref);
    else if (isObject(value) && spec.additionalProperties)
        out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v, spec.additionalProperties)]));
    else out = isObject(value) ? JSON.parse(JSON.stringify(value)) : value;
    return spec.secret ? secret(out) : out;
}

function shapeObject(values: Record<string, unknown>, spec: ObjectSpec): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(spec.properties ?? {})) {
        const v = shape(values[key], prop);
        if (v !== undefined) out[key] = v;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Invoke

/** The credentials of a call: the provider's configuration in force (set by `configure`, else the environment). */
function pluginConfig(): fns.FunctionConfig {
    const c = currentConfig();
    return { organizationId: c.organizationId, tokenKey: c.keyId, tokenSecret: c.keySecret, apiUrl: c.apiUrl };
}

/** The name of the function a token names; an unknown token is an error that lists the accepted ones. */
export function functionOf(token: string): PluginFunction {
    const name = Object.keys(PLUGIN_FUNCTIONS).find((n) => functionToken(n as PluginFunction) === token) as PluginFunction | undefined;
    if (!name || !schemaFunctions[token])
        throw new Error(`${PACKAGE}: unknown function "${token}"; this provider serves ${FUNCTION_TOKENS.join(", ")}.`);
    return name;
}

/**
 * Calls the read function `token` names with the engine's input bag, and answers its outputs.
 * The inputs are checked against the schema first (an unknown, missing or mistyped argument is
 * an error that names it, before any API call); the result is plain JSON with only the fields
 * the schema declares, and the secret ones wrapped as the engine expects.
 */
export async function invokeFunction(token: string, inputs: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const name = functionOf(token);
    const spec = schemaFunctions[token];
    const given = Object.fromEntries(Object.entries(unwrapSecrets(inputs ?? {})).filter(([, v]) => v !== undefined && v !== null));
    const problems = objectProblems(given, spec.inputs ?? {}, "");
    if (problems.length > 0) throw new Error(`${token}: ${problems.join("; ")}`);

    const row: FunctionRow = PLUGIN_FUNCTIONS[name];
    const args = row.args ? [given] : (row.params ?? []).map((p) => given[p]);
    const call = fns[name] as (...a: unknown[]) => Promise<unknown>;
    const value = await call(...args, { config: pluginConfig() });
    // A round trip through JSON: dates, class instances and undefined fields become what the wire carries.
    const plain = JSON.parse(JSON.stringify(value ?? null)) as unknown;
    return shapeObject(row.result ? { [row.result]: plain } : isObject(plain) ? plain : {}, spec.outputs);
}
