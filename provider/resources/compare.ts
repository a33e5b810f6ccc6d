/**
 * Comparison for `diff`: deterministic JSON, equality that treats unset as unset and lists as
 * sets where the order does not matter, and {@link diffBySpec}, which compares recorded outputs
 * with new inputs property by property as a {@link DiffSpec} says. Pure functions only.
 */
import { isUnknown } from "./unknown";

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
