/**
 * Pieces every resource file shares: preview placeholders, partial-failure errors, input
 * validation that names the property and what is accepted, set-aware comparison, diff
 * assembly and `timeouts` parsing. Pure functions only; nothing here talks to the API.
 */
import { warn as logWarning } from "../log";
import type * as pulumi from "@pulumi/pulumi";
import { isCancellation } from "../cancel";

/**
 * An argument with a fixed vocabulary: one of the API's words, or any string. Editors still
 * offer the words, a value read from the stack configuration (a plain `string`) is accepted, and
 * `check` refuses a word the API does not know, naming the accepted ones.
 */
export type OpenEnum<T extends string> = T | (string & {});

/** The value the engine sends during preview for inputs that are not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The engine-reserved key holding the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Hidden input set by every resource class: `<project>/<stack>/<resource name>`. */
export const CREATION_KEY = "__creation";

/**
 * Hidden input of the resources that look for interrupted creates (Service, ClickPipe): the
 * ownership id of the stack instance, an output of its `clickhouse:StackOwnership` resource, so
 * it is in the state before any of them can be created (see docs/ownership.md).
 */
export const OWNER_KEY = "__owner";

/** True when `value` is, or contains anywhere, a preview placeholder. */
export function isUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(isUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(isUnknown);
    return false;
}

/**
 * Thrown from `create` or `update` when the API accepted the change but what followed failed
 * (typically the wait for a stable state). The dynamic-provider host turns it into a
 * "resource initialization failed" answer, so the engine records the object with `id` and
 * `properties` instead of forgetting it.
 */
export class ResourceInitError extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];
    constructor(id: string, properties: Record<string, unknown>, reasons: string[]) {
        super(reasons.join("; "));
        this.name = "ResourceInitError";
        this.id = id;
        this.properties = properties;
        this.reasons = reasons;
    }
}

/**
 * Builds a {@link ResourceInitError} whose properties keep the serialized provider: without
 * it the engine could not run `read` or `delete` on the recorded object later. When the engine
 * cancelled the run (Ctrl-C), the message says that the object is recorded and what to run next.
 */
export function partialFailure(id: string, outs: object, inputs: object, error: unknown): ResourceInitError {
    let message = error instanceof Error ? error.message : String(error);
    if (isCancellation(error)) message += `; ${id} is recorded in the state: run \`pulumi up\` again to finish`;
    return new ResourceInitError(id, { ...fields(outs), [PROVIDER_KEY]: fields(inputs)[PROVIDER_KEY] }, [message]);
}

// ---------------------------------------------------------------------------------------------
// Validation

/** A failed rule, in the shape `check` returns to the engine. */
export interface CheckFailure {
    property: string;
    reason: string;
}

/** Short printable form of a user value for error messages (secrets must never reach this). */
export function show(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value);
    try {
        const text = JSON.stringify(value);
        return text === undefined ? String(value) : text.length > 80 ? text.slice(0, 77) + "..." : text;
    } catch {
        return String(value);
    }
}

/**
 * Collects failures for one resource. Every rule skips values that are unknown during preview
 * or absent (unless `required`), so the same rules run in preview and in `up`.
 */
export class Validator {
    readonly failures: CheckFailure[] = [];

    constructor(
        /** Resource type name used in messages, for example `clickhouse:Service`. */
        readonly resource: string,
        private readonly values: Record<string, unknown>,
    ) {}

    /** Records a failure for `property` with a full sentence `reason`. */
    fail(property: string, reason: string): void {
        this.failures.push({ property, reason: `${this.resource}: ${reason}` });
    }

    /**
     * For a rule no official source confirms (neither the OpenAPI document nor an official
     * client): shown as a warning, never a failure, since the API itself answers at `up`.
     */
    warn(property: string, reason: string): void {
        logWarning(
            `${this.resource}: ${reason} (warning only: no official source confirms this rule, so the API decides at \`pulumi up\`)`,
        );
        void property;
    }

    /** The value of a (possibly dotted) property, or undefined. */
    value(property: string): unknown {
        let current: unknown = this.values;
        for (const part of property.split(".")) {
            if (current === null || typeof current !== "object") return undefined;
            current = (current as Record<string, unknown>)[part];
        }
        return current;
    }

