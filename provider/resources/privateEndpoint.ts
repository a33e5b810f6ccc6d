/**
 * `clickhouse:PrivateEndpoint`: a cloud private endpoint (AWS PrivateLink, GCP Private Service
 * Connect, Azure Private Link) registered and attached to one service. Create POSTs
 * `/services/{id}/privateEndpoint`; read checks the service still lists it in
 * `privateEndpointIds`; delete detaches it (`PATCH /services/{id}` with
 * `privateEndpointIds.remove`).
 */
import * as pulumi from "@pulumi/pulumi";
import { apiClient } from "../api/current";
import { attachPrivateEndpoint, createPrivateEndpoint, detachPrivateEndpoint, findPrivateEndpointConfig } from "../api/endpoints";
import { ignoreNotFound } from "../api/notFound";
import { findService, getPrivateEndpointConfig, getService } from "../api/services";
import type { InstancePrivateEndpoint, PrivateEndpointConfig, Service } from "../api/types";
import { ClickHouseResource } from "../shim";
import { DiffResult, diffBySpec } from "./compare";
import { compact } from "./records";
import { hiddenOf } from "./hidden";
import { OwnedCheckResult, ownedInputsValidator, requireService } from "./owningService";
import { argumentKeys, diffSpecOf } from "./properties";
import { GONE } from "./read";
import { IMPORT_ID_FORMATS, isImportRead, requireCompoundId } from "./importId";
import { ArgsOf, engineHandlers, outputPlaceholders, TableOf } from "./shape";

const RESOURCE = "clickhouse:PrivateEndpoint";

/** Plain inputs of {@link PrivateEndpoint}. */
export type PrivateEndpointInputs = {
    /** Id of the service to attach the endpoint to. Changing this replaces the resource. */
    serviceId: string;
    /**
     * Id of the endpoint you created in your cloud account (AWS: the VPC endpoint id
     * `vpce-...`; GCP: the PSC connection id; Azure: the private endpoint's resource GUID).
     * Changing this replaces the resource.
     */
    endpointId: string;
    /**
     * Free text shown in the ClickHouse Cloud console. The API cannot change it on an existing
     * endpoint: changing or removing this replaces the resource (detach, then register again).
     * @default none
     */
    description?: string;
};

/** Arguments of {@link PrivateEndpoint}: {@link PrivateEndpointInputs}, each a `pulumi.Input`. */
export type PrivateEndpointArgs = ArgsOf<PrivateEndpointInputs>;

/** Outputs: the inputs, plus what the cloud side needs. */
export type PrivateEndpointOutputs = PrivateEndpointInputs & {
    /** Cloud provider of the endpoint (`aws`, `gcp`, `azure`). */
    cloudProvider?: string;
    /** Region of the endpoint. */
    region?: string;
    /** The service's endpoint service (AWS "Service name", GCP "Target service", Azure "Private Link Service"). */
    endpointServiceId?: string;
    /** Private DNS name of the service inside your VPC. */
    privateDnsHostname?: string;
};

/** Every argument replaces (the API cannot edit an attached endpoint); the rest is what the API reports. */
const PROPERTIES = {
    serviceId: { change: "replace", inputOnly: true, unset: "required", doc: "Id of the service." },
    endpointId: { change: "replace", inputOnly: true, unset: "required", doc: "Id of the endpoint in your cloud account." },
    description: { change: "replace", api: true, unset: "change", doc: "Description, as registered." },
    cloudProvider: { api: true, doc: "Cloud provider of the endpoint." },
    region: { api: true, doc: "Region of the endpoint." },
    endpointServiceId: { api: true, doc: "The service's endpoint service (from privateEndpointConfig)." },
    privateDnsHostname: { api: true, doc: "Private DNS name of the service (from privateEndpointConfig)." },
} as const satisfies TableOf<PrivateEndpointOutputs>;

/** Validates the inputs; no API call. */
export function checkPrivateEndpoint(_olds: Record<string, unknown>, news: Record<string, unknown>): OwnedCheckResult {
    const v = ownedInputsValidator(RESOURCE, news, argumentKeys(PROPERTIES));
    v.string("endpointId", {
        required: true,
        maxLength: 255,
        pattern: /^[^\s,]+$/,
        patternText: 'an endpoint id without spaces or commas, e.g. "vpce-0123456789abcdef0"',
    });
    v.string("description", { maxLength: 255 });
    return { inputs: news, failures: v.failures };
}

/**
 * Every input replaces: the API has no way to edit an attached endpoint. Replacement deletes
 * first, because the new endpoint usually has the same id and attaching it before detaching
 * the old one would be undone by that detach.
 */
export function diffPrivateEndpoint(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    const result = diffBySpec(olds, news, diffSpecOf(PROPERTIES));
    return result.replaces.length > 0 ? { ...result, deleteBeforeReplace: true } : result;
}

/** The outputs: what the API just reported, else what is already known. */
function outputsOf(
    known: PrivateEndpointOutputs,
    endpoint: InstancePrivateEndpoint | undefined,
    svc: Service | undefined,
    config: PrivateEndpointConfig | undefined,
): PrivateEndpointOutputs {
    return compact({
        serviceId: known.serviceId,
        endpointId: known.endpointId,
        description: endpoint?.description ?? known.description,
        cloudProvider: endpoint?.cloudProvider ?? svc?.provider ?? known.cloudProvider,
        region: endpoint?.region ?? svc?.region ?? known.region,
        endpointServiceId: config?.endpointServiceId ?? known.endpointServiceId,
        privateDnsHostname: config?.privateDnsHostname ?? known.privateDnsHostname,
        ...hiddenOf(known),
    });
}

