/**
 * `clickhouse:ServiceScaling`: the autoscaling settings of one existing service, managed apart
 * from the service itself (so a team can own sizing per environment without touching the
 * service). Create and update PATCH `/services/{id}/replicaScaling` (or the deprecated
 * `/scaling` for the total-memory fields) and wait until the service is stable again; delete
 * leaves the service as it is.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Service } from "../api/types";
import { waitForService } from "../wait";
import { ClickHouseResource } from "../shim";
import {
    checkTimeouts, DiffResult, diffBySpec, Handlers, partialFailure, sameValue, timeoutFor, Timeouts, Validator, show, compact,
} from "./common";
import {
    apiClient, checkServiceId, describeService, GONE, getOrUndefined, hiddenOf, isDevelopment, labelOf, pickSet, requireService, resourceError,
    serviceWait, STABLE_SERVICE_STATES,
} from "./satellite";

const RESOURCE = "clickhouse:ServiceScaling";

/** Arguments of {@link ServiceScaling}. Every scaling field is optional: only the fields you set are managed. */
export interface ServiceScalingArgs {
    /**
     * Id of the service to scale (the `id` output of a `clickhouse.Service`). Changing this
     * replaces the resource (the old service keeps its settings).
     */
    serviceId: pulumi.Input<string>;
    /**
     * Minimum memory of each replica during autoscaling, in GB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations). Production services only. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    minReplicaMemoryGb?: pulumi.Input<number>;
    /**
     * Maximum memory of each replica during autoscaling, in GB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations), at least `minReplicaMemoryGb`. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    maxReplicaMemoryGb?: pulumi.Input<number>;
    /**
     * Number of replicas, 1 to 20 (2 to 20 for the first service of a warehouse). The API may
     * require support to enable changing it. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    numReplicas?: pulumi.Input<number>;
    /**
     * Whether the service may scale down to zero (state `idle`) when unused. Updated in place.
     * @default the service's current value (the API's default is true); unset or removed: not
     * managed, so a {@link Service} may own it instead
     */
    idleScaling?: pulumi.Input<boolean>;
    /**
     * Minutes without queries before an idle-scaling service goes idle, at least 5. Only with
     * `idleScaling` not false. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    idleTimeoutMinutes?: pulumi.Input<number>;
    /**
     * DEPRECATED by the API (inaccurate with a non-default number of replicas): minimum memory
     * of three workers together, in GB, a multiple of 12 between 24 and 1068. Cannot be mixed
     * with the per-replica fields. Sent to the deprecated `PATCH /scaling`. Updated in place;
     * unset or removed, not managed.
     * @deprecated use {@link minReplicaMemoryGb}
     */
    minTotalMemoryGb?: pulumi.Input<number>;
    /**
     * DEPRECATED by the API: maximum memory of three workers together, in GB, a multiple of 12
     * between 24 and 1068 (360 for unpaid organizations). Cannot be mixed with the per-replica
     * fields. Updated in place; unset or removed, not managed.
     * @deprecated use {@link maxReplicaMemoryGb}
     */
    maxTotalMemoryGb?: pulumi.Input<number>;
    /** How long to wait for the service to be stable after a change. @default create/update "20m". Updated in place; removed, the defaults apply. */
    timeouts?: pulumi.Input<Timeouts>;
}

/** Plain inputs as the provider receives them. */
export interface ServiceScalingInputs {
    serviceId: string;
    minReplicaMemoryGb?: number;
    maxReplicaMemoryGb?: number;
    numReplicas?: number;
    idleScaling?: boolean;
    idleTimeoutMinutes?: number;
    minTotalMemoryGb?: number;
    maxTotalMemoryGb?: number;
    timeouts?: Timeouts;
}

/** Outputs: the service's scaling as observed after the change (all fields, managed or not). */
export type ServiceScalingOutputs = ServiceScalingInputs;

