/**
 * Input validation for `check`: the {@link Validator} that collects failures naming the
 * property, the value and what is accepted (and warns for rules no official source confirms),
 * the printable form of a value in those messages, and the shared patterns (IP or CIDR, `HH:MM`,
 * UUID). Every rule skips values unknown during preview. No API call.
 */
import { warn as logWarning } from "../log";
import { isUnknown } from "./unknown";

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