/** True when the service exists and lists the endpoint in `privateEndpointIds`. */
function lists(svc: Service | undefined, endpointId: string): boolean {
    return (svc?.privateEndpointIds ?? []).includes(endpointId);
}

/** The CRUD of `clickhouse:PrivateEndpoint` as the runtime dispatches it. */
export const privateEndpointHandlers = engineHandlers<PrivateEndpointInputs, PrivateEndpointOutputs>({
    check: async (olds, news) => ({ inputs: news, failures: checkPrivateEndpoint(olds, news).failures }),
    diff: async (id, olds, news) => diffPrivateEndpoint(id, olds, news),
    create: async (inputs) => {
        const client = apiClient();
        const { serviceId, endpointId } = inputs;
        await requireService(client, RESOURCE, serviceId, { recent: true });
        // Registering the same endpoint id again is harmless, so a POST whose answer was lost is
        // retried unless the service already lists the endpoint (then that is the answer).
        const endpoint = await createPrivateEndpoint(client, serviceId, compact({ id: endpointId, description: inputs.description }), {
            reconcile: async () => {
                const svc = await findService(client, serviceId);
                if (!svc || !lists(svc, endpointId)) return undefined;
                return compact({ id: endpointId, description: inputs.description, cloudProvider: svc.provider, region: svc.region });
            },
        });
        // The API associates the endpoint with the service; attach it explicitly if it did not.
        const svc = await getService(client, serviceId);
        if (!lists(svc, endpointId)) await attachPrivateEndpoint(client, serviceId, endpointId);
        const config = await getPrivateEndpointConfig(client, serviceId);
        return { id: endpointId, outs: outputsOf(inputs, endpoint, svc, config) };
    },
    // Nothing updates in place (see diff); an update can only change hidden inputs.
    update: async (_id, olds, news) => ({ outs: outputsOf({ ...olds, ...news }, undefined, undefined, undefined) }),
    read: async (given, recorded) => {
        const client = apiClient();
        // `pulumi import <serviceId>:<endpointId>`: the resource's id is the endpoint id, as a create records it.
        const imported = isImportRead(recorded) ? requireCompoundId(RESOURCE, given, IMPORT_ID_FORMATS.PrivateEndpoint) : undefined;
        const id = imported ? imported.objectId : given;
        const props: Partial<PrivateEndpointOutputs> | undefined = imported
            ? { serviceId: imported.serviceId, endpointId: imported.objectId }
            : recorded;
        const serviceId = props?.serviceId;
        // Only an import by id alone records no serviceId: there is no service to look in.
        if (serviceId === undefined) return GONE;
        const endpointId = props?.endpointId ?? id;
        const svc = await findService(client, serviceId);
        if (!lists(svc, endpointId)) return GONE;
        const known = props?.endpointServiceId !== undefined && props?.privateDnsHostname !== undefined;
        const config = known ? undefined : await findPrivateEndpointConfig(client, serviceId);
        const outs = outputsOf({ ...props, serviceId, endpointId }, undefined, svc, config);
        const inputs = compact({ serviceId, endpointId, description: props?.description, ...hiddenOf(props ?? {}) });
        return { id, props: outs, inputs };
    },
    delete: async (id, props) => {
        const serviceId = props?.serviceId;
        if (serviceId === undefined) return;
        const endpointId = props?.endpointId ?? id;
        const client = apiClient();
        const svc = await findService(client, serviceId);
        if (!lists(svc, endpointId)) return;
        await ignoreNotFound(() => detachPrivateEndpoint(client, serviceId, endpointId));
    },
});

/**
 * A private endpoint attached to a ClickHouse Cloud service. Create the endpoint in your cloud
 * account first (for AWS: a VPC interface endpoint to {@link endpointServiceId}, with private
 * DNS for {@link privateDnsHostname}), then pass its id here. To know the endpoint service
 * before any endpoint exists, use `getPrivateEndpointConfig(serviceId)`.
 *
 * When PrivateEndpoint resources manage a service's endpoints, leave `privateEndpointIds`
 * unset on the `clickhouse.Service`, or the two will undo each other on every `pulumi up`.
 * Every change replaces the resource (the endpoint is detached, then attached again).
 */
export class PrivateEndpoint extends ClickHouseResource {
    /** Id of the service. */
    declare readonly serviceId: pulumi.Output<string>;
    /** Id of the endpoint in your cloud account. */
    declare readonly endpointId: pulumi.Output<string>;
    /** Description, as registered. */
    declare readonly description: pulumi.Output<string | undefined>;
    /** Cloud provider of the endpoint (`aws`, `gcp`, `azure`). */
    declare readonly cloudProvider: pulumi.Output<string>;
    /** Region of the endpoint. */
    declare readonly region: pulumi.Output<string>;
    /** The service's endpoint service: AWS "Service name", GCP "Target service", Azure "Private Link Service". */
    declare readonly endpointServiceId: pulumi.Output<string>;
    /** Private DNS name of the service inside your VPC. */
    declare readonly privateDnsHostname: pulumi.Output<string>;

    constructor(name: string, args: PrivateEndpointArgs, opts?: pulumi.CustomResourceOptions) {
        super("PrivateEndpoint", name, { ...outputPlaceholders(PROPERTIES), ...args }, opts);
    }
}