const REPLICA_MEMORY = ["minReplicaMemoryGb", "maxReplicaMemoryGb"] as const;
const TOTAL_MEMORY = ["minTotalMemoryGb", "maxTotalMemoryGb"] as const;
const COMMON = ["numReplicas", "idleScaling", "idleTimeoutMinutes"] as const;
/** Every scaling field, as the service reports it. */
export const SERVICE_SCALING_FIELDS = [...REPLICA_MEMORY, ...TOTAL_MEMORY, ...COMMON] as const;
type ScalingField = (typeof SERVICE_SCALING_FIELDS)[number];
/** Fields a development-tier service refuses. */
const SIZE_FIELDS: readonly ScalingField[] = [...REPLICA_MEMORY, ...TOTAL_MEMORY, "numReplicas"];

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** Validates the inputs; no API call (the service's tier is checked in create/update). */
export function checkServiceScaling(_olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] } {
    const v = new Validator(RESOURCE, news);
    v.knownKeys(undefined, ["serviceId", ...SERVICE_SCALING_FIELDS, "timeouts"]);
    checkServiceId(v);
    for (const f of REPLICA_MEMORY) v.number(f, { min: 8, max: 356, multipleOf: 4, unit: "GB" });
    for (const f of TOTAL_MEMORY) v.number(f, { min: 24, max: 1068, multipleOf: 12, unit: "GB" });
    v.number("numReplicas", { min: 1, max: 20, integer: true });
    v.boolean("idleScaling");
    v.number("idleTimeoutMinutes", { min: 5, unit: "minutes" });
    checkTimeouts(v);

    const set = (f: string) => news[f] !== undefined && news[f] !== null;
    const replicaSet = REPLICA_MEMORY.filter(set);
    const totalSet = TOTAL_MEMORY.filter(set);
    if (replicaSet.length > 0 && totalSet.length > 0) {
        v.fail(totalSet[0], `"${totalSet.join('", "')}" (deprecated total memory) cannot be combined with "${replicaSet.join('", "')}" (per-replica memory); use only the per-replica fields.`);
    }
    orderedPair(v, news, "minReplicaMemoryGb", "maxReplicaMemoryGb");
    orderedPair(v, news, "minTotalMemoryGb", "maxTotalMemoryGb");
    if (set("idleTimeoutMinutes") && news.idleScaling === false) {
        v.fail("idleTimeoutMinutes", `"idleTimeoutMinutes" is ${show(news.idleTimeoutMinutes)} but "idleScaling" is false; the timeout only applies with idleScaling true: remove it or set idleScaling to true.`);
    }
    if (!SERVICE_SCALING_FIELDS.some(set)) {
        v.fail("minReplicaMemoryGb", `set at least one of ${SERVICE_SCALING_FIELDS.join(", ")}; a ServiceScaling without settings manages nothing.`);
    }
    return { inputs: news, failures: v.failures };
}

function orderedPair(v: Validator, news: Record<string, unknown>, min: string, max: string): void {
    const lo = news[min];
    const hi = news[max];
    if (typeof lo === "number" && typeof hi === "number" && lo > hi) {
        v.fail(min, `"${min}" (${lo} GB) is greater than "${max}" (${hi} GB); the minimum must not exceed the maximum.`);
    }
}

/**
 * `serviceId` replaces; every scaling field updates in place. An unset field is "not managed":
 * removing it from the program leaves the service's value as it is, so it is never a change.
 */
export function diffServiceScaling(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    return diffBySpec(olds, news, {
        replace: ["serviceId"],
        update: [...SERVICE_SCALING_FIELDS, "timeouts"],
        optionalComputed: SERVICE_SCALING_FIELDS,
    });
}

/** The outputs for an observed service. */
function outputsOf(svc: Service, inputs: Record<string, unknown>): Record<string, unknown> {
    const observed = pickSet(svc as unknown as Record<string, unknown>, SERVICE_SCALING_FIELDS);
    return compact({ serviceId: inputs.serviceId, ...observed, timeouts: inputs.timeouts, ...hiddenOf(inputs) });
}

/** The PATCH for the managed fields that differ from `current`; the endpoint follows the memory style. */
export function scalingRequest(inputs: Record<string, unknown>, current: Record<string, unknown> | undefined): { path: "scaling" | "replicaScaling"; body: Record<string, unknown> } | undefined {
    const body: Record<string, unknown> = {};
    for (const f of SERVICE_SCALING_FIELDS) {
        const want = inputs[f];
        if (want === undefined || want === null) continue;
        if (current && sameValue(current[f], want)) continue;
        body[f] = want;
    }
    if (Object.keys(body).length === 0) return undefined;
    const totals = TOTAL_MEMORY.some((f) => body[f] !== undefined);
    return { path: totals ? "scaling" : "replicaScaling", body };
}

