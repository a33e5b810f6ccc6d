import { mysqlDoubleSha1Hash, sha256PasswordHash } from "../../api/catalog";
import type { IpAccessListEntry, ResourceTagsV1, Service as ApiService, ServicePasswordPatchRequest, ServicePasswordPatchResponse, ServicePatchRequest, ServiceReplicaScalingPatchRequest, ServiceState } from "../../api/types";
import { waitForService } from "../../wait";
import { compact, sameSet, sameValue } from "../common";
import { ServiceEndpointSetting } from "./args";
import { ConvergeContext, remaining } from "./context";
import { comparableInputs, comparableOutputs, isCreationTag, normalIp, normalTag, serviceRunState, setChanges } from "./diff";
import { DIFF_SPEC, STABLE_STATES } from "./properties";

export async function changeState(ctx: ConvergeContext, command: "start" | "stop"): Promise<void> {
    await ctx.client.patch(`/services/${ctx.id}/state`, { command });
    const until: ServiceState[] = command === "stop" ? ["stopped"] : ["running", "idle"];
    const svc = await waitForService(ctx.client, ctx.id, { until, timeoutMs: remaining(ctx.deadline), label: ctx.label });
    if (svc) ctx.svc = svc;
}

/**
 * Brings an existing service from `olds` (outputs, or outputs built from the API object) to
 * `news`, each change through its own endpoint, then waits for a stable state. Used by update,
 * by adoption and after a create. Mutates `ctx` so a caller can report what was reached.
 */
export async function converge(ctx: ConvergeContext, olds: Record<string, unknown>, news: Record<string, unknown>, opts: { rotateUnknownPassword?: boolean } = {}): Promise<void> {
    const { client, id } = ctx;
    const before = comparableOutputs(olds);
    const after = comparableInputs(news);
    const changed = (p: string) => {
        const a = after[p];
        if (a === undefined || a === null) return false;
        return DIFF_SPEC.sets?.includes(p) ? !sameSet(before[p] as unknown[] | undefined, a as unknown[]) : !sameValue(before[p], a);
    };
    let touched = false;

    // Start first, so the other changes reach a running service.
    if (news.state === "running" && serviceRunState(ctx.svc.state) === "stopped") {
        if (ctx.svc.state === "stopping") {
            const svc = await waitForService(client, id, { until: ["stopped"], timeoutMs: remaining(ctx.deadline), label: ctx.label });
            if (svc) ctx.svc = svc;
        }
        await changeState(ctx, "start");
    }

    // PATCH /services/{id}: name, lists, release channel, endpoints, tags.
    const patch: ServicePatchRequest = {};
    if (changed("name")) patch.name = news.name as string;
    if (changed("ipAccessList")) {
        const { add, remove } = setChanges((olds.ipAccessList as IpAccessListEntry[] | undefined) ?? [], news.ipAccessList as IpAccessListEntry[], normalIp);
        // The API matches removals by source; an entry whose description changed is removed and re-added.
        patch.ipAccessList = compact({ remove: remove.length ? remove.map((e) => ({ source: e.source })) : undefined, add: add.length ? add.map((e) => normalIp(e) as IpAccessListEntry) : undefined });
    }
    if (changed("privateEndpointIds")) {
        const { add, remove } = setChanges((olds.privateEndpointIds as string[] | undefined) ?? [], news.privateEndpointIds as string[]);
        patch.privateEndpointIds = compact({ remove: remove.length ? remove : undefined, add: add.length ? add : undefined });
    }
    if (changed("releaseChannel")) patch.releaseChannel = news.releaseChannel as ServicePatchRequest["releaseChannel"];
    if (changed("endpoints")) patch.endpoints = after.endpoints as ServiceEndpointSetting[];
    if (changed("tags")) {
        const oldTags = ((olds.tags as ResourceTagsV1[] | undefined) ?? []).filter((t) => !isCreationTag(t));
        const { add, remove } = setChanges(oldTags, news.tags as ResourceTagsV1[], normalTag);
        patch.tags = compact({ remove: remove.length ? remove.map((t) => normalTag(t) as ResourceTagsV1) : undefined, add: add.length ? add.map((t) => normalTag(t) as ResourceTagsV1) : undefined });
    }
    if (Object.keys(patch).length > 0) {
        ctx.svc = await client.patch<ApiService>(`/services/${id}`, patch);
        touched = true;
    }

    // PATCH /replicaScaling: memory, replicas, idle scaling.
    const scaling: ServiceReplicaScalingPatchRequest = {};
    const memoryChanged = changed("minReplicaMemoryGb") || changed("maxReplicaMemoryGb");
    for (const p of ["minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "idleScaling", "idleTimeoutMinutes"] as const) {
        const isMemory = p === "minReplicaMemoryGb" || p === "maxReplicaMemoryGb";
        // Both memory bounds travel together so the API never sees min > max halfway.
        if (news[p] !== undefined && news[p] !== null && (changed(p) || (isMemory && memoryChanged))) {
            (scaling as Record<string, unknown>)[p] = news[p];
        }
    }
    if (Object.keys(scaling).length > 0) {
        ctx.svc = await client.patch<ApiService>(`/services/${id}/replicaScaling`, scaling);
        touched = true;
    }

    // PATCH /password: hashes only, never the plaintext.
    if (typeof news.passwordHash === "string" && (changed("passwordHash") || changed("doubleSha1PasswordHash"))) {
        const body: ServicePasswordPatchRequest = compact({ newPasswordHash: news.passwordHash, newDoubleSha1Hash: news.doubleSha1PasswordHash as string | undefined });
        await client.patch<ServicePasswordPatchResponse>(`/services/${id}/password`, body);
        ctx.secrets = compact({ passwordHash: news.passwordHash, doubleSha1PasswordHash: news.doubleSha1PasswordHash as string | undefined });
    } else if (typeof news.password === "string" && news.password !== olds.password) {
        const body: ServicePasswordPatchRequest = { newPasswordHash: sha256PasswordHash(news.password), newDoubleSha1Hash: mysqlDoubleSha1Hash(news.password) };
        await client.patch<ServicePasswordPatchResponse>(`/services/${id}/password`, body);
        ctx.secrets = { password: news.password };
    } else if (opts.rotateUnknownPassword && ctx.secrets.password === undefined && news.passwordHash === undefined) {
        // A service found again after an interrupted create: its generated password was lost with
        // the POST's answer, so have the API generate a new one.
        const res = await client.patch<ServicePasswordPatchResponse>(`/services/${id}/password`, {});
        ctx.secrets = compact({ password: res?.password });
    }

    if (news.state === "stopped" && serviceRunState(ctx.svc.state) !== "stopped") {
        await changeState(ctx, "stop");
    } else if (news.state === "stopped" && ctx.svc.state === "stopping") {
        const svc = await waitForService(client, id, { until: ["stopped"], timeoutMs: remaining(ctx.deadline), label: ctx.label });
        if (svc) ctx.svc = svc;
    } else if (touched) {
        const svc = await waitForService(client, id, { until: STABLE_STATES, timeoutMs: remaining(ctx.deadline), label: ctx.label });
        if (svc) ctx.svc = svc;
    }
}
