/**
 * Which services are this stack's (docs/ownership.md): the creation tag every service carries
 * (the stack's ownership id and the attempt recorded before the POST), and the lookup of what
 * an interrupted create of this resource left.
 */
import type { ApiClient } from "../../api/client";
import { listServices } from "../../api/services";
import type { ResourceTagsV1, Service as ApiService } from "../../api/types";
import { interruptedAttempts, OWNER_ID } from "../../journal";
import { fields } from "../records";
import { show } from "../validation";
import type { ServiceInputs } from "./args";
import { GONE_STATES, SERVICE_CREATION_TAG_KEY, TERMINATING_STATES } from "./properties";

/** The replacing settings an existing service is compared with, in messages and matches. */
const COMPARED = ["provider", "region", "tier", "dataWarehouseId", "byocId", "encryptionAssumedRoleIdentifier", "isReadonly"] as const;

/**
 * The creation tag of a new service: readable `<project>.<stack>.<name>`, then the stack's
 * ownership id and the attempt id (`….o-<owner>.a-<attempt>`). The attempt is recorded in the
 * local attempts file before the POST (see `journal.ts`), so only a create of this stack
 * instance that was interrupted before the engine recorded it is ever found by it; the owner
 * lets `pulumi-clickhouse-cloud orphans` and the stack's destroy list what the stack left.
 */
export function serviceCreationTag(inputs: { __creation?: unknown; __owner?: unknown }, attempt: string): ResourceTagsV1 | undefined {
    const creation = inputs.__creation;
    if (typeof creation !== "string" || creation === "") return undefined;
    const readable = creation
        .replace(/\//g, ".")
        .replace(/[^a-zA-Z0-9._-]/g, "_")
        .slice(0, 200);
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
export function ownerOf(inputs: { __owner?: unknown }): string | undefined {
    const owner = inputs.__owner;
    return typeof owner === "string" && OWNER_ID.test(owner) ? owner : undefined;
}

/** True when an existing service agrees with every replacing argument the user gave. */
export function matchesReplacingInputs(svc: ApiService, inputs: ServiceInputs): boolean {
    if (svc.provider !== inputs.provider || svc.region !== inputs.region) return false;
    return replacingDifferences(svc, inputs) === "";
}

/** True while a service is neither gone nor on its way out. */
export function isLiveService(s: ApiService): boolean {
    return !s.state || (!GONE_STATES.includes(s.state) && !TERMINATING_STATES.includes(s.state));
}

/** The service a POST whose answer was lost created, asked for by its (unique) creation tag, now. */
export async function findByCreationTag(client: ApiClient, tag: ResourceTagsV1): Promise<ApiService | undefined> {
    const list = await listServices(client, `tag:${tag.key}=${tag.value}`);
    return list.find((s) => isLiveService(s) && (s.tags ?? []).some((t) => t.key === tag.key && t.value === tag.value));
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
    inputs: ServiceInputs,
): Promise<{ resume?: { svc: ApiService; attempt: string }; discard: Array<{ svc: ApiService; attempt: string }>; nothing: string[] }> {
    const owner = ownerOf(inputs);
    const resource = inputs.__creation;
    if (!owner || typeof resource !== "string") return { discard: [], nothing: [] };
    const attempts = interruptedAttempts(owner, "Service", resource);
    if (attempts.length === 0) return { discard: [], nothing: [] };
    const ids = new Set(attempts.map((a) => a.attempt));
    const found = (await listServices(client))
        .filter(isLiveService)
        .flatMap((svc) => {
            const mark = creationMarkOf(svc);
            return mark && mark.owner === owner && ids.has(mark.attempt) ? [{ svc, attempt: mark.attempt }] : [];
        })
        .sort((a, b) => String(a.svc.createdAt ?? "").localeCompare(String(b.svc.createdAt ?? "")));
    const resume = found.find((x) => matchesReplacingInputs(x.svc, inputs));
    const seen = new Set(found.map((x) => x.attempt));
    return { resume, discard: found.filter((x) => x !== resume), nothing: attempts.map((a) => a.attempt).filter((a) => !seen.has(a)) };
}

/**
 * How a service differs from the replacing arguments the user gave, for messages:
 * `region "us-east-1" (the program says "eu-central-1")`; empty when it agrees with all of them.
 */
export function replacingDifferences(svc: ApiService, inputs: ServiceInputs): string {
    const api = fields(svc);
    const diffs: string[] = [];
    for (const k of COMPARED) {
        const given = inputs[k];
        if (given === undefined || given === null) continue;
        const actual = k === "isReadonly" ? (svc.isReadonly ?? false) : api[k];
        if (actual !== undefined && actual !== given) diffs.push(`${k} ${show(actual)} (the program says ${show(given)})`);
    }
    return diffs.join(", ");
}
