/**
 * What the steps of a Service's CRUD share: the configuration (one organization per key), how
 * messages name the service, deadlines, and the context a converge mutates as it goes.
 */
import type { ApiClient } from "../../api/client";
import type { Service as ApiService } from "../../api/types";
import { cancellableSleep } from "../../cancel";
import { currentConfig, ProviderConfig } from "../../config";
import { WaitError } from "../../wait";
import { isUnknown } from "../unknown";
import { RESOURCE } from "./properties";

/** The provider configuration, refusing an `organizationId` other than the key's. */
export function configFor(organizationId: unknown): ProviderConfig {
    const cfg = currentConfig();
    if (
        typeof organizationId === "string" &&
        organizationId !== "" &&
        !isUnknown(organizationId) &&
        organizationId !== cfg.organizationId
    ) {
        throw new Error(
            `${RESOURCE}: "organizationId" is ${organizationId}, but the provider is configured for organization ${cfg.organizationId} ` +
                `(clickhouse:organizationId or CLICKHOUSE_ORG_ID), and an API key belongs to one organization. ` +
                `Configure a key of organization ${organizationId}, or remove "organizationId".`,
        );
    }
    return cfg;
}

/** How messages name the service: its name, else its id. */
export function labelOf(src: { name?: unknown }, id?: string): string {
    return typeof src.name === "string" ? src.name : (id ?? "service");
}

/** Milliseconds left before `deadline`, at least 1. */
export function remaining(deadline: number): number {
    return Math.max(1, deadline - Date.now());
}

/** A pause between retries of a conflicting change; ends at once when the engine cancels the run. */
export function sleep(ms: number, what: string): Promise<void> {
    return cancellableSleep(ms, what);
}

/** The secrets and password state while converging, so a failure midway records what is true. */
export interface PasswordState {
    password?: string;
    passwordHash?: string;
    doubleSha1PasswordHash?: string;
}

export interface ConvergeContext {
    client: ApiClient;
    id: string;
    label: string;
    deadline: number;
    /** The latest service object seen, updated as the converge proceeds. */
    svc: ApiService;
    secrets: PasswordState;
}

/** The service object a failed wait saw last, else `fallback`. */
export function lastSeen(err: unknown, fallback: ApiService): ApiService {
    // The poller's waits only ever see service objects.
    return err instanceof WaitError && err.lastSeen && typeof err.lastSeen === "object" ? (err.lastSeen as ApiService) : fallback;
}
