/**
 * `clickhouse:ServiceScaling`: the autoscaling settings of one existing service, managed apart
 * from the service itself (so a team can own sizing per environment without touching the
 * service). Create and update PATCH `/services/{id}/replicaScaling` (or the deprecated
 * `/scaling` for the total-memory fields); when the PATCH answer shows a transitional state they
 * wait until the service is stable again. Delete leaves the service as it is.
 */
import * as pulumi from "@pulumi/pulumi";
import { apiClient } from "../api/current";
import { findService, patchReplicaScaling } from "../api/services";
import { patchScaling } from "../api/scaling";
import type { Service } from "../api/types";
import { ClickHouseResource } from "../shim";
import { waitForService } from "../wait";
import { DiffResult, diffBySpec, sameValue } from "./compare";
import { partialFailure } from "./partialFailure";
import { compact } from "./records";
import { checkTimeouts, timeoutFor, Timeouts } from "./timeouts";
import { labelOf, hiddenOf } from "./hidden";
import {
    OwnedCheckResult,
    ownedInputsValidator,
    describeService,
    isDevelopment,
    requireService,
    resourceError,
    serviceWait,
    STABLE_SERVICE_STATES,
} from "./owningService";
import { argumentKeys, diffSpecOf } from "./properties";
import { GONE, pickSet } from "./read";
import { checkReplicaScaling, checkTotalMemory, REPLICA_MEMORY_FIELDS, TOTAL_MEMORY_FIELDS } from "./scalingRules";
import { apiKeys, ArgsOf, engineHandlers, outputPlaceholders, TableOf } from "./shape";

const RESOURCE = "clickhouse:ServiceScaling";

/** Plain inputs of {@link ServiceScaling}. Every scaling field is optional: only the fields you set are managed. */
export type ServiceScalingInputs = {
    /**
     * Id of the service to scale (the `id` output of a `clickhouse.Service`). Changing this
     * replaces the resource (the old service keeps its settings).
     */
    serviceId: string;
    /**
     * Minimum memory of each replica during autoscaling, in GiB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations). Production services only. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    minReplicaMemoryGb?: number;
    /**
     * Maximum memory of each replica during autoscaling, in GiB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations), at least `minReplicaMemoryGb`. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    maxReplicaMemoryGb?: number;
    /**
     * DEPRECATED by the API (inaccurate with a non-default number of replicas): minimum memory
     * of three workers together, in GiB, a multiple of 12 between 24 and 1068. Cannot be mixed
     * with the per-replica fields. Sent to the deprecated `PATCH /scaling`. Updated in place;
     * unset or removed, not managed.
     * @deprecated use {@link minReplicaMemoryGb}
     */
    minTotalMemoryGb?: number;
    /**
     * DEPRECATED by the API: maximum memory of three workers together, in GiB, a multiple of 12
     * between 24 and 1068 (360 for unpaid organizations). Cannot be mixed with the per-replica
     * fields. Updated in place; unset or removed, not managed.
     * @deprecated use {@link maxReplicaMemoryGb}
     */
    maxTotalMemoryGb?: number;
    /**
     * Number of replicas, 1 to 20 (2 to 20 for the first service of a warehouse). The API may
     * require support to enable changing it. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    numReplicas?: number;
    /**
     * Whether the service may scale down to zero (state `idle`) when unused. Updated in place.
     * @default the service's current value (the API's default is true); unset or removed: not
     * managed, so a {@link Service} may own it instead
     */
    idleScaling?: boolean;
    /**
     * Minutes without queries before an idle-scaling service goes idle, at least 5. Only with
     * `idleScaling` not false. Updated in place.
     * @default the service's current value (unset or removed: not managed)
     */
    idleTimeoutMinutes?: number;
    /** How long to wait for the service to be stable after a change. @default create/update "20m". Updated in place; removed, the defaults apply. */
    timeouts?: Timeouts;
};

/** Arguments of {@link ServiceScaling}: {@link ServiceScalingInputs}, each a `pulumi.Input`. */
export type ServiceScalingArgs = ArgsOf<ServiceScalingInputs>;

/** Outputs: the service's scaling as observed after the change (all fields, managed or not). */
export type ServiceScalingOutputs = ServiceScalingInputs;

