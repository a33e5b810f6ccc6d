/**
 * Bringing an existing service to its arguments: each change through its own endpoint, in the
 * order the API needs (start first, stop last), then a wait for a stable state.
 */
import { mysqlDoubleSha1Hash, sha256PasswordHash } from "../../api/catalog";
import { changeServiceState, patchPassword, patchReplicaScaling, patchService } from "../../api/services";
import type {
    IpAccessListEntry,
    ResourceTagsV1,
    ServicePasswordPatchRequest,
    ServicePatchRequest,
    ServiceReplicaScalingPatchRequest,
    ServiceState,
} from "../../api/types";
import { waitForService } from "../../wait";
import { sameSet, sameValue } from "../compare";
import { compact } from "../records";
import type { ServiceInputs, ServiceOutputs } from "./args";
import { ConvergeContext, remaining } from "./context";
import {
    comparableInputs,
    comparableOutputs,
    endpointSettingsOf,
    isCreationTag,
    normalIp,
    normalTag,
    serviceRunState,
    setChanges,
} from "./diff";
import { DIFF_SPEC, STABLE_STATES } from "./properties";

/** Starts or stops the service and waits until it is there. */
export async function changeState(ctx: ConvergeContext, command: "start" | "stop"): Promise<void> {
    await changeServiceState(ctx.client, ctx.id, command);
    const until: ServiceState[] = command === "stop" ? ["stopped"] : ["running", "idle"];
    const svc = await waitForService(ctx.client, ctx.id, { until, timeoutMs: remaining(ctx.deadline), label: ctx.label });
    if (svc) ctx.svc = svc;
}

/** The scaling arguments `PATCH /replicaScaling` takes. */
const SCALING_KEYS = ["minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "idleScaling", "idleTimeoutMinutes"] as const;

/**
 * Brings an existing service from `olds` (outputs, or outputs built from the API object) to
 * `news`, each change through its own endpoint, then waits for a stable state. Used by update,
 * by adoption and after a create. Mutates `ctx` so a caller can report what was reached.
 */
export async function converge(
    ctx: ConvergeContext,
    olds: Partial<ServiceOutputs>,
    news: ServiceInputs,
    opts: { rotateUnknownPassword?: boolean } = {},
): Promise<void> {
    const { client, id } = ctx;
    const before = comparableOutputs({ ...olds });
    const after = comparableInputs({ ...news });
    const changed = (p: keyof ServiceInputs) => {
        const a = after[p];
        if (a === undefined || a === null) return false;
        return DIFF_SPEC.sets?.includes(p) ? !sameSet(list(before[p]), list(a)) : !sameValue(before[p], a);
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
    if (changed("name")) patch.name = news.name;
    if (changed("ipAccessList") && news.ipAccessList) {
        const { add, remove } = setChanges<IpAccessListEntry>(olds.ipAccessList ?? [], news.ipAccessList, normalIp);
        // The API matches removals by source; an entry whose description changed is removed and re-added.
        patch.ipAccessList = compact({
            remove: remove.length ? remove.map((e) => ({ source: e.source })) : undefined,
            add: add.length ? add.map(normalIp) : undefined,
        });
    }
    if (changed("privateEndpointIds") && news.privateEndpointIds) {
        const { add, remove } = setChanges(olds.privateEndpointIds ?? [], news.privateEndpointIds);
        patch.privateEndpointIds = compact({ remove: remove.length ? remove : undefined, add: add.length ? add : undefined });
    }
    if (changed("releaseChannel")) patch.releaseChannel = news.releaseChannel;
    if (changed("endpoints")) patch.endpoints = endpointSettingsOf(news.endpoints);
    if (changed("tags") && news.tags) {
        const oldTags = (olds.tags ?? []).filter((t) => !isCreationTag(t));
        const { add, remove } = setChanges<ResourceTagsV1>(oldTags, news.tags, normalTag);
        patch.tags = compact({
            remove: remove.length ? remove.map(normalTag) : undefined,
            add: add.length ? add.map(normalTag) : undefined,
        });
    }
    if (Object.keys(patch).length > 0) {
        ctx.svc = await patchService(client, id, patch);
        touched = true;
    }

    // PATCH /replicaScaling: memory, replicas, idle scaling.
    const scaling: ServiceReplicaScalingPatchRequest = {};
    const memoryChanged = changed("minReplicaMemoryGb") || changed("maxReplicaMemoryGb");
    for (const p of SCALING_KEYS) {
        const isMemory = p === "minReplicaMemoryGb" || p === "maxReplicaMemoryGb";
        // Both memory bounds travel together so the API never sees min > max halfway.
        const value = news[p];
        if (value !== undefined && value !== null && (changed(p) || (isMemory && memoryChanged))) Object.assign(scaling, { [p]: value });
    }
    if (Object.keys(scaling).length > 0) {
        ctx.svc = await patchReplicaScaling(client, id, scaling);
        touched = true;
    }

    // PATCH /password: hashes only, never the plaintext.
    if (typeof news.passwordHash === "string" && (changed("passwordHash") || changed("doubleSha1PasswordHash"))) {
        const body: ServicePasswordPatchRequest = compact({
            newPasswordHash: news.passwordHash,
            newDoubleSha1Hash: news.doubleSha1PasswordHash,
        });
        await patchPassword(client, id, body);
        ctx.secrets = compact({ passwordHash: news.passwordHash, doubleSha1PasswordHash: news.doubleSha1PasswordHash });
    } else if (typeof news.password === "string" && news.password !== olds.password) {
        await patchPassword(client, id, {
            newPasswordHash: sha256PasswordHash(news.password),
            newDoubleSha1Hash: mysqlDoubleSha1Hash(news.password),
        });
        ctx.secrets = { password: news.password };
    } else if (opts.rotateUnknownPassword && ctx.secrets.password === undefined && news.passwordHash === undefined) {
        // A service found again after an interrupted create: its generated password was lost with
        // the POST's answer, so have the API generate a new one.
        const res = await patchPassword(client, id, {});
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

function list(v: unknown): unknown[] | undefined {
    return Array.isArray(v) ? v : undefined;
}
