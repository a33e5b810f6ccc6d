/**
 * The end of a destroy: the StackOwnership record's delete looks for what still carries the
 * stack's mark. When nothing of the stack's is open (no interrupted attempt), it reads the list
 * the service poller sent after the last delete was answered instead of spending a request of
 * the window the deletes just filled (the converge benchmarks lost up to one window to it);
 * with an open attempt, which it may delete, it always lists afresh.
 */
process.env.CLICKHOUSE_POLL_MIN_MS = "50";
process.env.CLICKHOUSE_POLL_MAX_MS = "250";
process.env.CLICKHOUSE_RATE_LIMIT = "off";
// Set before the imports below load the journal; hence require(), not import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
process.env.CLICKHOUSE_ATTEMPTS_DIR = require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "ch-attempts-"));

import { RunningEmulator, startEmulator } from "../../emulator";
import { getClient, resetClients } from "../../provider/api/client";
import { currentConfig, setStackConfig } from "../../provider/config";
import { beginAttempt, newAttemptId, resetOwnAttempts } from "../../provider/journal";
import { captureLogs } from "../../provider/log";
import { checkService, serviceCreationTag, serviceHandlers } from "../../provider/resources/service";
import { stackOwnershipHandlers } from "../../provider/resources/stackOwnership";

const OWNER = "0a1b2c3d4e5f6071";
const FAST = { provisioning: 0.3, starting: 0.3, stopping: 0.3, awaking: 0.3, terminating: 0.3 };

let emu: RunningEmulator;

beforeAll(async () => {
    emu = await startEmulator({ durations: FAST, rateLimit: false, quiet: true });
});
afterAll(async () => {
    setStackConfig(undefined);
    resetClients();
    await emu?.stop();
});
beforeEach(async () => {
    await emu.control.reset();
    // A fresh client, so a poller of an earlier case has no list to offer.
    resetClients();
    setStackConfig({
        "clickhouse:apiUrl": emu.url,
        "clickhouse:organizationId": emu.organizationId,
        "clickhouse:tokenKey": emu.keyId,
        "clickhouse:tokenSecret": emu.keySecret,
    });
});

async function create(name: string): Promise<{ id: string; outs: Record<string, unknown> }> {
    const res = checkService({}, { name, provider: "aws", region: "us-east-1", __creation: `proj/dev/${name}`, __owner: OWNER });
    expect(res.failures).toEqual([]);
    return serviceHandlers.create({ ...res.inputs, __provider: "shim" }) as Promise<{ id: string; outs: Record<string, unknown> }>;
}

/** Runs the ownership delete; returns the requests it sent and the warnings it printed. */
async function ownershipDelete(): Promise<{ requests: string[]; warnings: string[] }> {
    const before = (await emu.control.log()).length;
    const logs = captureLogs();
    try {
        await stackOwnershipHandlers.delete!(OWNER, { ownerId: OWNER });
    } finally {
        logs.stop();
    }
    const prefix = `/v1/organizations/${emu.organizationId}`;
    const requests = (await emu.control.log()).slice(before).map((e) => `${e.method} ${e.path.replace(prefix, "")}`);
    return { requests, warnings: logs.entries.filter((e) => e.level === "warning").map((e) => e.message) };
}

test("after the stack's services are deleted together, it sends no request and still names a marked service left alone", async () => {
    const made = await Promise.all(["a", "b", "c", "kept"].map(create));
    const kept = made[3];
    // Three deletes at once, as the engine runs them; "kept" stands for retainOnDelete.
    await Promise.all(made.slice(0, 3).map((m) => serviceHandlers.delete!(m.id, m.outs)));
    const { requests, warnings } = await ownershipDelete();
    expect(requests).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(kept.id);
    expect(warnings[0]).toContain(`orphans --owner ${OWNER}`);
});

test("with an interrupted create's attempt open it lists afresh and deletes what that create left", async () => {
    const made = await Promise.all(["a", "b"].map(create));
    // What a run killed between its POST and the engine's record leaves.
    const attempt = newAttemptId();
    beginAttempt(OWNER, { attempt, kind: "Service", resource: "proj/dev/lost" });
    const lost = await getClient(currentConfig()).post<{ service: { id: string } }>("/services", {
        name: "lost",
        provider: "aws",
        region: "us-east-1",
        tags: [serviceCreationTag({ __creation: "proj/dev/lost", __owner: OWNER }, attempt)],
    });
    resetOwnAttempts();
    await Promise.all(made.map((m) => serviceHandlers.delete!(m.id, m.outs)));
    const { requests } = await ownershipDelete();
    expect(requests[0]).toBe("GET /services");
    expect(requests).toContain(`DELETE /services/${lost.service.id}`);
    const left = (await emu.control.objects()).services.filter((s: { state: string }) => !["terminated", "deleted"].includes(s.state));
    expect(left.map((s: { id: string }) => s.id)).not.toContain(lost.service.id);
});

test("when the last look was a single read (one service), it lists afresh", async () => {
    const only = await create("solo");
    await serviceHandlers.delete!(only.id, only.outs);
    const { requests } = await ownershipDelete();
    expect(requests).toEqual(["GET /services"]);
});
