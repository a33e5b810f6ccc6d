/**
 * What the resources attached to a service (scaling, backup configuration, private endpoint,
 * ClickPipe, query endpoint) and the read-only functions share: the client for the current
 * configuration, the owning service looked up with an error that names the resource, the
 * "wake an idle service, then retry once" dance, idempotent deletes, and carrying hidden inputs
 * through outputs so `refresh` keeps them.
 */
import { ApiClient, getClient } from "../api/client";
import { isApiError, isNotFound } from "../api/errors";
import type { Service, ServiceState } from "../api/types";
import { currentConfig, ProviderConfig } from "../config";
import { progress } from "../log";
import { waitForService } from "../wait";
import { CREATION_KEY, OWNER_KEY, UUID, Validator } from "./common";

/** The shared client for `config`, or for the configuration in force (stack config, else environment). */
export function apiClient(config?: ProviderConfig): ApiClient {
    return getClient(config ?? currentConfig());
}

/** An error a person reads: prefixed with the resource type, e.g. `clickhouse:ClickPipe: ...`. */
export function resourceError(resource: string, message: string): Error {
    return new Error(`${resource}: ${message}`);
}

/** The resource name the user gave, taken from the hidden `__creation` input (`<project>/<stack>/<name>`). */
export function resourceName(inputs: Record<string, unknown>): string | undefined {
    const creation = inputs[CREATION_KEY];
    if (typeof creation !== "string") return undefined;
    return creation.split("/").slice(2).join("/") || undefined;
}

/** `clickhouse:ClickPipe "events"` when the name is known, else the type alone: the label of progress and wait messages. */
export function labelOf(resource: string, inputs: Record<string, unknown>): string {
    const name = resourceName(inputs);
    return name ? `${resource} "${name}"` : resource;
}

/** Hidden inputs kept in the outputs, so `read` can hand them back as inputs. */
export function hiddenOf(values: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of [CREATION_KEY, OWNER_KEY]) if (values[k] !== undefined) out[k] = values[k];
    return out;
}

/** The `read` answer for an object that no longer exists: the engine drops it from the state. */
export const GONE = { id: "", props: {} } as const;

/** GETs `path`; undefined when the API answers 404. */
export async function getOrUndefined<T>(client: ApiClient, path: string): Promise<T | undefined> {
    try {
        return await client.get<T>(path);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** Runs a delete step; a 404 means the object is already gone, which is what delete wants. */
export async function ignoreNotFound(step: () => Promise<unknown>): Promise<void> {
    try {
        await step();
    } catch (e) {
        if (!isNotFound(e)) throw e;
    }
}

/** Validates `serviceId`: required, a service id (UUID). */
export function checkServiceId(v: Validator): void {
    v.string("serviceId", { required: true, pattern: UUID, patternText: "a service id (a UUID), e.g. the `id` output of a clickhouse.Service" });
}

/** Picks the listed keys whose values are set (not undefined/null). */
export function pickSet<K extends string>(values: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, unknown>> {
    const out: Partial<Record<K, unknown>> = {};
    for (const k of keys) if (values[k] !== undefined && values[k] !== null) out[k] = values[k];
    return out;
}

/** `"name" (id)` of a service for messages. */
export function describeService(svc: Service | undefined, serviceId: string): string {
    return svc?.name ? `service "${svc.name}" (${serviceId})` : `service ${serviceId}`;
}

/**
 * How a satellite's wait for its service is worded: messages name the service
 * (`service "name" (id)`), progress lines carry the satellite's own label.
 */
export function serviceWait(label: string, svc: Service | undefined, serviceId: string): { label: string; subject: string; progressLabel: string } {
    return { label: svc?.name ?? serviceId, subject: describeService(svc, serviceId), progressLabel: label };
}

/** The service a satellite belongs to; a missing service is an error naming the resource. */
export async function requireService(client: ApiClient, resource: string, serviceId: string): Promise<Service> {
    try {
        return await client.get<Service>(`/services/${serviceId}`);
    } catch (e) {
        if (isNotFound(e)) {
            throw resourceError(resource, `service ${serviceId} does not exist in organization ${client.orgId} (404); check "serviceId".`);
        }
        throw e;
    }
}

/** True for a development-tier service, whose size, replicas and backups are fixed. */
export function isDevelopment(svc: Service): boolean {
    return svc.tier === "development";
}

/** States a service rests in: the API accepts configuration changes there. */
export const STABLE_SERVICE_STATES: ServiceState[] = ["running", "idle", "stopped"];

/** States from which a service becomes `running` without a command. */
const ON_THE_WAY_TO_RUNNING: ServiceState[] = ["provisioning", "starting", "awaking", "partially_running"];

/**
 * Makes sure the service is `running`: an `idle` service is woken (`PATCH /state {command:
 * "awake"}`), one on its way up is waited for. A `stopped` service is an error: it was stopped
 * on purpose and starting it is the Service's business, not a satellite's.
 */
export async function ensureServiceRunning(client: ApiClient, resource: string, serviceId: string, timeoutMs: number, label: string, known?: Service): Promise<Service> {
    const svc = known ?? (await requireService(client, resource, serviceId));
    const state = svc.state;
    if (state === "running") return svc;
    if (state === "idle") {
        progress(label, `waking ${describeService(svc, serviceId)} from idle`);
        await client.patch(`/services/${serviceId}/state`, { command: "awake" });
    } else if (!state || !ON_THE_WAY_TO_RUNNING.includes(state)) {
        throw resourceError(
            resource,
            `${describeService(svc, serviceId)} is ${state ?? "in an unknown state"}; it must be running (or idle, which is woken automatically). ` +
                (state === "stopped" ? `Start it first (set the Service's state to "running").` : `Wait until it is running and try again.`),
        );
    }
    const running = await waitForService(client, serviceId, { until: ["running"], timeoutMs, ...serviceWait(label, svc, serviceId) });
    return running ?? svc;
}

/**
 * Runs `call`; when the API answers 424 FAILED_DEPENDENCY (the service is not running: idle
 * after inactivity), wakes the service and runs `call` once more.
 */
export async function withServiceAwake<T>(client: ApiClient, resource: string, serviceId: string, timeoutMs: number, label: string, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (e) {
        if (!isApiError(e, 424)) throw e;
        progress(label, `the API answered 424 (${e.detail ?? "service not running"}); waking the service and retrying once`);
        await ensureServiceRunning(client, resource, serviceId, timeoutMs, label);
        return await call();
    }
}

/**
 * Keeps the order of `previous` when `observed` holds the same items, so a list the API
 * returns in another order does not show up as a change after `refresh`.
 */
export function keepOrder<T>(observed: T[] | undefined, previous: unknown): T[] | undefined {
    if (!Array.isArray(observed) || !Array.isArray(previous)) return observed;
    const key = (x: unknown) => JSON.stringify(x);
    const seen = new Set(observed.map(key));
    if (previous.length !== observed.length || !previous.every((p) => seen.has(key(p)))) return observed;
    return previous as T[];
}
