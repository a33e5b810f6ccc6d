import { ApiClient } from "../../api/client";
import { isNotFound } from "../../api/errors";
import type { Service as ApiService } from "../../api/types";
import { cancellableSleep } from "../../cancel";
import { ProviderConfig, currentConfig } from "../../config";
import { WaitError } from "../../wait";
import { isUnknown } from "../common";
import { converge } from "./converge";
import { RESOURCE } from "./properties";

/** The provider configuration, refusing an `organizationId` other than the key's. */
export function configFor(organizationId: unknown): ProviderConfig {
    const cfg = currentConfig();
    if (typeof organizationId === "string" && organizationId !== "" && !isUnknown(organizationId) && organizationId !== cfg.organizationId) {
        throw new Error(
            `${RESOURCE}: "organizationId" is ${organizationId}, but the provider is configured for organization ${cfg.organizationId} ` +
                `(clickhouse:organizationId or CLICKHOUSE_ORG_ID), and an API key belongs to one organization. ` +
                `Configure a key of organization ${organizationId}, or remove "organizationId".`,
        );
    }
    return cfg;
}

export function labelOf(src: Record<string, unknown>, id?: string): string {
    return typeof src.name === "string" ? src.name : id ?? "service";
}

export function remaining(deadline: number): number {
    return Math.max(1, deadline - Date.now());
}

/** A pause between retries of a conflicting change; ends at once when the engine cancels the run. */
export function sleep(ms: number, what: string): Promise<void> {
    return cancellableSleep(ms, what);
}

export async function getService(client: ApiClient, id: string): Promise<ApiService | undefined> {
    try {
        return await client.get<ApiService>(`/services/${id}`);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
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

export function lastSeen(err: unknown, fallback: ApiService): ApiService {
    return err instanceof WaitError && err.lastSeen && typeof err.lastSeen === "object" ? (err.lastSeen as ApiService) : fallback;
}
