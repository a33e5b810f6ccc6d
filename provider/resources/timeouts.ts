/**
 * The `timeouts` argument every waiting resource takes: its type, the duration syntax
 * (`"1h30m"`, `"45m"`, `"90s"`), its `check` rule, and the limit an operation waits for.
 */
import { show, Validator } from "./validation";

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