/** Checks the tier, PATCHes what differs and waits for a stable service. Shared by create and update. */
async function apply(inputs: Record<string, unknown>, op: "create" | "update"): Promise<Record<string, unknown>> {
    const client = apiClient();
    const serviceId = inputs.serviceId as string;
    const label = labelOf(RESOURCE, inputs);
    const timeoutMs = timeoutFor(inputs.timeouts as Timeouts | undefined, op, DEFAULT_TIMEOUT_MS);
    let svc = await requireService(client, RESOURCE, serviceId);
    const request = scalingRequest(inputs, svc as unknown as Record<string, unknown>);
    if (!request) return outputsOf(svc, inputs);
    const refused = SIZE_FIELDS.filter((f) => request.body[f] !== undefined);
    if (isDevelopment(svc) && refused.length > 0) {
        throw resourceError(RESOURCE, `${describeService(svc, serviceId)} is a development-tier service: its memory and replicas are fixed and the API refuses ${refused.join(", ")}. Remove these fields (idleScaling and idleTimeoutMinutes are accepted) or use a production service.`);
    }
    if (!svc.state || !STABLE_SERVICE_STATES.includes(svc.state)) {
        svc = (await waitForService(client, serviceId, { until: STABLE_SERVICE_STATES, timeoutMs, ...serviceWait(label, svc, serviceId) })) ?? svc;
    }
    const patched = await client.patch<Service>(`/services/${serviceId}/${request.path}`, request.body);
    try {
        const stable = await waitForService(client, serviceId, { until: STABLE_SERVICE_STATES, timeoutMs, ...serviceWait(label, svc, serviceId) });
        return outputsOf(stable ?? patched, inputs);
    } catch (e) {
        throw partialFailure(serviceId, outputsOf(patched ?? svc, inputs), inputs, e);
    }
}

/** The CRUD of `clickhouse:ServiceScaling` as the runtime dispatches it. */
export const serviceScalingHandlers: Handlers = {
    check: async (olds, news) => checkServiceScaling(olds, news),
    diff: async (id, olds, news) => diffServiceScaling(id, olds, news),
    create: async (inputs) => ({ id: inputs.serviceId as string, outs: await apply(inputs, "create") }),
    update: async (_id, _olds, news) => ({ outs: await apply(news, "update") }),
    read: async (id, props) => {
        const serviceId = (props?.serviceId as string | undefined) ?? id;
        const svc = await getOrUndefined<Service>(apiClient(), `/services/${serviceId}`);
        if (!svc) return GONE;
        const outs = outputsOf(svc, { ...props, serviceId });
        return { id, props: outs, inputs: outs };
    },
    // The service keeps its current scaling: there is nothing to undo that would not resize it.
    delete: async () => undefined,
};

/**
 * The autoscaling settings of an existing ClickHouse Cloud service: per-replica memory range,
 * number of replicas and idle scaling.
 *
 * Only the fields you set are managed; the others keep whatever the service has. Deleting
 * this resource leaves the service's scaling as it is (nothing is reset).
 *
 * **Who wins against `clickhouse.Service`:** when a ServiceScaling manages a service, leave
 * `minReplicaMemoryGb`, `maxReplicaMemoryGb`, `numReplicas`, `idleScaling` and
 * `idleTimeoutMinutes` unset on the `Service`. The Service ignores unset scaling fields in its
 * diff, so the ServiceScaling wins; setting them in both places makes the two resources
 * undo each other on every `pulumi up`, which the provider cannot detect at preview time.
 *
 * A development-tier service refuses memory and replica settings: create/update fail with
 * a clear error before any change is sent.
 */
export class ServiceScaling extends ClickHouseResource {
    /** Id of the scaled service. */
    declare readonly serviceId: pulumi.Output<string>;
    /** Minimum memory per replica, in GB, as the service reports it. */
    declare readonly minReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Maximum memory per replica, in GB. */
    declare readonly maxReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Number of replicas. */
    declare readonly numReplicas: pulumi.Output<number | undefined>;
    /** Whether idle scaling is on. */
    declare readonly idleScaling: pulumi.Output<boolean | undefined>;
    /** Idle timeout, in minutes. */
    declare readonly idleTimeoutMinutes: pulumi.Output<number | undefined>;
    /** Deprecated total minimum memory, in GB, as the service reports it. */
    declare readonly minTotalMemoryGb: pulumi.Output<number | undefined>;
    /** Deprecated total maximum memory, in GB. */
    declare readonly maxTotalMemoryGb: pulumi.Output<number | undefined>;

    constructor(name: string, args: ServiceScalingArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            "ServiceScaling",
            name,
            {
                minReplicaMemoryGb: undefined, maxReplicaMemoryGb: undefined, numReplicas: undefined, idleScaling: undefined,
                idleTimeoutMinutes: undefined, minTotalMemoryGb: undefined, maxTotalMemoryGb: undefined,
                ...args,
            },
            opts,
        );
    }
}
