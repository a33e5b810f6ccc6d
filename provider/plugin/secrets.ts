/**
 * Secrets on the wire of a plugin provider. The Node SDK's provider server accepts secrets, so
 * the engine hands over secret values wrapped (`{ [SIG]: SECRET_SIG, value }`) and records a
 * value as secret only if it comes back wrapped. The handlers work on plain values: inputs are
 * unwrapped on the way in, and what the schema marks secret is wrapped on the way out.
 */
import SCHEMA from "./schema.json";

/** The signature key and value of a secret in the engine's JSON (`resource.SecretSig`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface PropertySpec {
    secret?: boolean;
    $ref?: string;
    type?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
}
type Properties = Record<string, PropertySpec>;

const types = SCHEMA.types as Record<string, { properties?: Properties }>;
const resources = SCHEMA.resources as Record<string, { properties: Properties; inputProperties: Properties }>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** True for a secret as the engine sends it. */
export function isSecret(v: unknown): v is { value: unknown } {
    return isObject(v) && v[SIG] === SECRET_SIG;
}

/** A value as the engine sends a secret. */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIG]: SECRET_SIG, value };
}

/** The value with every secret wrapper removed, deep. */
export function unwrapSecrets<T>(value: T): T {
    if (isSecret(value)) return unwrapSecrets(value.value) as T;
    if (Array.isArray(value)) return value.map(unwrapSecrets) as T;
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)])) as T;
    return value;
}

function markValue(value: unknown, spec: PropertySpec | undefined): unknown {
    if (value === undefined || value === null || spec === undefined) return value;
    if (spec.secret) return isSecret(value) ? value : secret(value);
    if (Array.isArray(value)) return value.map((v) => markValue(v, spec.items));
    if (!isObject(value)) return value;
    if (spec.additionalProperties)
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markValue(v, spec.additionalProperties)]));
    const ref = spec.$ref?.startsWith("#/types/") ? types[spec.$ref.slice("#/types/".length)] : undefined;
    return ref?.properties ? markProperties(value, ref.properties) : value;
}

function markProperties(values: Record<string, unknown>, properties: Properties): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, markValue(v, properties[k])]));
}

/** `values` with what the schema marks secret (top level and nested) wrapped as secrets. */
export function markSecrets(token: string, values: Record<string, unknown>, side: "inputs" | "outputs"): Record<string, unknown> {
    const r = resources[token];
    if (!r) return values;
    return markProperties(values, side === "inputs" ? r.inputProperties : r.properties);
}