    /** True when the property is absent (undefined or null) or not known yet. */
    skip(property: string): boolean {
        const v = this.value(property);
        return v === undefined || v === null || isUnknown(v);
    }

    required(property: string, accepted: string): boolean {
        const v = this.value(property);
        if (v === undefined || v === null || v === "") {
            this.fail(property, `"${property}" is required; expected ${accepted}.`);
            return false;
        }
        return true;
    }

    string(
        property: string,
        opts: { required?: boolean; maxLength?: number; pattern?: RegExp; patternText?: string; minLength?: number } = {},
    ): void {
        if (opts.required && !this.required(property, opts.patternText ?? "a string")) return;
        if (this.skip(property)) return;
        const v = this.value(property);
        if (typeof v !== "string") {
            this.fail(property, `"${property}" must be a string, got ${show(v)}.`);
            return;
        }
        const min = opts.minLength ?? (opts.required ? 1 : 0);
        if (v.length < min) {
            this.fail(property, `"${property}" must not be empty.`);
            return;
        }
        if (opts.maxLength !== undefined && v.length > opts.maxLength) {
            this.fail(property, `"${property}" is ${v.length} characters long; at most ${opts.maxLength} are accepted.`);
        }
        if (opts.pattern && !opts.pattern.test(v)) {
            this.fail(property, `"${property}" is ${show(v)}; expected ${opts.patternText ?? `a value matching ${opts.pattern}`}.`);
        }
    }

    oneOf(property: string, accepted: readonly string[], required = false): void {
        if (required && !this.required(property, `one of ${accepted.join(", ")}`)) return;
        if (this.skip(property)) return;
        const v = this.value(property);
        if (typeof v !== "string" || !accepted.includes(v)) {
            this.fail(property, `"${property}" is ${show(v)}; accepted values: ${accepted.join(", ")}.`);
        }
    }

    boolean(property: string): void {
        if (this.skip(property)) return;
        const v = this.value(property);
        if (typeof v !== "boolean") this.fail(property, `"${property}" must be true or false, got ${show(v)}.`);
    }

    /** A number within [min, max], optionally an integer and/or a multiple of `multipleOf`. */
    number(
        property: string,
        opts: { min?: number; max?: number; integer?: boolean; multipleOf?: number; unit?: string; required?: boolean } = {},
    ): void {
        if (opts.required && !this.required(property, "a number")) return;
        if (this.skip(property)) return;
        const v = this.value(property);
        const unit = opts.unit ? ` ${opts.unit}` : "";
        const range =
            opts.min !== undefined && opts.max !== undefined
                ? `between ${opts.min} and ${opts.max}${unit}`
                : opts.min !== undefined
                  ? `at least ${opts.min}${unit}`
                  : opts.max !== undefined
                    ? `at most ${opts.max}${unit}`
                    : "a number";
        if (typeof v !== "number" || !Number.isFinite(v)) {
            this.fail(property, `"${property}" must be a number (${range}), got ${show(v)}.`);
            return;
        }
        if (opts.integer && !Number.isInteger(v)) {
            this.fail(property, `"${property}" is ${v}; expected a whole number ${range}.`);
            return;
        }
        if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
            this.fail(
                property,
                `"${property}" is ${v}${unit}; accepted: ${range}${opts.multipleOf ? `, a multiple of ${opts.multipleOf}` : ""}.`,
            );
            return;
        }
        if (opts.multipleOf && Math.abs(v / opts.multipleOf - Math.round(v / opts.multipleOf)) > 1e-9) {
            this.fail(property, `"${property}" is ${v}${unit}; it must be a multiple of ${opts.multipleOf} (${range}).`);
        }
    }

    /** An array whose known items each pass `item` (called with the item's dotted path). */
    array(property: string, item?: (path: string, value: unknown) => void, opts: { maxItems?: number } = {}): void {
        if (this.skip(property)) return;
        const v = this.value(property);
        if (!Array.isArray(v)) {
            this.fail(property, `"${property}" must be a list, got ${show(v)}.`);
            return;
        }
        if (opts.maxItems !== undefined && v.length > opts.maxItems) {
            this.fail(property, `"${property}" has ${v.length} entries; at most ${opts.maxItems} are accepted.`);
        }
        if (item)
            v.forEach((entry, i) => {
                if (!isUnknown(entry)) item(`${property}[${i}]`, entry);
            });
    }

    /** Rejects keys of an object input that the resource does not know (typos, wrong nesting). */
    knownKeys(property: string | undefined, accepted: readonly string[]): void {
        const v = property === undefined ? this.values : this.value(property);
        if (v === null || typeof v !== "object" || Array.isArray(v)) return;
        for (const key of Object.keys(v)) {
            if (key.startsWith("__")) continue;
            if (!accepted.includes(key)) {
                const where = property === undefined ? key : `${property}.${key}`;
                this.fail(
                    where,
                    `unknown property "${where}"; accepted properties${property ? ` of "${property}"` : ""}: ${accepted.join(", ")}.`,
                );
            }
        }
    }
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length, as `ipAccessList.source` takes. */
export function isIpOrCidr(text: string): boolean {
    const [address, prefix, ...rest] = text.split("/");
    if (rest.length > 0 || address === undefined) return false;
    const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(address);
    const v6 = !v4 && isIpv6(address);
    if (!v4 && !v6) return false;
    if (prefix === undefined) return true;
    if (!/^\d{1,3}$/.test(prefix)) return false;
    return Number(prefix) <= (v4 ? 32 : 128);
}