/** One row per argument; the scaling fields are the service's own (`api`), unset means "not managed". */
const PROPERTIES = {
    serviceId: { change: "replace", inputOnly: true, unset: "required", doc: "Id of the scaled service." },
    minReplicaMemoryGb: { change: "update", api: true, doc: "Minimum memory per replica, GiB." },
    maxReplicaMemoryGb: { change: "update", api: true, doc: "Maximum memory per replica, GiB." },
    minTotalMemoryGb: { change: "update", api: true, doc: "Deprecated: minimum total memory of three workers, GiB." },
    maxTotalMemoryGb: { change: "update", api: true, doc: "Deprecated: maximum total memory of three workers, GiB." },
    numReplicas: { change: "update", api: true, doc: "Number of replicas." },
    idleScaling: { change: "update", api: true, doc: "Whether the service may go idle." },
    idleTimeoutMinutes: { change: "update", api: true, doc: "Minutes before an idle-scaling service goes idle." },
    // Kept in the state as given, not an output of the class; removing it is a change.
    timeouts: { change: "update", unset: "change", doc: "How long to wait for a stable service." },
} as const satisfies TableOf<ServiceScalingOutputs>;

/** Every scaling field, as the service reports it. */
export const SERVICE_SCALING_FIELDS = apiKeys(PROPERTIES);
type ScalingField = (typeof SERVICE_SCALING_FIELDS)[number];
/** Fields a development-tier service refuses. */
const SIZE_FIELDS: readonly ScalingField[] = [...REPLICA_MEMORY_FIELDS, ...TOTAL_MEMORY_FIELDS, "numReplicas"];

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

/** Validates the inputs; no API call (the service's tier is checked in create/update). */
export function checkServiceScaling(_olds: Record<string, unknown>, news: Record<string, unknown>): OwnedCheckResult {
    const v = ownedInputsValidator(RESOURCE, news, argumentKeys(PROPERTIES));
    checkReplicaScaling(v);
    checkTotalMemory(v);
    checkTimeouts(v);

    const set = (f: string) => news[f] !== undefined && news[f] !== null;
    const replicaSet = REPLICA_MEMORY_FIELDS.filter(set);
    const totalSet = TOTAL_MEMORY_FIELDS.filter(set);
    if (replicaSet.length > 0 && totalSet.length > 0) {
        v.fail(
            totalSet[0],
            `"${totalSet.join('", "')}" (deprecated total memory) cannot be combined with "${replicaSet.join('", "')}" (per-replica memory); use only the per-replica fields.`,
        );
    }
    if (!SERVICE_SCALING_FIELDS.some(set)) {
        v.fail(
            "minReplicaMemoryGb",
            `set at least one of ${SERVICE_SCALING_FIELDS.join(", ")}; a ServiceScaling without settings manages nothing.`,
        );
    }
    return { inputs: news, failures: v.failures };
}

/**
 * `serviceId` replaces; every scaling field updates in place. An unset field is "not managed":
 * removing it from the program leaves the service's value as it is, so it is never a change.
 */
export function diffServiceScaling(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    return diffBySpec(olds, news, diffSpecOf(PROPERTIES));
}

/** What the service reports of its scaling: the answer of a GET or of either scaling PATCH. */
type ObservedScaling = Pick<Service, ScalingField | "state">;

/** The outputs for an observed service. */
function outputsOf(svc: ObservedScaling, inputs: ServiceScalingInputs): ServiceScalingOutputs {
    return compact({
        serviceId: inputs.serviceId,
        ...pickSet(svc, SERVICE_SCALING_FIELDS),
        timeouts: inputs.timeouts,
        ...hiddenOf(inputs),
    });
}

/** The PATCH for the managed fields that differ from `current`; the endpoint follows the memory style. */
export function scalingRequest(
    inputs: Record<string, unknown>,
    current: Record<string, unknown> | undefined,
): { path: "scaling" | "replicaScaling"; body: Record<string, unknown> } | undefined {
    const body: Record<string, unknown> = {};
    for (const f of SERVICE_SCALING_FIELDS) {
        const want = inputs[f];
        if (want === undefined || want === null) continue;
        if (current && sameValue(current[f], want)) continue;
        body[f] = want;
    }
    if (Object.keys(body).length === 0) return undefined;
    const totals = TOTAL_MEMORY_FIELDS.some((f) => body[f] !== undefined);
    return { path: totals ? "scaling" : "replicaScaling", body };
}

/**
 * Checks the tier, PATCHes what differs and, when the PATCH answer is not a stable state, waits for a
 * stable service. Shared by create and update.
 */
