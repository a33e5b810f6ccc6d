/**
 * The ClickPipe operations of the API, one typed function per call: what the ClickPipe resource
 * uses instead of building requests. The ClickPipes API is alpha; the shapes are the OpenAPI
 * document's. Waking an idle service on 424 is the caller's (`withServiceAwake`), not this module's.
 */
import type { ApiClient } from "./client";
import type { RequestOptions } from "./clientOptions";
import { isNotFound } from "./errors";
import { clickPipePath } from "./paths";
import type {
    ClickPipe,
    ClickPipePatchRequest,
    ClickPipePostRequest,
    ClickPipeScalingPatchRequest,
    ClickPipeStatePatchRequest,
} from "./types";

/** `PATCH /services/{serviceId}/clickpipes/{pipeId}/state` commands. */
export type ClickPipeStateCommand = NonNullable<ClickPipeStatePatchRequest["command"]>;

/** `GET /services/{serviceId}/clickpipes`; none when the service is gone (404). */
export async function listClickPipes(client: ApiClient, serviceId: string): Promise<ClickPipe[]> {
    try {
        return (await client.get<ClickPipe[]>(clickPipePath(serviceId))) ?? [];
    } catch (e) {
        if (isNotFound(e)) return [];
        throw e;
    }
}

/** `GET /services/{serviceId}/clickpipes/{pipeId}`. */
export function getClickPipe(client: ApiClient, serviceId: string, pipeId: string): Promise<ClickPipe> {
    return client.get<ClickPipe>(clickPipePath(serviceId, pipeId));
}

/** `GET /services/{serviceId}/clickpipes/{pipeId}`; undefined when the API answers 404. */
export async function findClickPipe(client: ApiClient, serviceId: string, pipeId: string): Promise<ClickPipe | undefined> {
    try {
        return await getClickPipe(client, serviceId, pipeId);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** `POST /services/{serviceId}/clickpipes`. `reconcile` looks the pipe up when the answer was lost. */
export function createClickPipe(
    client: ApiClient,
    serviceId: string,
    body: ClickPipePostRequest,
    opts: RequestOptions<ClickPipe> = {},
): Promise<ClickPipe> {
    return client.post<ClickPipe>(clickPipePath(serviceId), body, opts);
}

/** `PATCH /services/{serviceId}/clickpipes/{pipeId}`: name, in-place source fields, destination columns, field mappings. */
export function patchClickPipe(client: ApiClient, serviceId: string, pipeId: string, body: ClickPipePatchRequest): Promise<ClickPipe> {
    return client.patch<ClickPipe>(clickPipePath(serviceId, pipeId), body);
}

/** `PATCH /services/{serviceId}/clickpipes/{pipeId}/scaling`: replicas, CPU and memory per replica. */
export function patchClickPipeScaling(
    client: ApiClient,
    serviceId: string,
    pipeId: string,
    body: ClickPipeScalingPatchRequest,
): Promise<ClickPipe> {
    return client.patch<ClickPipe>(clickPipePath(serviceId, pipeId, "scaling"), body);
}

/** `PATCH /services/{serviceId}/clickpipes/{pipeId}/state`: `start`, `stop` or `resync`. */
export function changeClickPipeState(
    client: ApiClient,
    serviceId: string,
    pipeId: string,
    command: ClickPipeStateCommand,
): Promise<ClickPipe> {
    return client.patch<ClickPipe>(clickPipePath(serviceId, pipeId, "state"), { command });
}

/** `DELETE /services/{serviceId}/clickpipes/{pipeId}`. */
export function deleteClickPipe(client: ApiClient, serviceId: string, pipeId: string): Promise<void> {
    return client.delete(clickPipePath(serviceId, pipeId));
}