function isIpv6(text: string): boolean {
    if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length < 2) return false;
    const doubles = text.split("::").length - 1;
    if (doubles > 1) return false;
    const groups = text.split(":").filter((g) => g !== "");
    if (groups.some((g) => g.length > 4 && !g.includes("."))) return false;
    return doubles === 1 ? groups.length <= 7 : groups.length === 8;
}

/** `HH:MM` in 24-hour time. */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A UUID in its canonical text form, the shape of every ClickHouse Cloud id. */
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

// ---------------------------------------------------------------------------------------------
// Comparison and diff

/** Deterministic JSON for deep comparison: object keys sorted, undefined dropped. */
export function canonical(value: unknown): string {
    return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(normalize);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const v = (value as Record<string, unknown>)[key];
            if (v !== undefined) out[key] = normalize(v);
        }
        return out;
    }
    return value;
}

/** Equality with lists compared as sets (order and duplicates ignored). */
export function sameSet(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
    const left = new Set((a ?? []).map(canonical));
    const right = new Set((b ?? []).map(canonical));
    if (left.size !== right.size) return false;
    for (const v of left) if (!right.has(v)) return false;
    return true;
}

/** Deep equality; `undefined` and `null` count as the same "not set". */
export function sameValue(a: unknown, b: unknown): boolean {
    if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
    return canonical(a) === canonical(b);
}

/** How each input property reacts to a change. */
export interface DiffSpec {
    /** Properties the API cannot change: a change replaces the resource. */
    replace: readonly string[];
    /** Properties changed in place. */
    update: readonly string[];
    /** Of the above, the lists whose order does not matter. */
    sets?: readonly string[];
    /**
     * Properties whose absence from the new inputs means "keep what the API chose" rather than
     * "change it back": an unset value is never a change.
     */
    optionalComputed?: readonly string[];
}

/** The shape `diff` returns to the engine. */
export interface DiffResult {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace?: boolean;
    /** Properties that changed, in place or not (for tests and messages). */
    diffs: string[];
}

/**
 * Compares the previous inputs (as recorded in the outputs) with the new inputs, property by
 * property according to `spec`. An unknown new value counts as a change, and as a replacement
 * when the property replaces.
 */
