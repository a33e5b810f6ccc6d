/**
 * The scaling rules of a service, in one place for both resources that set them (Service and
 * ServiceScaling): accepted ranges from the OpenAPI document (`ServiceReplicaScalingPatchRequest`,
 * `ServiceScalingPatchRequest`) and the checks between fields. Memory is in GiB, the unit the API
 * sizes replicas in (its field names say `Gb`). Pure functions only.
 */
import { show, Validator } from "./validation";

/** Per-replica memory (`minReplicaMemoryGb`, `maxReplicaMemoryGb`): 8 to 356 GiB, a multiple of 4. */
export const REPLICA_MEMORY_GIB = { min: 8, max: 356, multipleOf: 4, unit: "GiB" } as const;

/** Deprecated total memory of three workers (`minTotalMemoryGb`, `maxTotalMemoryGb`): 24 to 1068 GiB, a multiple of 12. */
export const TOTAL_MEMORY_GIB = { min: 24, max: 1068, multipleOf: 12, unit: "GiB" } as const;

/** `numReplicas`: a whole number from 1 to 20. */
export const NUM_REPLICAS = { min: 1, max: 20, integer: true } as const;

/** `idleTimeoutMinutes`: at least 5 minutes. */
export const IDLE_TIMEOUT_MINUTES = { min: 5, unit: "minutes" } as const;

/** The per-replica memory range, in the order min, max. */
export const REPLICA_MEMORY_FIELDS = ["minReplicaMemoryGb", "maxReplicaMemoryGb"] as const;

/** The deprecated total memory range, in the order min, max. */
export const TOTAL_MEMORY_FIELDS = ["minTotalMemoryGb", "maxTotalMemoryGb"] as const;

/** A memory range's minimum must not exceed its maximum (both known numbers, in GiB). */
export function checkMemoryOrder(v: Validator, min: string, max: string): void {
    const lo = v.skip(min) ? undefined : v.value(min);
    const hi = v.skip(max) ? undefined : v.value(max);
    if (typeof lo === "number" && typeof hi === "number" && lo > hi) {
        v.fail(
            min,
            `"${min}" is ${lo} GiB, more than "${max}" (${hi} GiB); the minimum must be at most the maximum (it must not exceed ${hi} GiB).`,
        );
    }
}

/** `idleTimeoutMinutes` only applies when idle scaling is on: refused with `idleScaling: false`. */
export function checkIdleTimeout(v: Validator): void {
    if (v.skip("idleTimeoutMinutes") || v.value("idleScaling") !== false) return;
    v.fail(
        "idleTimeoutMinutes",
        `"idleTimeoutMinutes" is ${show(v.value("idleTimeoutMinutes"))} but "idleScaling" is false; the idle timeout only applies with idleScaling true: remove it or set idleScaling to true.`,
    );
}

/**
 * The per-replica settings a Service and a ServiceScaling both take: replica memory range,
 * replicas, idle scaling and its timeout, each within its range, and the checks between them.
 */
export function checkReplicaScaling(v: Validator): void {
    for (const f of REPLICA_MEMORY_FIELDS) v.number(f, REPLICA_MEMORY_GIB);
    v.number("numReplicas", NUM_REPLICAS);
    v.boolean("idleScaling");
    v.number("idleTimeoutMinutes", IDLE_TIMEOUT_MINUTES);
    checkMemoryOrder(v, ...REPLICA_MEMORY_FIELDS);
    checkIdleTimeout(v);
}

/** The deprecated total-memory settings (ServiceScaling only): each within its range, minimum at most maximum. */
export function checkTotalMemory(v: Validator): void {
    for (const f of TOTAL_MEMORY_FIELDS) v.number(f, TOTAL_MEMORY_GIB);
    checkMemoryOrder(v, ...TOTAL_MEMORY_FIELDS);
}
