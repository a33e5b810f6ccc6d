/**
 * Creating a service: resuming this stack's interrupted create when there is one (ownership.ts),
 * else the POST with its creation tag, then the wait and the settings a POST cannot carry; and
 * taking over a service named by `adoptServiceId`.
 */
import type { ApiClient } from "../../api/client";
import { getClient } from "../../api/client";
import { isApiError } from "../../api/errors";
import * as services from "../../api/services";
import type { ResourceTagsV1, ServicePostRequest, ServicePostResponse } from "../../api/types";
import type { ProviderConfig } from "../../config";
import { beginAttempt, finishAttempts, newAttemptId } from "../../journal";
import { warn } from "../../log";
import { waitForService } from "../../wait";
import { partialFailure } from "../partialFailure";
import { compact } from "../records";
import { timeoutFor } from "../timeouts";
import { show } from "../validation";
import type { ServiceInputs, ServiceOutputs } from "./args";
import { ConvergeContext, configFor, labelOf, lastSeen, remaining } from "./context";
import { converge } from "./converge";
import { deleteService } from "./delete";
import { withFailedAdvice } from "./failed";
import { normalIp, normalTag } from "./diff";
import { outputsFrom } from "./outputs";
import { findByCreationTag, interruptedServices, ownerOf, replacingDifferences, serviceCreationTag } from "./ownership";
import { DEFAULT_TIMEOUT_MS, GONE_STATES, RESOURCE, STABLE_STATES, TERMINATING_STATES } from "./properties";

/** Creates the service (or resumes or adopts one) and brings it to its arguments. */
export async function createService(inputs: ServiceInputs): Promise<{ id: string; outs: ServiceOutputs }> {
    const cfg = configFor(inputs.organizationId);
    const client = getClient(cfg);
    const label = labelOf(inputs);
    const deadline = Date.now() + timeoutFor(inputs.timeouts, "create", DEFAULT_TIMEOUT_MS);

    if (typeof inputs.adoptServiceId === "string") return adoptService(client, cfg, inputs, inputs.adoptServiceId, deadline);

    const owner = ownerOf(inputs);
    const interrupted = await interruptedServices(client, inputs);
    if (owner) finishAttempts(owner, interrupted.nothing);
    /** Deleting what interrupted creates left with other replacing settings; each settles with its error. */
    const discards = interrupted.discard.map(({ svc, attempt }) => {
        warn(
            `${RESOURCE} ${label}: service ${svc.id} ("${svc.name}") was created by an interrupted earlier run of this resource and never recorded, ` +
                `but has ${replacingDifferences(svc, inputs) || "other replacing settings"}: deleting it (its password was never returned, so it holds nothing of yours).`,
        );
        return deleteService(svc.id ?? "", {
            state: svc.state,
            name: svc.name,
            organizationId: cfg.organizationId,
            timeouts: inputs.timeouts,
        }).then(
            () => {
                if (owner) finishAttempts(owner, [attempt]);
                return undefined;
            },
            (e: Error) =>
                new Error(
                    `${RESOURCE} ${label}: could not delete service ${svc.id}, left by an interrupted earlier create of this resource: ${e.message}. ` +
                        `Delete it with "npx pulumi-clickhouse-cloud orphans --delete" or in the ClickHouse Cloud console.`,
                ),
        );
    });

    let ctx: ConvergeContext;
    let attempt: string;
    const resumed = interrupted.resume;
    if (resumed) {
        attempt = resumed.attempt;
        warn(
            `${RESOURCE} ${label}: resuming service ${resumed.svc.id}, which an interrupted earlier run of this stack created for this resource ` +
                `and never recorded; no new service is created.`,
        );
        ctx = { client, id: resumed.svc.id ?? "", label, deadline, svc: resumed.svc, secrets: {} };
    } else {
        attempt = newAttemptId();
        const tag = serviceCreationTag(inputs, attempt);
        // Recorded before the POST: from here until the engine has the answer, a kill leaves an
        // attempt the next run of this stack can resume, and nobody else's run can.
        if (owner && inputs.__creation) beginAttempt(owner, { attempt, kind: "Service", resource: inputs.__creation });
        let res: ServicePostResponse;
        try {
            // `start`: the POST begins minutes of provisioning, so it may take the slot the poller keeps.
            res = await services.createService(client, postBody(inputs, tag), {
                reconcile: tag
                    ? async () => {
                          const service = await findByCreationTag(client, tag);
                          return service ? { service } : undefined;
                      }
                    : undefined,
            });
        } catch (e) {
            // A refusal created nothing; a lost answer may have, so its attempt stays for the next run.
            if (owner && isApiError(e) && e.status < 500 && e.status !== 429) finishAttempts(owner, [attempt]);
            await Promise.all(discards);
            throw e;
        }
        if (!res.service?.id)
            throw new Error(
                `${RESOURCE} ${label}: the API accepted the create but returned no service id; look for a service named "${label}"${tag ? ` tagged ${tag.key}=${tag.value}` : ""}.`,
            );
        ctx = { client, id: res.service.id, label, deadline, svc: res.service, secrets: compact({ password: res.password }) };
    }

    try {
        if (!ctx.svc.state || !STABLE_STATES.includes(ctx.svc.state)) {
            const stable = await waitForService(client, ctx.id, { until: STABLE_STATES, timeoutMs: remaining(deadline), label });
            if (stable) ctx.svc = stable;
        }
        const olds = outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId);
        await converge(ctx, olds, inputs, { rotateUnknownPassword: resumed !== undefined });
        const failed = (await Promise.all(discards)).find((e) => e !== undefined);
        if (failed) throw failed;
    } catch (err) {
        await Promise.all(discards);
        // The engine records the service with this answer: the attempt is no longer interrupted.
        if (owner) finishAttempts(owner, [attempt]);
        throw partialFailure(
            ctx.id,
            outputsFrom(lastSeen(err, ctx.svc), inputs, ctx.secrets, cfg.organizationId),
            inputs,
            withFailedAdvice(err, label, ctx.id),
        );
    }
    if (owner) finishAttempts(owner, [attempt]);
    return { id: ctx.id, outs: outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId) };
}

