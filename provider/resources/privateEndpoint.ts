/**
 * `clickhouse:PrivateEndpoint`: a cloud private endpoint (AWS PrivateLink, GCP Private Service
 * Connect, Azure Private Link) registered and attached to one service. Create POSTs
 * `/services/{id}/privateEndpoint`; read checks the service still lists it in
 * `privateEndpointIds`; delete detaches it (`PATCH /services/{id}` with
 * `privateEndpointIds.remove`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { InstancePrivateEndpoint, PrivateEndpointConfig, Service } from "../api/types";
import { ClickHouseResource } from "../shim";
import { compact, DiffResult, diffBySpec, Handlers, Validator } from "./common";
import { apiClient, checkServiceId, GONE, getOrUndefined, hiddenOf, ignoreNotFound, requireService } from "./satellite";

const RESOURCE = "clickhouse:PrivateEndpoint";

/** Arguments of {@link PrivateEndpoint}. */
export interface PrivateEndpointArgs {
    /** Id of the service to attach the endpoint to. Changing this replaces the resource. */
    serviceId: pulumi.Input<string>;
    /**
     * Id of the endpoint you created in your cloud account (AWS: the VPC endpoint id
     * `vpce-...`; GCP: the PSC connection id; Azure: the private endpoint's resource GUID).
     * Changing this replaces the resource.
     */
    endpointId: pulumi.Input<string>;
    /**
     * Free text shown in the ClickHouse Cloud console. The API cannot change it on an existing
     * endpoint: changing or removing this replaces the resource (detach, then register again).
     * @default none
     */
    description?: pulumi.Input<string>;
}

/** Plain inputs as the provider receives them. */
export interface PrivateEndpointInputs {
    serviceId: string;
    endpointId: string;
    description?: string;
}

/** Outputs: the inputs, plus what the cloud side needs. */
export interface PrivateEndpointOutputs extends PrivateEndpointInputs {
    /** Cloud provider of the endpoint (`aws`, `gcp`, `azure`). */
    cloudProvider?: string;
    /** Region of the endpoint. */
    region?: string;
    /** The service's endpoint service (AWS "Service name", GCP "Target service", Azure "Private Link Service"). */
    endpointServiceId?: string;
    /** Private DNS name of the service inside your VPC. */
    privateDnsHostname?: string;
}

const INPUTS = ["serviceId", "endpointId", "description"] as const;

/** Validates the inputs; no API call. */
export function checkPrivateEndpoint(_olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] } {
    const v = new Validator(RESOURCE, news);
    v.knownKeys(undefined, INPUTS);
    checkServiceId(v);
    v.string("endpointId", { required: true, maxLength: 255, pattern: /^[^\s,]+$/, patternText: "an endpoint id without spaces or commas, e.g. \"vpce-0123456789abcdef0\"" });
    v.string("description", { maxLength: 255 });
    return { inputs: news, failures: v.failures };
}

/**
 * Every input replaces: the API has no way to edit an attached endpoint. Replacement deletes
 * first, because the new endpoint usually has the same id and attaching it before detaching
 * the old one would be undone by that detach.
 */
export function diffPrivateEndpoint(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    const result = diffBySpec(olds, news, { replace: INPUTS, update: [] });
    return result.replaces.length > 0 ? { ...result, deleteBeforeReplace: true } : result;
}

function outputsOf(inputs: Record<string, unknown>, endpoint: InstancePrivateEndpoint | undefined, svc: Service | undefined, config: PrivateEndpointConfig | undefined): Record<string, unknown> {
    return compact({
        serviceId: inputs.serviceId,
        endpointId: inputs.endpointId,
        description: endpoint?.description ?? inputs.description,
        cloudProvider: endpoint?.cloudProvider ?? svc?.provider ?? inputs.cloudProvider,
        region: endpoint?.region ?? svc?.region ?? inputs.region,
        endpointServiceId: config?.endpointServiceId ?? inputs.endpointServiceId,
        privateDnsHostname: config?.privateDnsHostname ?? inputs.privateDnsHostname,
        ...hiddenOf(inputs),
    });
}

/** The CRUD of `clickhouse:PrivateEndpoint` as the runtime dispatches it. */
export const privateEndpointHandlers: Handlers = {
    check: async (olds, news) => checkPrivateEndpoint(olds, news),
    diff: async (id, olds, news) => diffPrivateEndpoint(id, olds, news),
    create: async (inputs) => {
        const client = apiClient();
        const serviceId = inputs.serviceId as string;
        const endpointId = inputs.endpointId as string;
        await requireService(client, RESOURCE, serviceId);
        // Registering the same endpoint id again is harmless, so a POST whose answer was lost is
        // retried unless the service already lists the endpoint (then that is the answer).
        const endpoint = await client.post<InstancePrivateEndpoint>(`/services/${serviceId}/privateEndpoint`, compact({ id: endpointId, description: inputs.description }), {
            reconcile: async () => {
                const svc = await getOrUndefined<Service>(client, `/services/${serviceId}`);
                if (!svc || !(svc.privateEndpointIds ?? []).includes(endpointId)) return undefined;
                return compact({ id: endpointId, description: inputs.description, cloudProvider: svc.provider, region: svc.region }) as InstancePrivateEndpoint;
            },
        });
        // The API associates the endpoint with the service; attach it explicitly if it did not.
        const svc = await client.get<Service>(`/services/${serviceId}`);
        if (!(svc.privateEndpointIds ?? []).includes(endpointId)) {
            await client.patch(`/services/${serviceId}`, { privateEndpointIds: { add: [endpointId] } });
        }
        const config = await client.get<PrivateEndpointConfig>(`/services/${serviceId}/privateEndpointConfig`);
        return { id: endpointId, outs: outputsOf(inputs, endpoint, svc, config) };
    },
    // Nothing updates in place (see diff); an update can only change hidden inputs.
    update: async (_id, olds, news) => ({ outs: outputsOf({ ...olds, ...news }, undefined, undefined, undefined) }),
    read: async (id, props) => {
        const client = apiClient();
        const serviceId = props?.serviceId as string;
        const endpointId = (props?.endpointId as string | undefined) ?? id;
        const svc = await getOrUndefined<Service>(client, `/services/${serviceId}`);
        if (!svc || !(svc.privateEndpointIds ?? []).includes(endpointId)) return GONE;
        const known = props?.endpointServiceId !== undefined && props?.privateDnsHostname !== undefined;
        const config = known ? undefined : await getOrUndefined<PrivateEndpointConfig>(client, `/services/${serviceId}/privateEndpointConfig`);
        const outs = outputsOf({ ...props, endpointId }, undefined, svc, config);
        const inputs = compact({ serviceId, endpointId, description: props?.description, ...hiddenOf(props ?? {}) });
        return { id, props: outs, inputs };
    },
    delete: async (id, props) => {
        const serviceId = props?.serviceId as string;
        const endpointId = (props?.endpointId as string | undefined) ?? id;
        const client = apiClient();
        const svc = await getOrUndefined<Service>(client, `/services/${serviceId}`);
        if (!svc || !(svc.privateEndpointIds ?? []).includes(endpointId)) return;
        await ignoreNotFound(() => client.patch(`/services/${serviceId}`, { privateEndpointIds: { remove: [endpointId] } }));
    },
};

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
        super(
            "PrivateEndpoint",
            name,
            { description: undefined, cloudProvider: undefined, region: undefined, endpointServiceId: undefined, privateDnsHostname: undefined, ...args },
            opts,
        );
    }
}
