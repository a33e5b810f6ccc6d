/**
 * `diff` of `clickhouse:ClickPipe`: what changed, path by path, split by the endpoint that applies
 * it (the pipe's PATCH, `/scaling`, `/state`) or replacing the pipe. No API call.
 */
import { DiffResult, diffBySpec, sameSet, sameValue } from "../compare";
import { isUnknown } from "../unknown";
import type { ClickPipeDesiredState } from "./args";
import { IMPORTED_KEY } from "../importId";
import { CLICKPIPE_SOURCE_SPECS, DESTINATION_IN_PLACE, DESTINATION_WRITE_ONLY, PATCHED, TOP_LEVEL_DIFF } from "./properties";
import { at, isObject, kindOf } from "./values";

/** Leaf paths of `value` (objects are walked, lists are leaves). */
function leaves(value: unknown, prefix = ""): [string, unknown][] {
    if (isObject(value) && Object.keys(value).length > 0) {
        return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return [[prefix, value]];
}

/**
 * Paths set in `news` whose value differs from `olds` (lists compared as sets). Paths only in
 * `olds` are values the API chose or the user stopped managing: never a change.
 */
export function changedPaths(olds: unknown, news: unknown): string[] {
    if (isUnknown(news) && !isObject(news)) return [""];
    const out: string[] = [];
    for (const [path, after] of leaves(news)) {
        if (after === undefined) continue;
        const before = path === "" ? olds : at(olds, path);
        if (isUnknown(after)) out.push(path);
        else if (after === null) continue;
        else if (Array.isArray(after) || Array.isArray(before)) {
            // A side that is not a list (only if the API changed a field's type) goes to sameSet as it is, as before.
            if (!sameSet(before as unknown[] | undefined, after as unknown[])) out.push(path);
        } else if (!sameValue(before, after)) out.push(path);
    }
    return out;
}

/**
 * A write-only field (credentials, destination roles) an imported pipe never recorded: the API
 * does not return it, so the program's value is taken as the current one, not as a change.
 */
function unrecordedWriteOnly(olds: Record<string, unknown>, recorded: unknown, writeOnly: readonly string[], path: string): boolean {
    if (olds[IMPORTED_KEY] !== true) return false;
    const field = writeOnly.find((f) => path === f || path.startsWith(`${f}.`));
    return field !== undefined && at(recorded, field) === undefined;
}

function covers(inPlace: readonly string[], path: string): boolean {
    return inPlace.some((f) => path === f || path.startsWith(`${f}.`));
}

/** What changed in a ClickPipe, split by the endpoint that applies it. */
export interface ClickPipeChanges extends DiffResult {
    /** Fields for `PATCH /clickpipes/{id}`. */
    patch: string[];
    /** `PATCH /clickpipes/{id}/scaling` is needed. */
    scaling: boolean;
    /** `PATCH /clickpipes/{id}/state` is needed. */
    state: boolean;
}

/** Maps an observed state to the desired state it satisfies (`Failed` satisfies neither). */
export function effectiveState(state: unknown): ClickPipeDesiredState | "Failed" | undefined {
    if (typeof state !== "string") return undefined;
    if (["Stopped", "Stopping", "Paused", "Pausing"].includes(state)) return "Stopped";
    if (["Failed", "InternalError"].includes(state)) return "Failed";
    return "Running";
}

/**
 * `serviceId`, the source kind and every source/destination field outside the in-place lists
 * replace; `name`, `description`, in-place source fields, `destination.columns` and
 * `fieldMappings` update through PATCH; `scaling` and `state` through their own endpoints.
 * Unset nested fields are not managed. `diffs` lists dotted paths (e.g. `source.kafka.brokers`).
 */
export function diffClickPipe(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): ClickPipeChanges {
    const top = diffBySpec(olds, news, TOP_LEVEL_DIFF);
    const diffs = [...top.diffs];
    const replaces = [...top.replaces];
    // `description` and `timeouts` live in the state only: no API call applies them.
    const patch = top.diffs.filter((d) => PATCHED.includes(d));

    const oldKind = kindOf(olds.source);
    const newKind = kindOf(news.source);
    if (isUnknown(news.source) && !isObject(news.source)) {
        diffs.push("source");
        replaces.push("source");
    } else if (oldKind !== newKind || !newKind) {
        diffs.push("source");
        replaces.push("source");
    } else {
        const spec = CLICKPIPE_SOURCE_SPECS[newKind];
        const oldSource = at(olds.source, newKind);
        for (const path of changedPaths(oldSource, at(news.source, newKind))) {
            if (unrecordedWriteOnly(olds, oldSource, spec.writeOnly, path)) continue;
            diffs.push(`source.${newKind}${path ? "." + path : ""}`);
            if (path !== "" && covers(spec.inPlace, path)) {
                if (!patch.includes("source")) patch.push("source");
            } else if (!replaces.includes("source")) replaces.push("source");
        }
    }

    for (const path of changedPaths(olds.destination, news.destination)) {
        if (unrecordedWriteOnly(olds, olds.destination, DESTINATION_WRITE_ONLY, path)) continue;
        diffs.push(`destination${path ? "." + path : ""}`);
        if (path !== "" && covers(DESTINATION_IN_PLACE, path)) {
            if (!patch.includes("destination")) patch.push("destination");
        } else if (!replaces.includes("destination")) replaces.push("destination");
    }

    const scalingPaths = news.scaling === undefined || news.scaling === null ? [] : changedPaths(olds.scaling, news.scaling);
    diffs.push(...scalingPaths.map((p) => `scaling${p ? "." + p : ""}`));

    const desired = news.state;
    const state = desired !== undefined && desired !== null && (isUnknown(desired) || effectiveState(olds.state) !== desired);
    if (state) diffs.push("state");

    // The replacement keeps the pipe's name, topic and destination table: delete the old pipe
    // first so two pipes never feed the same table at once.
    const deleteBeforeReplace = replaces.length > 0 ? { deleteBeforeReplace: true } : {};
    return { changes: diffs.length > 0, replaces, ...deleteBeforeReplace, diffs, patch, scaling: scalingPaths.length > 0, state };
}
