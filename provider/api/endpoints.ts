/**
 * The endpoint operations of a service, one typed function per call: private endpoints (register,
 * attach, detach, the endpoint service's configuration) and the query API endpoint.
 */
import type { ApiClient } from "./client";
import type { RequestOptions } from "./clientOptions";
import { unlessNotFound } from "./notFound";
import { servicePath } from "./paths";
import { getPrivateEndpointConfig, patchService } from "./services";
import type {
    InstancePrivateEndpoint,
    InstanceServiceQueryApiEndpointsPostRequest,
    PrivateEndpointConfig,
    Service,
    ServicePrivateEndpointPostRequest,
    ServiceQueryAPIEndpoint,
} from "./types";

/**
 * `POST /services/{id}/privateEndpoint`: registers a cloud endpoint with the service.
 * `reconcile` looks the endpoint up when the answer was lost.
 */
export function createPrivateEndpoint(
    client: ApiClient,
    serviceId: string,
    body: ServicePrivateEndpointPostRequest,
    opts: RequestOptions<InstancePrivateEndpoint> = {},
): Promise<InstancePrivateEndpoint> {
    return client.post<InstancePrivateEndpoint>(servicePath(serviceId, "privateEndpoint"), body, opts);
}

/** `PATCH /services/{id}` with `privateEndpointIds.add`: the service accepts connections from the endpoint. */
export function attachPrivateEndpoint(client: ApiClient, serviceId: string, endpointId: string): Promise<Service> {
    return patchService(client, serviceId, { privateEndpointIds: { add: [endpointId] } });
}

/** `PATCH /services/{id}` with `privateEndpointIds.remove`: the service no longer accepts the endpoint. */
export function detachPrivateEndpoint(client: ApiClient, serviceId: string, endpointId: string): Promise<Service> {
    return patchService(client, serviceId, { privateEndpointIds: { remove: [endpointId] } });
}

/** `GET /services/{id}/privateEndpointConfig`; undefined when the API answers 404. */
export function findPrivateEndpointConfig(client: ApiClient, serviceId: string): Promise<PrivateEndpointConfig | undefined> {
    return unlessNotFound(() => getPrivateEndpointConfig(client, serviceId));
}

/** `GET /services/{id}/serviceQueryEndpoint`. */
export function getQueryEndpoint(client: ApiClient, serviceId: string): Promise<ServiceQueryAPIEndpoint> {
    return client.get<ServiceQueryAPIEndpoint>(servicePath(serviceId, "serviceQueryEndpoint"));
}

/** `GET /services/{id}/serviceQueryEndpoint`; undefined when the API answers 404 (no endpoint, or no service). */
export function findQueryEndpoint(client: ApiClient, serviceId: string): Promise<ServiceQueryAPIEndpoint | undefined> {
    return unlessNotFound(() => getQueryEndpoint(client, serviceId));
}

/** `POST /services/{id}/serviceQueryEndpoint`: an upsert, so sending it again is safe. */
export function upsertQueryEndpoint(
    client: ApiClient,
    serviceId: string,
    body: InstanceServiceQueryApiEndpointsPostRequest,
    opts: RequestOptions<ServiceQueryAPIEndpoint> = {},
): Promise<ServiceQueryAPIEndpoint> {
    return client.post<ServiceQueryAPIEndpoint>(servicePath(serviceId, "serviceQueryEndpoint"), body, opts);
}

/** `DELETE /services/{id}/serviceQueryEndpoint`. */
export function deleteQueryEndpoint(client: ApiClient, serviceId: string): Promise<void> {
    return client.delete(servicePath(serviceId, "serviceQueryEndpoint"));
}
