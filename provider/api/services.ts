/**
 * The service operations of the API, one typed function per call: what the Service resource, the
 * resources attached to a service and the read functions use instead of building requests. Pacing
 * (`withPriority`) and the 409 back-off of a delete live here.
 */
import type { ApiClient } from "./client";
import type { RequestOptions } from "./clientOptions";
import { isNotFound } from "./errors";
import { withPriority } from "./priority";
import { servicePath } from "./paths";
import type {
    PrivateEndpointConfig,
    Service,
    ServicePasswordPatchRequest,
    ServicePasswordPatchResponse,
    ServicePatchRequest,
    ServicePostRequest,
    ServicePostResponse,
    ServiceReplicaScalingPatchRequest,
    ServiceStateCommand,
} from "./types";

/** What a read needs of a client (the poller passes a narrower one in tests). */
export type Reader = Pick<ApiClient, "get">;

/** `GET /services`, optionally filtered (`tag:Key=Value`); `instead`: see {@link RequestOptions.instead}. */
export async function listServices(client: Reader, filter?: string, instead?: () => Promise<Service[] | undefined>): Promise<Service[]> {
    const opts: RequestOptions<Service[]> = {};
    if (filter) opts.query = { filter };
    if (instead) opts.instead = instead;
    return (await client.get<Service[]>(servicePath(), filter || instead ? opts : undefined)) ?? [];
}

/** `GET /services/{id}`; `instead`: see {@link RequestOptions.instead}. */
export function getService(client: Reader, id: string, instead?: () => Promise<Service | undefined>): Promise<Service> {
    return instead ? client.get<Service>(servicePath(id), { instead }) : client.get<Service>(servicePath(id));
}

/** `GET /services/{id}`; undefined when the API answers 404. */
export async function findService(client: Reader, id: string): Promise<Service | undefined> {
    try {
        return await getService(client, id);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/**
 * `POST /services`. `start` priority: it begins minutes of provisioning, so it may take the
 * slot the poller keeps. `reconcile` looks the service up when the answer was lost.
 */
export function createService(
    client: ApiClient,
    body: ServicePostRequest,
    opts: RequestOptions<ServicePostResponse> = {},
): Promise<ServicePostResponse> {
    return withPriority("start", () => client.post<ServicePostResponse>(servicePath(), body, opts));
}

/** `PATCH /services/{id}`: name, IP access list, private endpoints, release channel, endpoints, tags. */
export function patchService(client: ApiClient, id: string, body: ServicePatchRequest): Promise<Service> {
    return client.patch<Service>(servicePath(id), body);
}

/** `PATCH /services/{id}/replicaScaling`: per-replica memory, replicas, idle scaling. */
export function patchReplicaScaling(client: ApiClient, id: string, body: ServiceReplicaScalingPatchRequest): Promise<Service> {
    return client.patch<Service>(servicePath(id, "replicaScaling"), body);
}

/** `PATCH /services/{id}/password`: the new password comes back only when no hash was sent. */
export function patchPassword(client: ApiClient, id: string, body: ServicePasswordPatchRequest): Promise<ServicePasswordPatchResponse> {
    return client.patch<ServicePasswordPatchResponse>(servicePath(id, "password"), body);
}

/** `PATCH /services/{id}/state`: `start`, `stop` or `awake`. */
export function changeServiceState(client: ApiClient, id: string, command: ServiceStateCommand): Promise<Service> {
    return client.patch<Service>(servicePath(id, "state"), { command });
}

/** `DELETE /services/{id}`. */
export function deleteServiceRequest(client: ApiClient, id: string): Promise<void> {
    return client.delete(servicePath(id));
}

/** `GET /services/{id}/privateEndpointConfig`. */
export function getPrivateEndpointConfig(client: ApiClient, id: string): Promise<PrivateEndpointConfig> {
    return client.get<PrivateEndpointConfig>(servicePath(id, "privateEndpointConfig"));
}