export function diffBySpec(olds: Record<string, unknown>, news: Record<string, unknown>, spec: DiffSpec): DiffResult {
    const diffs: string[] = [];
    const replaces: string[] = [];
    const sets = new Set(spec.sets ?? []);
    const optional = new Set(spec.optionalComputed ?? []);
    for (const property of [...spec.replace, ...spec.update]) {
        const before = olds[property];
        const after = news[property];
        let changed: boolean;
        if (isUnknown(after)) changed = true;
        else if (optional.has(property) && (after === undefined || after === null)) changed = false;
        else if (sets.has(property) && (Array.isArray(before) || Array.isArray(after)) && !isUnknown(before)) {
            changed = !sameSet(before as unknown[] | undefined, after as unknown[] | undefined);
        } else changed = !sameValue(before, after);
        if (!changed) continue;
        diffs.push(property);
        if (spec.replace.includes(property)) replaces.push(property);
    }
    return { changes: diffs.length > 0, replaces, diffs };
}

// ---------------------------------------------------------------------------------------------
// Timeouts

/** Per-operation time limits; durations like `"30m"`, `"1h30m"`, `"90s"`. */
export interface Timeouts {
    /** How long `create` may wait for the object to become stable. */
    create?: string;
    /** How long `update` may wait. */
    update?: string;
    /** How long `delete` may wait until the object is gone. */
    delete?: string;
}

/** Parses `"1h30m"`, `"45m"`, `"90s"`, `"500ms"` to milliseconds; undefined for bad input. */
export function parseDuration(text: unknown): number | undefined {
    if (typeof text !== "string") return undefined;
    const trimmed = text.trim();
    if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(trimmed)) return undefined;
    let total = 0;
    for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
        const n = Number(match[1]);
        total += match[2] === "h" ? n * 3600_000 : match[2] === "m" ? n * 60_000 : match[2] === "s" ? n * 1000 : n;
    }
    return total > 0 ? total : undefined;
}

/** Validates a `timeouts` input. */
export function checkTimeouts(v: Validator): void {
    v.knownKeys("timeouts", ["create", "update", "delete"]);
    for (const op of ["create", "update", "delete"]) {
        const path = `timeouts.${op}`;
        if (v.skip(path)) continue;
        if (parseDuration(v.value(path)) === undefined) {
            v.fail(path, `"${path}" is ${show(v.value(path))}; expected a duration such as "45m", "1h30m" or "90s".`);
        }
    }
}

/** The limit for `op` from the resource's `timeouts`, else `fallbackMs`. */
export function timeoutFor(timeouts: Timeouts | undefined, op: keyof Timeouts, fallbackMs: number): number {
    return parseDuration(timeouts?.[op]) ?? fallbackMs;
}

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

/**
 * The CRUD of one resource kind, as the runtime dispatches it: the SDK's
 * {@link pulumi.dynamic.ResourceProvider} contract with every method present (and `outs` always
 * returned), typed by the kind's plain inputs `I` (what `check` returns and `create`/`update`
 * receive) and outputs `O` (what the engine records and `diff`/`read`/`delete` receive). The
 * contracts, in words:
 * - `check` validates without calling the API and returns the inputs to record;
 * - `diff` compares recorded outputs with new inputs, and never calls the API;
 * - `create` either creates the object and returns its id and full outputs, or, when the API
 *   accepted it but what followed failed, throws a {@link ResourceInitError} carrying the id;
 * - `update` returns the full outputs (a missing field would shrink the state to `__provider`);
 * - `read` returns the current outputs and inputs, or an empty id when the object is gone;
 * - `delete` succeeds when the object is gone, whoever removed it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Handlers<I = any, O = any> {
    check(olds: I, news: I): Promise<pulumi.dynamic.CheckResult<I>>;
    diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: I): Promise<{ id: string; outs: O }>;
    read(id: string, props?: O): Promise<pulumi.dynamic.ReadResult<O>>;
    update(id: string, olds: O, news: I): Promise<{ outs: O }>;
    delete(id: string, props: O): Promise<void>;
}

/** Compile-time proof that {@link Handlers} is the SDK's contract: a compile error here means they drifted apart. */
export type HandlersAreResourceProviders<I, O> =
    Handlers<I, O> extends Required<Pick<pulumi.dynamic.ResourceProvider<I, O>, "check" | "diff" | "create" | "read" | "update" | "delete">>
        ? true
        : never;
const handlersAreResourceProviders: HandlersAreResourceProviders<Record<string, unknown>, Record<string, unknown>> = true;
void handlersAreResourceProviders;
