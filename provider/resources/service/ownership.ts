import { ApiClient } from "../../api/client";
import type { ResourceTagsV1, Service as ApiService } from "../../api/types";
import { OWNER_ID, interruptedAttempts } from "../../journal";
import { CREATION_KEY, OWNER_KEY, show } from "../common";
import * as pulumi from "@pulumi/pulumi";
import * as crypto from "crypto";
import { Service } from "./index";
import { GONE_STATES, SERVICE_CREATION_TAG_KEY, TERMINATING_STATES } from "./properties";

export function sha256Hex(text: string): string {
    return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The creation tag of a new service: readable `<project>.<stack>.<name>`, then the stack's
 * ownership id and the attempt id (`….o-<owner>.a-<attempt>`). The attempt is recorded in the
 * local attempts file before the POST (see `journal.ts`), so only a create of this stack
 * instance that was interrupted before the engine recorded it is ever found by it; the owner
 * lets `pulumi-clickhouse-cloud orphans` and the stack's destroy list what the stack left.
 */
export function serviceCreationTag(inputs: Record<string, unknown>, attempt: string): ResourceTagsV1 | undefined {
    const creation = inputs[CREATION_KEY];
    if (typeof creation !== "string" || creation === "") return undefined;
    const readable = creation.replace(/\//g, ".").replace(/[^a-zA-Z0-9._-]/g, "_").slice(0, 200);
    const owner = ownerOf(inputs);
    return { key: SERVICE_CREATION_TAG_KEY, value: owner ? `${readable}.o-${owner}.a-${attempt}` : `${readable}.a-${attempt}` };
}

/** The ownership id and attempt a service's creation tag carries, if it has one of this form. */
export function creationMarkOf(svc: { tags?: ResourceTagsV1[] }): { owner: string; attempt: string } | undefined {
    for (const t of svc.tags ?? []) {
        if (t.key !== SERVICE_CREATION_TAG_KEY || typeof t.value !== "string") continue;
        const m = /\.o-([0-9a-f]{16})\.a-([0-9a-f]{12})$/.exec(t.value);
        if (m) return { owner: m[1], attempt: m[2] };
    }
    return undefined;
}

/** The stack's ownership id from the hidden input, when known (it is unknown during a first preview). */
export function ownerOf(inputs: Record<string, unknown>): string | undefined {
    const owner = inputs[OWNER_KEY];
    return typeof owner === "string" && OWNER_ID.test(owner) ? owner : undefined;
}

/** True when an existing service agrees with every replacing argument the user gave. */
export function matchesReplacingInputs(svc: ApiService, inputs: Record<string, unknown>): boolean {
    if (svc.provider !== inputs.provider || svc.region !== inputs.region) return false;
    const given = (k: string) => inputs[k] !== undefined && inputs[k] !== null;
    const api = svc as unknown as Record<string, unknown>;
    for (const k of ["tier", "dataWarehouseId", "byocId", "encryptionAssumedRoleIdentifier"]) {
        if (given(k) && api[k] !== undefined && api[k] !== inputs[k]) return false;
    }
    if (given("isReadonly") && (svc.isReadonly ?? false) !== inputs.isReadonly) return false;
    return true;
}

/** True while a service is neither gone nor on its way out. */
export function isLiveService(s: ApiService): boolean {
    return !s.state || (!GONE_STATES.includes(s.state) && !TERMINATING_STATES.includes(s.state));
}

/** The service a POST whose answer was lost created, asked for by its (unique) creation tag, now. */
export async function findByCreationTag(client: ApiClient, tag: ResourceTagsV1): Promise<ApiService | undefined> {
    const list = await client.get<ApiService[]>("/services", { query: { filter: `tag:${tag.key}=${tag.value}` } });
    return (list ?? []).find((s) => isLiveService(s) && (s.tags ?? []).some((t) => t.key === tag.key && t.value === tag.value));
}

/**
 * What interrupted earlier creates of this resource left, found through the attempts file:
 * nothing is looked up (no request) unless an earlier run of this stack began a create of this
 * resource and never handed it to the engine. The one that agrees with every replacing argument
 * is resumed; any other is this stack's as well, never recorded and its password never returned,
 * and is deleted (see docs/ownership.md, "Interrupted, then edited"). Attempts that created
 * nothing are dropped.
 */
export async function interruptedServices(
    client: ApiClient,
    inputs: Record<string, unknown>,
): Promise<{ resume?: { svc: ApiService; attempt: string }; discard: Array<{ svc: ApiService; attempt: string }>; nothing: string[] }> {
    const owner = ownerOf(inputs);
    const resource = inputs[CREATION_KEY];
    if (!owner || typeof resource !== "string") return { discard: [], nothing: [] };
    const attempts = interruptedAttempts(owner, "Service", resource);
    if (attempts.length === 0) return { discard: [], nothing: [] };
    const ids = new Set(attempts.map((a) => a.attempt));
    const list = (await client.get<ApiService[]>("/services")) ?? [];
    const found = list
        .filter(isLiveService)
        .map((svc) => ({ svc, mark: creationMarkOf(svc) }))
        .filter((x) => x.mark !== undefined && x.mark.owner === owner && ids.has(x.mark.attempt))
        .map((x) => ({ svc: x.svc, attempt: x.mark!.attempt }))
        .sort((a, b) => String(a.svc.createdAt ?? "").localeCompare(String(b.svc.createdAt ?? "")));
    const resume = found.find((x) => matchesReplacingInputs(x.svc, inputs));
    const seen = new Set(found.map((x) => x.attempt));
    return { resume, discard: found.filter((x) => x !== resume), nothing: attempts.map((a) => a.attempt).filter((a) => !seen.has(a)) };
}

/** How a service differs from the replacing arguments, for messages: `region us-east-1 (the program says eu-central-1)`. */
export function replacingDifferences(svc: ApiService, inputs: Record<string, unknown>): string {
    const api = svc as unknown as Record<string, unknown>;
    const diffs: string[] = [];
    for (const k of ["provider", "region", "tier", "dataWarehouseId", "byocId", "encryptionAssumedRoleIdentifier", "isReadonly"]) {
        const given = inputs[k];
        if (given === undefined || given === null) continue;
        const actual = k === "isReadonly" ? (svc.isReadonly ?? false) : api[k];
        if (actual !== undefined && actual !== given) diffs.push(`${k} ${show(actual)} (the program says ${show(given)})`);
    }
    return diffs.join(", ") || "other replacing settings";
}
