/**
 * Outputs of `clickhouse:ClickPipe`: the pipe as the API reports it, nulls dropped, scaling
 * normalized to numbers, and the write-only fields (credentials, roles) kept from the inputs.
 */
import type { ClickPipe as ApiClickPipe } from "../../api/types";
import { compact, fields } from "../records";
import { IMPORTED_KEY } from "../importId";
import { hiddenOf } from "../hidden";
import { keepOrder } from "../read";
import { CLICKPIPE_SOURCE_SPECS, DESTINATION_WRITE_ONLY } from "./properties";
import { asOutputs, ClickPipeScalingArgs, ClickPipeSourceArgs, Outputs } from "./args";
import { at, isObject, kindOf } from "./values";

/** Drops null values deep (the API reports unset optional fields as null). */
function dropNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(dropNulls);
    if (isObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
        return out;
    }
    return value;
}

/** Sets the value at a dotted path, copying each parent on the way so `target`'s objects are not shared. */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
    const parts = path.split(".");
    let current = target;
    for (const part of parts.slice(0, -1)) {
        const parent = current[part];
        if (!isObject(parent)) return; // the parent is not there: nothing to carry
        const copy = { ...parent };
        current[part] = copy;
        current = copy;
    }
    current[parts[parts.length - 1]] = value;
}

/** `observed` with each write-only path the API did not return copied from `known` (inputs or previous outputs). */
export function keepWriteOnly(observed: unknown, known: unknown, paths: readonly string[]): Record<string, unknown> | undefined {
    if (!isObject(observed)) return isObject(known) ? known : undefined;
    const out = { ...observed };
    for (const path of paths) {
        const kept = at(known, path);
        if (kept !== undefined && at(out, path) === undefined) setAt(out, path, kept);
    }
    return out;
}

/** Parses a Kubernetes CPU quantity (`"500m"`, `"1"`, `"0.5"`) or a number to millicores. */
export function toMillicores(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(m?)\s*$/.exec(value);
    if (!m) return undefined;
    return m[2] === "m" ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

const MEMORY_UNITS: Record<string, number> = { "": 1, G: 1, Gi: 1, M: 1 / 1000, Mi: 1 / 1024, T: 1000, Ti: 1024, GB: 1, MB: 1 / 1000 };

/** Parses a memory quantity (`"1Gi"`, `"512Mi"`, `"2"`) or a number to GB. */
export function toGb(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
    if (!m || MEMORY_UNITS[m[2]] === undefined) return undefined;
    return Math.round(Number(m[1]) * MEMORY_UNITS[m[2]] * 1000) / 1000;
}

/**
 * Scaling as observed, normalized: right after a PATCH the API may report 0 or quantity
 * strings (`"500m"`, `"1Gi"`); a 0 or unreadable value falls back to what was asked.
 */
export function normalizeScaling(observed: unknown, requested: unknown): ClickPipeScalingArgs | undefined {
    const obs = isObject(observed) ? observed : {};
    const req = isObject(requested) ? requested : {};
    // `Number(v) > 0` is what `v > 0` computes for any value.
    const pick = (v: unknown, r: unknown) => (v !== undefined && Number(v) > 0 ? v : typeof r === "number" ? r : v);
    // Numbers; a replicas value the API reports as something else (null) is passed on as it is.
    const out: Record<string, unknown> = compact({
        replicas: pick(typeof obs.replicas === "string" ? Number(obs.replicas) : obs.replicas, req.replicas),
        replicaCpuMillicores: pick(toMillicores(obs.replicaCpuMillicores), req.replicaCpuMillicores),
        replicaMemoryGb: pick(toGb(obs.replicaMemoryGb), req.replicaMemoryGb),
    });
    return Object.keys(out).length > 0 ? out : undefined;
}

/** Outputs for an observed pipe; `known` supplies write-only values (the inputs, or the previous outputs on read). */
export function clickPipeOutputs(pipe: ApiClickPipe, values: Record<string, unknown>): Outputs {
    // Inputs are outputs too (a desired state is a state): one view serves both.
    const known = asOutputs(values);
    const kind = kindOf(known.source) ?? kindOf(pipe.source);
    let source: ClickPipeSourceArgs | undefined;
    if (kind) {
        const observed = dropNulls(at(pipe.source, kind));
        // The API's fields of this kind with the write-only ones put back, as the spec lists them.
        source = { [kind]: keepWriteOnly(observed, at(known.source, kind), CLICKPIPE_SOURCE_SPECS[kind].writeOnly) };
    }
    return compact({
        serviceId: known.serviceId ?? pipe.serviceId,
        name: pipe.name ?? known.name,
        description: known.description,
        source: source ?? known.source,
        // Undefined only where the known destination is missing too.
        destination: keepWriteOnly(dropNulls(pipe.destination), known.destination, DESTINATION_WRITE_ONLY) ?? known.destination,
        fieldMappings: keepOrder(pipe.fieldMappings, known.fieldMappings),
        scaling: normalizeScaling(pipe.scaling, known.scaling),
        state: pipe.state,
        createdAt: pipe.createdAt,
        updatedAt: pipe.updatedAt,
        timeouts: known.timeouts,
        ...hiddenOf(known),
        // Imported: the write-only fields were never recorded (see importId.ts); the first update records them.
        [IMPORTED_KEY]: fields(values)[IMPORTED_KEY] === true ? true : undefined,
    });
}
