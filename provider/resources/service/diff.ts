import type { IpAccessListEntry, ResourceTagsV1 } from "../../api/types";
import { DiffResult, canonical, diffBySpec } from "../compare";
import { isOneOf, isRecord } from "../records";
import { isUnknown } from "../unknown";
import { ServiceDesiredState, ServiceEndpointSetting } from "./args";
import { IMPORTED_KEY } from "../importId";
import { withRemovedDefaults } from "./defaults";
import { DIFF_SPEC, SERVICE_CREATION_TAG_KEY, STOPPED_LIKE } from "./properties";

/** An ipAccessList entry as compared: an empty description is no description. */
export function normalIp<T>(e: T): T {
    if (isUnknown(e) || e === null || typeof e !== "object") return e;
    const { description, source } = e as Partial<IpAccessListEntry>; // any object: a recorded state may hold any shape
    const normal = normalSource(source);
    return (
        description === undefined || description === null || description === "" ? { source: normal } : { source: normal, description }
    ) as T; // the normal form of an entry has the entry's own fields: T still describes it
}

/** `1.2.3.4/32` is `1.2.3.4`, IPv6 is case-insensitive: spellings an API may normalize. */
export function normalSource<T>(source: T): T {
    if (typeof source !== "string" || isUnknown(source)) return source;
    const text = source.trim().toLowerCase();
    return (text.includes(":") ? text.replace(/\/128$/, "") : text.replace(/\/32$/, "")) as T; // T is string here (tested above)
}

/** A tag as compared: an empty value is no value. */
export function normalTag<T>(t: T): T {
    if (isUnknown(t) || t === null || typeof t !== "object") return t;
    const { key, value } = t as Partial<ResourceTagsV1>; // any object: a recorded state may hold any shape
    return (value === undefined || value === null || value === "" ? { key } : { key, value }) as T; // same fields as the tag: T still describes it
}

export function isCreationTag(t: unknown): boolean {
    return isRecord(t) && t.key === SERVICE_CREATION_TAG_KEY;
}

/** The API's endpoint list reduced to what can be set: `[{protocol: "mysql", enabled}]`. */
export function endpointSettingsOf(endpoints: unknown): ServiceEndpointSetting[] | undefined {
    if (!Array.isArray(endpoints)) return undefined;
    // Already in the input shape (an older state, or a reconstructed input)?
    const entries = endpoints.filter(isRecord);
    if (entries.some((e) => "enabled" in e)) {
        return entries.filter((e) => e.protocol === "mysql").map((e) => ({ protocol: "mysql", enabled: !!e.enabled }));
    }
    return [{ protocol: "mysql", enabled: entries.some((e) => e.protocol === "mysql") }];
}

/** The desired-state word an API state counts as: `idle`, `provisioning`... count as running. */
export function serviceRunState(state: unknown): ServiceDesiredState | undefined {
    if (typeof state !== "string") return undefined;
    if (state === "running" || state === "stopped") return state;
    return isOneOf(STOPPED_LIKE, state) ? "stopped" : "running";
}

/** Old outputs in the shape of inputs, for comparison. */
export function comparableOutputs(olds: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...olds };
    if (Array.isArray(olds.ipAccessList)) out.ipAccessList = olds.ipAccessList.map(normalIp);
    if (Array.isArray(olds.tags)) out.tags = olds.tags.filter((t) => !isCreationTag(t)).map(normalTag);
    out.endpoints = endpointSettingsOf(olds.endpoints);
    out.state = serviceRunState(olds.state);
    // Settings that cannot change compare with what the user wrote, not with the API's spelling
    // of it (a warehouse given by its primary's id, a deprecated tier reported differently):
    // otherwise such a difference would replace the service on every run.
    const written = olds.__replacingInputs;
    if (written !== null && typeof written === "object") {
        for (const [k, v] of Object.entries(written)) if (v !== undefined && v !== null) out[k] = v;
    }
    return out;
}

/** New inputs normalized like {@link comparableOutputs}; unknown values stay unknown. */
export function comparableInputs(news: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...news };
    const list = (p: string, f: (x: unknown) => unknown) => {
        const value = news[p];
        if (Array.isArray(value) && !isUnknown(value)) out[p] = value.map(f);
    };
    list("ipAccessList", normalIp);
    list("tags", normalTag);
    if (Array.isArray(news.endpoints) && !isUnknown(news.endpoints)) {
        // An empty list expresses no wish about the MySQL endpoint.
        out.endpoints = news.endpoints.length === 0 ? undefined : endpointSettingsOf(news.endpoints);
    }
    return out;
}

/**
 * Compares the recorded outputs with new inputs. Replaces for what the API cannot change
 * ({@link REPLACING_KEYS}); everything else updates in place. Lists are sets; unset scaling,
 * list and optional settings mean "not managed" and never differ, except that a `state`,
 * `releaseChannel`, `endpoints` or `tags` an earlier run set and this one removed goes back to the
 * API's default (defaults.ts); the creation tag, hidden keys
 * (`__creation`, `__provider`) and `adoptServiceId` are ignored. Pure.
 */
export function diffService(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    void id;
    return diffBySpec(
        comparableOutputs(olds),
        comparableInputs(withRemovedDefaults(olds, withoutUnrecordedSecrets(olds, news))),
        DIFF_SPEC,
    );
}

const PASSWORD_KEYS = ["password", "passwordHash", "doubleSha1PasswordHash"] as const;

/**
 * An imported service ({@link IMPORTED_KEY}) recorded no password (the API never returns it):
 * the program's password or hashes are then taken as the current ones, not as a change; the
 * first update records them (and sets them, so the program's password is the one in force).
 */
function withoutUnrecordedSecrets(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
    if (olds[IMPORTED_KEY] !== true || PASSWORD_KEYS.some((k) => olds[k] !== undefined && olds[k] !== null)) return news;
    const out = { ...news };
    for (const k of PASSWORD_KEYS) delete out[k];
    return out;
}

/** Set difference of two lists compared by canonical form (after `normal`). */
export function setChanges<T>(before: readonly T[], after: readonly T[], normal: (x: T) => unknown = (x) => x): { add: T[]; remove: T[] } {
    const b = new Set(before.map((x) => canonical(normal(x))));
    const a = new Set(after.map((x) => canonical(normal(x))));
    return { add: after.filter((x) => !b.has(canonical(normal(x)))), remove: before.filter((x) => !a.has(canonical(normal(x)))) };
}
