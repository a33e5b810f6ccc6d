/**
 * Reading the plain values of a pipe: objects, dotted paths and the source's kind.
 */
import { CLICKPIPE_SOURCE_KINDS, ClickPipeSourceKind } from "./properties";

/** A plain object (not null, not a list). */
export function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The kinds set in a source object (non-null keys among every kind the API knows). */
export function sourceKinds(source: unknown): string[] {
    if (!isObject(source)) return [];
    return Object.keys(source).filter((k) => source[k] !== undefined && source[k] !== null && k !== "validateSamples");
}

/** True for a kind this provider supports. */
export function isSupportedKind(kind: string): kind is ClickPipeSourceKind {
    return CLICKPIPE_SOURCE_KINDS.some((k) => k === kind);
}

/** The single supported kind of a source, if any. */
export function kindOf(source: unknown): ClickPipeSourceKind | undefined {
    return sourceKinds(source).find(isSupportedKind);
}

/** The value at a dotted path (`settings.pullBatchSize`), or undefined where a part is missing. */
export function at(value: unknown, path: string): unknown {
    let current = value;
    for (const part of path.split(".")) {
        if (!isObject(current)) return undefined;
        current = current[part];
    }
    return current;
}