async function apply(inputs: ServiceScalingInputs, op: "create" | "update"): Promise<ServiceScalingOutputs> {
    const client = apiClient();
    const serviceId = inputs.serviceId;
    const label = labelOf(RESOURCE, inputs);
    const timeoutMs = timeoutFor(inputs.timeouts, op, DEFAULT_TIMEOUT_MS);
    let svc = await requireService(client, RESOURCE, serviceId);
    const request = scalingRequest(inputs, svc);
    if (!request) return outputsOf(svc, inputs);
    const refused = SIZE_FIELDS.filter((f) => request.body[f] !== undefined);
    if (isDevelopment(svc) && refused.length > 0) {
        throw resourceError(
            RESOURCE,
            `${describeService(svc, serviceId)} is a development-tier service: its memory and replicas are fixed and the API refuses ${refused.join(", ")}. Remove these fields (idleScaling and idleTimeoutMinutes are accepted) or use a production service.`,
        );
    }
    if (!svc.state || !STABLE_SERVICE_STATES.includes(svc.state)) {
        svc =
            (await waitForService(client, serviceId, { until: STABLE_SERVICE_STATES, timeoutMs, ...serviceWait(label, svc, serviceId) })) ??
            svc;
    }
    const patched: ObservedScaling =
        request.path === "scaling"
            ? await patchScaling(client, serviceId, request.body)
            : await patchReplicaScaling(client, serviceId, request.body);
    // The scaling PATCH answers with the whole service. When that answer is already stable there is
    // nothing to wait for: the Terraform provider reads once after its scaling PATCH and never polls.
    if (patched.state && STABLE_SERVICE_STATES.includes(patched.state)) return outputsOf(patched, inputs);
    try {
        const stable = await waitForService(client, serviceId, {
            until: STABLE_SERVICE_STATES,
            timeoutMs,
            ...serviceWait(label, svc, serviceId),
        });
        return outputsOf(stable ?? patched, inputs);
    } catch (e) {
        throw partialFailure(serviceId, outputsOf(patched ?? svc, inputs), inputs, e);
    }
}

/** The CRUD of `clickhouse:ServiceScaling` as the runtime dispatches it. */
export const serviceScalingHandlers = engineHandlers<ServiceScalingInputs, ServiceScalingOutputs>({
    check: async (olds, news) => ({ inputs: news, failures: checkServiceScaling(olds, news).failures }),
    diff: async (id, olds, news) => diffServiceScaling(id, olds, news),
    create: async (inputs) => ({ id: inputs.serviceId, outs: await apply(inputs, "create") }),
    update: async (_id, _olds, news) => ({ outs: await apply(news, "update") }),
    read: async (id, props) => {
        const serviceId = props?.serviceId ?? id;
        const svc = await findService(apiClient(), serviceId);
        if (!svc) return GONE;
        const outs = outputsOf(svc, { ...props, serviceId });
        // The inputs describe the memory one way: per replica when the service reports it (check
        // refuses both, and `pulumi import` checks what read returns), else the deprecated totals.
        const { minTotalMemoryGb: _min, maxTotalMemoryGb: _max, ...perReplica } = outs;
        const inputs = outs.minReplicaMemoryGb !== undefined || outs.maxReplicaMemoryGb !== undefined ? perReplica : outs;
        return { id, props: outs, inputs };
    },
    // The service keeps its current scaling: there is nothing to undo that would not resize it.
    delete: async () => undefined,
});

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
    /** Minimum memory per replica, in GiB, as the service reports it. */
    declare readonly minReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Maximum memory per replica, in GiB. */
    declare readonly maxReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Number of replicas. */
    declare readonly numReplicas: pulumi.Output<number | undefined>;
    /** Whether idle scaling is on. */
    declare readonly idleScaling: pulumi.Output<boolean | undefined>;
    /** Idle timeout, in minutes. */
    declare readonly idleTimeoutMinutes: pulumi.Output<number | undefined>;
    /** Deprecated total minimum memory, in GiB, as the service reports it. */
    declare readonly minTotalMemoryGb: pulumi.Output<number | undefined>;
    /** Deprecated total maximum memory, in GiB. */
    declare readonly maxTotalMemoryGb: pulumi.Output<number | undefined>;

    constructor(name: string, args: ServiceScalingArgs, opts?: pulumi.CustomResourceOptions) {
        super("ServiceScaling", name, { ...outputPlaceholders(PROPERTIES), ...args }, opts);
    }
}
