/**
 * The scaling operation the services module does not cover: the deprecated total-memory call.
 * Per-replica scaling is `patchReplicaScaling` in ./services.ts.
 */
import type { ApiClient } from "./client";
import { servicePath } from "./paths";
import type { ServiceScalingPatchRequest, ServiceScalingPatchResponse } from "./types";

/**
 * `PATCH /services/{id}/scaling` (deprecated by the API): total memory of three workers, replicas,
 * idle scaling. Answers the service.
 */
export function patchScaling(client: ApiClient, id: string, body: ServiceScalingPatchRequest): Promise<ServiceScalingPatchResponse> {
    return client.patch<ServiceScalingPatchResponse>(servicePath(id, "scaling"), body);
}
