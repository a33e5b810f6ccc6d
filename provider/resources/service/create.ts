import { ApiClient, getClient } from "../../api/client";
import { isApiError } from "../../api/errors";
import { withPriority } from "../../api/limiter";
import type { IpAccessListEntry, ResourceTagsV1, ServicePostRequest, ServicePostResponse } from "../../api/types";
import { ProviderConfig } from "../../config";
import { beginAttempt, finishAttempts, newAttemptId } from "../../journal";
import { warn } from "../../log";
import { waitForService } from "../../wait";
import { CREATION_KEY, Timeouts, compact, partialFailure, show, timeoutFor } from "../common";
import * as pulumi from "@pulumi/pulumi";
import { ConvergeContext, configFor, getService, labelOf, lastSeen, remaining } from "./context";
import { converge } from "./converge";
import { deleteService } from "./delete";
import { normalIp, normalTag } from "./diff";
import { Service } from "./index";
import { outputsFrom } from "./outputs";
import { findByCreationTag, interruptedServices, ownerOf, replacingDifferences, serviceCreationTag } from "./ownership";
import { DEFAULT_TIMEOUT_MS, GONE_STATES, RESOURCE, STABLE_STATES, TERMINATING_STATES } from "./properties";

export async function createService(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
    const cfg = configFor(inputs.organizationId);
    const client = getClient(cfg);
    const label = labelOf(inputs);
    const deadline = Date.now() + timeoutFor(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUT_MS);

    if (typeof inputs.adoptServiceId === "string") return adoptService(client, cfg, inputs, inputs.adoptServiceId, deadline);

    const owner = ownerOf(inputs);
    const interrupted = await interruptedServices(client, inputs);
    if (owner) finishAttempts(owner, interrupted.nothing);
    /** Deleting what interrupted creates left with other replacing settings; each settles with its error. */
    const discards = interrupted.discard.map(({ svc, attempt }) => {
        warn(
            `${RESOURCE} ${label}: service ${svc.id} ("${svc.name}") was created by an interrupted earlier run of this resource and never recorded, ` +
                `but has ${replacingDifferences(svc, inputs)}: deleting it (its password was never returned, so it holds nothing of yours).`,
        );
        return deleteService(svc.id as string, { state: svc.state, name: svc.name, organizationId: cfg.organizationId, timeouts: inputs.timeouts }).then(
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
        ctx = { client, id: resumed.svc.id as string, label, deadline, svc: resumed.svc, secrets: {} };
    } else {
        attempt = newAttemptId();
        const tag = serviceCreationTag(inputs, attempt);
        // Recorded before the POST: from here until the engine has the answer, a kill leaves an
        // attempt the next run of this stack can resume, and nobody else's run can.
        if (owner && typeof inputs[CREATION_KEY] === "string") beginAttempt(owner, { attempt, kind: "Service", resource: inputs[CREATION_KEY] as string });
        let res: ServicePostResponse;
        try {
            // `start`: the POST begins minutes of provisioning, so it may take the slot the poller keeps.
            res = await withPriority("start", () =>
                client.post<ServicePostResponse>("/services", postBody(inputs, tag), {
                    reconcile: tag
                        ? async () => {
                              const s = await findByCreationTag(client, tag);
                              return s ? ({ service: s } as ServicePostResponse) : undefined;
                          }
                        : undefined,
                }),
            );
        } catch (e) {
            // A refusal created nothing; a lost answer may have, so its attempt stays for the next run.
            if (owner && isApiError(e) && e.status < 500 && e.status !== 429) finishAttempts(owner, [attempt]);
            await Promise.all(discards);
            throw e;
        }
        if (!res.service?.id) throw new Error(`${RESOURCE} ${label}: the API accepted the create but returned no service id; look for a service named "${label}"${tag ? ` tagged ${tag.key}=${tag.value}` : ""}.`);
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
        throw partialFailure(ctx.id, outputsFrom(lastSeen(err, ctx.svc), inputs, ctx.secrets, cfg.organizationId), inputs, err);
    }
    if (owner) finishAttempts(owner, [attempt]);
    return { id: ctx.id, outs: outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId) };
}

export function postBody(inputs: Record<string, unknown>, tag: ResourceTagsV1 | undefined): ServicePostRequest {
    const pick = <K extends keyof ServicePostRequest>(k: K) => inputs[k] as ServicePostRequest[K];
    const tags = [...((inputs.tags as ResourceTagsV1[] | undefined) ?? []).map((t) => normalTag(t) as ResourceTagsV1), ...(tag ? [tag] : [])];
    return compact({
        name: pick("name"),
        provider: pick("provider"),
        region: pick("region"),
        tier: pick("tier"),
        ipAccessList: inputs.ipAccessList ? (inputs.ipAccessList as IpAccessListEntry[]).map((e) => normalIp(e) as IpAccessListEntry) : undefined,
        minReplicaMemoryGb: pick("minReplicaMemoryGb"),
        maxReplicaMemoryGb: pick("maxReplicaMemoryGb"),
        numReplicas: pick("numReplicas"),
        idleScaling: pick("idleScaling"),
        idleTimeoutMinutes: pick("idleTimeoutMinutes"),
        isReadonly: pick("isReadonly"),
        dataWarehouseId: pick("dataWarehouseId"),
        backupId: pick("backupId"),
        encryptionKey: pick("encryptionKey"),
        encryptionAssumedRoleIdentifier: pick("encryptionAssumedRoleIdentifier"),
        releaseChannel: pick("releaseChannel"),
        byocId: pick("byocId"),
        endpoints: pick("endpoints"),
        tags: tags.length ? tags : undefined,
        // privateEndpointIds: attached by PATCH afterwards (deprecated on POST by the API).
    });
}

/** Takes over an existing service by id and converges it to the arguments. */
export async function adoptService(client: ApiClient, cfg: ProviderConfig, inputs: Record<string, unknown>, id: string, deadline: number): Promise<{ id: string; outs: Record<string, unknown> }> {
    const label = labelOf(inputs, id);
    const existing = await getService(client, id);
    if (!existing || (existing.state && (GONE_STATES.includes(existing.state) || TERMINATING_STATES.includes(existing.state)))) {
        throw new Error(`${RESOURCE} ${label}: "adoptServiceId" is ${id}, but organization ${cfg.organizationId} has no such service${existing ? ` (it is ${existing.state})` : ""}.`);
    }
    for (const k of ["provider", "region"] as const) {
        if (existing[k] !== inputs[k]) {
            throw new Error(`${RESOURCE} ${label}: service ${id} to adopt has ${k} ${show(existing[k])}, but the arguments say ${show(inputs[k])}; a ${k} cannot be changed: set "${k}" to ${show(existing[k])}.`);
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
