/**
 * Shared set-up of the satellite resources' integration tests: an in-process emulator with
 * short durations and no rate limit, the provider configured to talk to it, a running service
 * to attach things to, and the emulator's request log as `METHOD /path` lines.
 */
import { startEmulator, RunningEmulator, EmulatorOptions } from "../../emulator";
import type { Service } from "../../provider/api/types";
import { setStackConfig } from "../../provider/config";
import { apiClient } from "../../provider/api/current";
import { waitForService } from "../../provider/wait";

/** Starts the emulator and points the provider at it (as `configure` would with stack config). */
export async function startTestEmulator(durations: EmulatorOptions["durations"] = {}): Promise<RunningEmulator> {
    process.env.CLICKHOUSE_RATE_LIMIT = "off";
    process.env.CLICKHOUSE_POLL_MIN_MS = "50";
    process.env.CLICKHOUSE_POLL_MAX_MS = "200";
    const emu = await startEmulator({
        rateLimit: false,
        quiet: true,
        durations: {
            provisioning: 0.2,
            starting: 0.2,
            stopping: 0.2,
            awaking: 0.3,
            terminating: 0.2,
            pipeProvisioning: 0.3,
            pipeStopping: 0.2,
            pipeStarting: 0.2,
            pipeDeleting: 0.2,
            ...durations,
        },
    });
    setStackConfig({
        "clickhouse:apiUrl": emu.url,
        "clickhouse:organizationId": emu.organizationId,
        "clickhouse:tokenKey": emu.keyId,
        "clickhouse:tokenSecret": emu.keySecret,
    });
    return emu;
}

/** Creates a service through the API and waits until it is running. */
export async function createRunningService(body: Record<string, unknown> = {}): Promise<Service> {
    const client = apiClient();
    const created = await client.post<{ service: Service; password: string }>("/services", {
        name: "satellite-test",
        provider: "aws",
        region: "us-east-1",
        ...body,
    });
    const svc = await waitForService(client, created.service.id as string, {
        until: ["running"],
        timeoutMs: 30_000,
        label: "test service",
    });
    // Past the poller's shortest interval, so a satellite's read of this service is a request
    // of its own, as in a later run (right after the wait it would use the wait's observation).
    await new Promise((r) => setTimeout(r, 2 * Number(process.env.CLICKHOUSE_POLL_MIN_MS ?? 1000)));
    return svc as Service;
}

/** The hidden input every resource class adds. */
export function creation(name: string): { __creation: string } {
    return { __creation: `satellites/test/${name}` };
}

/** The emulator's request log as `METHOD /path?query -> status`, the organization prefix removed. */
export async function requests(emu: RunningEmulator): Promise<string[]> {
    const prefix = `/v1/organizations/${emu.organizationId}`;
    return (await emu.control.log()).map(
        (e) => `${e.method} ${e.path.startsWith(prefix) ? e.path.slice(prefix.length) || "/" : e.path} -> ${e.status}`,
    );
}

/** A UUID no object has. */
export const MISSING_ID = "00000000-0000-4000-8000-000000000000";