/** The `POST /services` body of the arguments, with the creation tag. */
export function postBody(inputs: ServiceInputs, tag: ResourceTagsV1 | undefined): ServicePostRequest {
    const tags = [...(inputs.tags ?? []).map(normalTag), ...(tag ? [tag] : [])];
    return compact({
        name: inputs.name,
        provider: inputs.provider,
        region: inputs.region,
        tier: inputs.tier,
        ipAccessList: inputs.ipAccessList?.map(normalIp),
        minReplicaMemoryGb: inputs.minReplicaMemoryGb,
        maxReplicaMemoryGb: inputs.maxReplicaMemoryGb,
        numReplicas: inputs.numReplicas,
        idleScaling: inputs.idleScaling,
        idleTimeoutMinutes: inputs.idleTimeoutMinutes,
        isReadonly: inputs.isReadonly,
        dataWarehouseId: inputs.dataWarehouseId,
        backupId: inputs.backupId,
        encryptionKey: inputs.encryptionKey,
        encryptionAssumedRoleIdentifier: inputs.encryptionAssumedRoleIdentifier,
        releaseChannel: inputs.releaseChannel,
        byocId: inputs.byocId,
        endpoints: inputs.endpoints,
        tags: tags.length ? tags : undefined,
        // privateEndpointIds: attached by PATCH afterwards (deprecated on POST by the API).
    });
}

/** Takes over an existing service by id and converges it to the arguments. */
export async function adoptService(
    client: ApiClient,
    cfg: ProviderConfig,
    inputs: ServiceInputs,
    id: string,
    deadline: number,
): Promise<{ id: string; outs: ServiceOutputs }> {
    const label = labelOf(inputs, id);
    const existing = await services.findService(client, id);
    if (!existing || (existing.state && (GONE_STATES.includes(existing.state) || TERMINATING_STATES.includes(existing.state)))) {
        throw new Error(
            `${RESOURCE} ${label}: "adoptServiceId" is ${id}, but organization ${cfg.organizationId} has no such service${existing ? ` (it is ${existing.state})` : ""}.`,
        );
    }
    for (const k of ["provider", "region"] as const) {
        if (existing[k] !== inputs[k]) {
            throw new Error(
                `${RESOURCE} ${label}: service ${id} to adopt has ${k} ${show(existing[k])}, but the arguments say ${show(inputs[k])}; a ${k} cannot be changed: set "${k}" to ${show(existing[k])}.`,
            );
        }
    }
    const ctx: ConvergeContext = { client, id, label, deadline, svc: existing, secrets: {} };
    try {
        if (!existing.state || !STABLE_STATES.includes(existing.state)) {
            const stable = await waitForService(client, id, { until: STABLE_STATES, timeoutMs: remaining(deadline), label });
            if (stable) ctx.svc = stable;
        }
        await converge(ctx, outputsFrom(ctx.svc, {}, {}, cfg.organizationId), inputs);
    } catch (err) {
        throw partialFailure(id, outputsFrom(lastSeen(err, ctx.svc), inputs, ctx.secrets, cfg.organizationId), inputs, err);
    }
    return { id, outs: outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId) };
}
