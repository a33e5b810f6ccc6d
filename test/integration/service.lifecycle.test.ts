/**
 * The Service provider methods against the in-process emulator: the whole lifecycle, what
 * each step sends (from the emulator's request log), and the hard cases: objects deleted
 * behind Pulumi's back, 409 on delete, a service that fails while provisioning, timeouts,
 * drift, an interrupted create found again, and replacements that must not adopt their
 * predecessor.
 */
process.env.CLICKHOUSE_POLL_MIN_MS = "50";
process.env.CLICKHOUSE_POLL_MAX_MS = "250";
process.env.CLICKHOUSE_RATE_LIMIT = "off";
// Set before the imports below load the journal; hence require(), not import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
process.env.CLICKHOUSE_ATTEMPTS_DIR = require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "ch-attempts-"));

import { createHash } from "crypto";
import { RunningEmulator, startEmulator } from "../../emulator";
import { getClient, resetClients } from "../../provider/api/client";
import { currentConfig, setStackConfig } from "../../provider/config";
import { captureLogs } from "../../provider/log";
import { ResourceInitError } from "../../provider/resources/partialFailure";
import { beginAttempt, interruptedAttempts, newAttemptId, resetOwnAttempts } from "../../provider/journal";
import { checkService, diffService, serviceCreationTag, serviceHandlers } from "../../provider/resources/service";
import { resetRunState } from "../../provider/runState";
import { handlers } from "../../provider/runtime";

const OWNER = "0123456789abcdef";
const OTHER_OWNER = "fedcba9876543210";
const FAST = { provisioning: 0.3, starting: 0.3, stopping: 0.3, awaking: 0.3, terminating: 0.3 };
const PROVIDER_TEXT = "shim-text";

let emu: RunningEmulator;

/** Checked inputs as the engine would pass them to create/update. */
function inputs(resourceName: string, args: Record<string, unknown>): Record<string, unknown> {
    const res = checkService({}, { ...args, __creation: `proj/test/${resourceName}`, __owner: OWNER });
    expect(res.failures).toEqual([]);
    return { ...res.inputs, __provider: PROVIDER_TEXT };
}

type Outs = Record<string, unknown>;

async function create(ins: Record<string, unknown>): Promise<{ id: string; outs: Outs }> {
    return serviceHandlers.create(ins) as Promise<{ id: string; outs: Outs }>;
}

async function servicesInEmulator(): Promise<Record<string, any>[]> {
    return (await emu.control.objects()).services;
}

function configure(e: RunningEmulator): void {
    resetClients();
    setStackConfig({
        "clickhouse:apiUrl": e.url,
        "clickhouse:organizationId": e.organizationId,
        "clickhouse:tokenKey": e.keyId,
        "clickhouse:tokenSecret": e.keySecret,
    });
}

/**
 * What a run killed between its POST and the engine's record leaves: an attempt in the attempts
 * file and a service carrying its creation tag. Then "a new provider process".
 */
async function interruptedPost(ins: Record<string, unknown>, owner = OWNER): Promise<{ service: { id: string }; password: string }> {
    const attempt = newAttemptId();
    beginAttempt(owner, { attempt, kind: "Service", resource: ins.__creation as string });
    const body = {
        name: ins.name,
        provider: ins.provider,
        region: ins.region,
        tags: [serviceCreationTag({ ...ins, __owner: owner }, attempt)],
    };
    const posted = await getClient(currentConfig()).post<{ service: { id: string }; password: string }>("/services", body);
    resetOwnAttempts();
    return posted;
}

/** Paths of the GETs, after the organization prefix. */
async function reads(): Promise<string[]> {
    return (await emu.control.log())
        .filter((e) => e.method === "GET")
        .map((e) => e.path.replace(`/v1/organizations/${emu.organizationId}`, ""));
}

/** Requests other than reads, as "METHOD /path-after-org". */
async function writes(): Promise<string[]> {
    const prefix = `/v1/organizations/${emu.organizationId}`;
    return (await emu.control.log()).filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path.replace(prefix, "")}`);
}

beforeAll(async () => {
    emu = await startEmulator({ durations: FAST, rateLimit: false, quiet: true });
    configure(emu);
});

afterAll(async () => {
    setStackConfig(undefined);
    resetClients();
    await emu?.stop();
});

beforeEach(async () => {
    await emu.control.reset();
});

describe("Service lifecycle against the emulator", () => {
    it("create → read → update (PATCH only) → scaling → password → stop/start → delete", async () => {
        const args = {
            name: "analytics",
            provider: "aws",
            region: "us-east-1",
            ipAccessList: [{ source: "10.0.0.0/8", description: "vpc" }],
            tags: [{ key: "env", value: "test" }],
            minReplicaMemoryGb: 8,
            maxReplicaMemoryGb: 16,
            endpoints: [{ protocol: "mysql", enabled: true }],
        };
        const ins = inputs("analytics", args);
        const { id, outs } = await create(ins);
        const secretsSeen: string[] = [];

        // create
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(outs).toMatchObject({
            name: "analytics",
            provider: "aws",
            region: "us-east-1",
            state: "running",
            minReplicaMemoryGb: 8,
            maxReplicaMemoryGb: 16,
        });
        expect(outs.tags).toEqual([{ key: "env", value: "test" }]);
        expect(typeof outs.password).toBe("string");
        secretsSeen.push(outs.password as string);
        // The private endpoint configuration is not an output: one request per service that few need
        // (getPrivateEndpointConfig reads it on demand).
        expect(outs).not.toHaveProperty("privateEndpointConfig");
        expect((await emu.control.log()).map((e) => e.path).filter((path) => path.endsWith("/privateEndpointConfig"))).toEqual([]);
        expect((outs.endpoints as any[]).map((e) => e.protocol)).toContain("mysql");
        expect(outs.organizationId).toBe(emu.organizationId);
        expect(outs.__creation).toBe("proj/test/analytics");
        const [stored] = await servicesInEmulator();
        // The creation tag names the resource, this stack's ownership id and the create's attempt.
        const creationTag = (stored.tags as Array<{ key: string; value: string }>).find((t) => t.key === "pulumi-creation");
        expect(creationTag?.value).toMatch(new RegExp(`^proj\\.test\\.analytics\\.o-${OWNER}\\.a-[0-9a-f]{12}$`));
        expect(outs.__owner).toBe(OWNER);
        expect(await writes()).toEqual([`POST /services`]);
        expect(diffService(id, outs, ins)).toMatchObject({ changes: false });

        // read: same outputs, the password kept, inputs rebuilt as written
        const read = await serviceHandlers.read(id, { ...outs, __provider: PROVIDER_TEXT });
        expect(read.id).toBe(id);
        expect(read.props).toMatchObject({ name: "analytics", password: outs.password });
        const { __provider, ...written } = ins;
        void __provider;
        expect(read.inputs).toEqual(written);
        expect(diffService(id, read.props as Outs, ins)).toMatchObject({ changes: false });

        // update name and ip list: one PATCH of the service, no POST or DELETE
        await emu.control.clearLog();
        const ins2 = inputs("analytics", {
            ...args,
            name: "analytics-2",
            ipAccessList: [{ source: "10.0.0.0/8", description: "vpc" }, { source: "203.0.113.7" }],
        });
        expect(diffService(id, outs, ins2)).toMatchObject({ changes: true, replaces: [] });
        const up2 = (await serviceHandlers.update(id, outs, ins2)).outs as Outs;
        expect(await writes()).toEqual([`PATCH /services/${id}`]);
        expect(up2).toMatchObject({ name: "analytics-2", password: outs.password });
        expect(up2.ipAccessList).toEqual(expect.arrayContaining([{ source: "203.0.113.7" }, { source: "10.0.0.0/8", description: "vpc" }]));
        expect(diffService(id, up2, ins2)).toMatchObject({ changes: false });

        // scaling: one PATCH of replicaScaling with both memory bounds
        await emu.control.clearLog();
        const ins3 = inputs("analytics", {
            ...args,
            name: "analytics-2",
            ipAccessList: ins2.ipAccessList,
            minReplicaMemoryGb: 16,
            maxReplicaMemoryGb: 32,
            idleTimeoutMinutes: 10,
        });
        const up3 = (await serviceHandlers.update(id, up2, ins3)).outs as Outs;
        expect(await writes()).toEqual([`PATCH /services/${id}/replicaScaling`]);
        expect(up3).toMatchObject({ minReplicaMemoryGb: 16, maxReplicaMemoryGb: 32, idleTimeoutMinutes: 10 });

        // password rotation: hashes sent, the new password recorded
        await emu.control.clearLog();
        const ins4 = { ...ins3, password: "Rotated-Password-42" };
        expect(diffService(id, up3, ins4).diffs).toEqual(["password"]);
        const up4 = (await serviceHandlers.update(id, up3, ins4)).outs as Outs;
        secretsSeen.push("Rotated-Password-42");
        expect(await writes()).toEqual([`PATCH /services/${id}/password`]);
        expect(up4.password).toBe("Rotated-Password-42");
        expect(diffService(id, up4, ins4)).toMatchObject({ changes: false });

        // switching to a hash is in place; the plaintext output goes away
        const hash = createHash("sha256").update("Hashed-Password-7").digest("base64");
        const ins5 = { ...ins3, passwordHash: hash };
        expect(diffService(id, up4, ins5)).toMatchObject({ changes: true, replaces: [] });
        const up5 = (await serviceHandlers.update(id, up4, ins5)).outs as Outs;
        expect(up5.password).toBeUndefined();
        expect(up5.passwordHash).toBe(hash);

        // stop, then start
        await emu.control.clearLog();
        const stopped = (await serviceHandlers.update(id, up5, { ...ins5, state: "stopped" })).outs as Outs;
        expect(stopped.state).toBe("stopped");
        expect(await writes()).toEqual([`PATCH /services/${id}/state`]);
        const started = (await serviceHandlers.update(id, stopped, { ...ins5, state: "running" })).outs as Outs;
        expect(["running", "idle"]).toContain(started.state);

        // delete: stop, DELETE, gone
        await emu.control.clearLog();
        await serviceHandlers.delete(id, started);
        expect(await writes()).toEqual([`PATCH /services/${id}/state`, `DELETE /services/${id}`]);
        expect(await servicesInEmulator()).toEqual([]);

        // no secret ever reached the request log (paths and query strings only, but check)
        const log = JSON.stringify(await emu.control.log());
        for (const s of secretsSeen) expect(log).not.toContain(s);
    });

    it("deleting a service warns first, naming the ClickPipes no resource of the stack manages (the API deletes them with it)", async () => {
        const { id, outs } = await create(inputs("with-pipes", { name: "with-pipes", provider: "aws", region: "us-east-1" }));
        const client = getClient(currentConfig());
        const pipe = await client.post<{ id: string }>(`/services/${id}/clickpipes`, {
            name: "made-in-console",
            source: {
                kafka: {
                    type: "kafka",
                    format: "JSONEachRow",
                    brokers: "b:9092",
                    topics: "t",
                    authentication: "PLAIN",
                    credentials: { username: "u", password: "p-secret-1" },
                },
            },
            destination: { database: "default", table: "t", managedTable: true, columns: [{ name: "id", type: "String" }] },
            fieldMappings: [{ sourceField: "id", destinationField: "id" }],
        });
        await emu.control.clearLog();
        const logs = captureLogs();
        await serviceHandlers.delete(id, outs).finally(() => logs.stop());
        const warnings = logs.entries.filter((e) => e.level === "warning").map((e) => e.message);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(new RegExp(`with-pipes.*${id}.*ClickPipe "made-in-console" \\(${pipe.id}\\)`));
        expect(warnings[0]).not.toContain("p-secret-1");
        expect(await reads()).toContain(`/services/${id}/clickpipes`);
        expect(await servicesInEmulator()).toEqual([]);
    });

    it("deleting a service without ClickPipes warns nothing and costs one list of its pipes", async () => {
        const { id, outs } = await create(inputs("no-pipes", { name: "no-pipes", provider: "aws", region: "us-east-1" }));
        await emu.control.clearLog();
        const logs = captureLogs();
        await serviceHandlers.delete(id, outs).finally(() => logs.stop());
        expect(logs.entries.filter((e) => e.level === "warning")).toEqual([]);
        expect((await reads()).filter((p) => p.endsWith("/clickpipes"))).toEqual([`/services/${id}/clickpipes`]);
    });

    it("a service deleted behind Pulumi's back reads as gone and deletes as success", async () => {
        const { id, outs } = await create(inputs("gone", { name: "gone", provider: "gcp", region: "us-central1" }));
        const client = getClient(currentConfig());
        await emu.control.setState("service", id, "stopped");
        await client.delete(`/services/${id}`);
        for (let i = 0; i < 100 && (await servicesInEmulator()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await serviceHandlers.read(id, outs)).toEqual({ id: "" });
        await expect(serviceHandlers.delete(id, outs)).resolves.toBeUndefined();
    });

    it("retries DELETE on 409 until the API accepts it", async () => {
        // A warehouse's primary cannot be deleted before its other services: 409 until they are gone.
        const primary = await create(inputs("primary", { name: "primary", provider: "aws", region: "eu-west-1" }));
        const secondaryInputs = inputs("secondary", {
            name: "secondary",
            provider: "aws",
            region: "eu-west-1",
            dataWarehouseId: primary.outs.dataWarehouseId,
            isReadonly: true,
        });
        const secondary = await create(secondaryInputs);
        expect(secondary.outs).toMatchObject({ isReadonly: true, isPrimary: false, dataWarehouseId: primary.outs.dataWarehouseId });
        expect(diffService(secondary.id, secondary.outs, secondaryInputs)).toMatchObject({ changes: false });
        await emu.control.clearLog();
        await Promise.all([serviceHandlers.delete(primary.id, primary.outs), serviceHandlers.delete(secondary.id, secondary.outs)]);
        const log = await emu.control.log();
        expect(log.some((e) => e.method === "DELETE" && e.path.endsWith(primary.id) && e.status === 409)).toBe(true);
        expect(log.some((e) => e.method === "DELETE" && e.path.endsWith(primary.id) && e.status === 200)).toBe(true);
        expect(await servicesInEmulator()).toEqual([]);
    });

    it("retries DELETE on 409 while the API still reports a transition right after stopped", async () => {
        const { id, outs } = await create(inputs("sticky", { name: "sticky", provider: "aws", region: "eu-west-2" }));
        await emu.control.setQuirks({ deleteConflictAfterStopSeconds: 1.5 });
        try {
            await emu.control.clearLog();
            await serviceHandlers.delete(id, outs);
        } finally {
            await emu.control.setQuirks({ deleteConflictAfterStopSeconds: 0 });
        }
        const deletes = (await emu.control.log()).filter((e) => e.method === "DELETE");
        expect(deletes[0].status).toBe(409);
        expect(deletes[deletes.length - 1].status).toBe(200);
        expect(await servicesInEmulator()).toEqual([]);
    });

    it("an update the API rejects halfway records what was applied (partial failure)", async () => {
        await emu.control.setOrganization({ tiers: "legacy" }); // development services: legacy organizations only (reset restores)
        const ins = inputs("dev", { name: "dev", provider: "gcp", region: "europe-west4", tier: "development" });
        const { id, outs } = await create(ins);
        // Without the tier in the arguments, check cannot know the service is fixed-size; the API refuses.
        const news = inputs("dev", { name: "dev-renamed", provider: "gcp", region: "europe-west4", minReplicaMemoryGb: 16 });
        const err = await serviceHandlers.update(id, outs, news).then(
            () => undefined,
            (e) => e,
        );
        expect(err).toBeInstanceOf(ResourceInitError);
        expect(err.id).toBe(id);
        expect(err.message).toMatch(/replicaScaling -> 400 BAD_REQUEST: .*development/);
        expect(err.properties).toMatchObject({ name: "dev-renamed", password: outs.password, __provider: PROVIDER_TEXT });
        expect(diffService(id, err.properties, news).diffs).toEqual(["minReplicaMemoryGb"]);
    });

    it("drift: a name changed behind Pulumi's back shows in read and in the next diff", async () => {
        const ins = inputs("drift", { name: "drift", provider: "aws", region: "us-east-2" });
        const { id, outs } = await create(ins);
        await emu.control.patchService(id, { name: "changed-in-console" });
        const read = await serviceHandlers.read(id, outs);
        expect(read.props).toMatchObject({ name: "changed-in-console", password: outs.password });
        expect(read.inputs).toMatchObject({ name: "changed-in-console" });
        const d = diffService(id, read.props as Outs, ins);
        expect(d).toMatchObject({ changes: true, replaces: [] });
        expect(d.diffs).toEqual(["name"]);
        // and `up` puts it back with one PATCH
        await emu.control.clearLog();
        const up = (await serviceHandlers.update(id, read.props as Outs, ins)).outs as Outs;
        expect(up.name).toBe("drift");
        expect(await writes()).toEqual([`PATCH /services/${id}`]);
    });

    it("an interrupted create of this stack (attempt recorded, POST accepted, run lost) is resumed: no second POST, the password rotated", async () => {
        const ins = inputs("orphan", { name: "orphan", provider: "aws", region: "us-west-2" });
        const posted = await interruptedPost(ins);
        await emu.control.clearLog();
        const logs = captureLogs();
        const { id, outs } = await create(ins).finally(() => logs.stop());
        expect(id).toBe(posted.service.id);
        // One list (only because an attempt was recorded), no POST, a new password for the
        // service whose generated one was lost with the POST's answer.
        expect(await writes()).toEqual([`PATCH /services/${id}/password`]);
        // (then the wait for the resumed service, still provisioning, polls it alone)
        expect(new Set(await reads())).toEqual(new Set(["/services", `/services/${id}`]));
        expect((await reads())[0]).toBe("/services");
        expect((await servicesInEmulator()).map((s) => s.id)).toEqual([id]);
        expect(typeof outs.password).toBe("string");
        expect(outs.password).not.toBe(posted.password);
        expect(logs.entries.find((e) => e.level === "warning" && e.message.includes(`resuming service ${id}`))).toBeDefined();
        // The attempt is settled: the same create again (a later run) makes a new service.
        resetOwnAttempts();
        expect(interruptedAttempts(OWNER, "Service", ins.__creation as string)).toEqual([]);
    });

    it("without a recorded attempt nothing is looked up: the first request is the POST", async () => {
        await create(inputs("plain", { name: "plain", provider: "aws", region: "us-east-1" }));
        const first = (await emu.control.log())[0];
        expect(`${first.method} ${first.path.replace(`/v1/organizations/${emu.organizationId}`, "")}`).toBe("POST /services");
    });

    it("a released service of this stack and resource (retainOnDelete + destroy, pulumi state delete) is never taken again", async () => {
        const ins = inputs("released", { name: "released", provider: "aws", region: "us-east-1" });
        const first = await create(ins);
        resetOwnAttempts(); // the next `pulumi up`: a new provider process
        await emu.control.clearLog();
        const logs = captureLogs();
        const second = await create(ins).finally(() => logs.stop());
        expect(second.id).not.toBe(first.id);
        // The released service is untouched: no request names it, its password still opens it.
        expect((await emu.control.log()).filter((e) => e.path.includes(first.id))).toEqual([]);
        expect(logs.entries.filter((e) => e.level === "warning")).toEqual([]);
        expect((await servicesInEmulator()).map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    });

    it("another backend's same-named stack (another ownership id) is never taken, even mid-create", async () => {
        const mine = inputs("shared-name", { name: "shared-name", provider: "aws", region: "us-east-1" });
        const theirs = { ...mine, __owner: OTHER_OWNER };
        const posted = await interruptedPost(theirs, OTHER_OWNER);
        resetOwnAttempts();
        await emu.control.clearLog();
        const created = await create(mine);
        expect(created.id).not.toBe(posted.service.id);
        expect((await emu.control.log()).filter((e) => e.path.includes(posted.service.id))).toEqual([]);
        expect(await servicesInEmulator()).toHaveLength(2);
    });

    it("interrupted, then edited (region): the leftover of this stack is deleted and a new service created, with a warning naming it", async () => {
        const before = inputs("edited", { name: "edited", provider: "aws", region: "us-west-2" });
        const posted = await interruptedPost(before);
        const after = inputs("edited", { name: "edited", provider: "aws", region: "eu-west-1" });
        const logs = captureLogs();
        const created = await create(after).finally(() => logs.stop());
        expect(created.id).not.toBe(posted.service.id);
        expect(created.outs.region).toBe("eu-west-1");
        expect((await servicesInEmulator()).map((s) => s.id)).toEqual([created.id]);
        const warning = logs.entries.find((e) => e.level === "warning" && e.message.includes(posted.service.id));
        expect(warning?.message).toMatch(/region "us-west-2" \(the program says "eu-west-1"\): deleting it/);
        expect(interruptedAttempts(OWNER, "Service", after.__creation as string)).toEqual([]);
    });

    it("an attempt that created nothing (killed before its POST) costs one list, then a normal create", async () => {
        const ins = inputs("never-posted", { name: "never-posted", provider: "aws", region: "us-east-1" });
        beginAttempt(OWNER, { attempt: newAttemptId(), kind: "Service", resource: ins.__creation as string });
        resetOwnAttempts();
        await emu.control.clearLog();
        const created = await create(ins);
        expect(await reads()).toContain("/services");
        expect((await writes())[0]).toBe("POST /services");
        expect(created.id).toBeTruthy();
        expect(interruptedAttempts(OWNER, "Service", ins.__creation as string)).toEqual([]);
    });

    it("a replacement (--replace, replaceOnChanges) makes a new service, never taking the one it replaces", async () => {
        resetRunState();
        const h = handlers("Service");
        const first = inputs("roc", { name: "roc", provider: "aws", region: "us-east-1" });
        const old = (await h.create(first)) as { id: string; outs: Outs };
        resetRunState(); // the next `pulumi up`: a new provider process
        resetOwnAttempts();
        // The engine checks a forced replacement's arguments without the old ones: the same
        // arguments as the recorded service, and no diff.
        const logs = captureLogs();
        const replacement = await h.create(first).finally(() => logs.stop());
        expect(replacement.id).not.toBe(old.id);
        expect(logs.entries.filter((e) => e.level === "warning")).toEqual([]);
        expect((await servicesInEmulator()).map((s) => s.id).sort()).toEqual([old.id, replacement.id].sort());
        // Then the engine deletes the replaced service: it really goes.
        await h.delete(old.id, old.outs);
        expect((await servicesInEmulator()).map((s) => s.id)).toEqual([replacement.id]);
    });

    it("adoptServiceId takes over an existing service and converges it", async () => {
        const existing = await create(inputs("existing", { name: "existing", provider: "aws", region: "us-east-1" }));
        await emu.control.clearLog();
        const adopted = await create(
            inputs("adopter", { name: "adopted", provider: "aws", region: "us-east-1", adoptServiceId: existing.id }),
        );
        expect(adopted.id).toBe(existing.id);
        expect(adopted.outs).toMatchObject({ name: "adopted", adoptServiceId: existing.id });
        expect(adopted.outs.password).toBeUndefined(); // unknown: nobody gave one, and it is not rotated unasked
        expect(await writes()).toEqual([`PATCH /services/${existing.id}`]);
        await expect(
            create(inputs("adopter2", { name: "x", provider: "aws", region: "eu-west-1", adoptServiceId: existing.id })),
        ).rejects.toThrow(/region "us-east-1".*cannot be changed/);
        await expect(
            create(
                inputs("adopter3", {
                    name: "x",
                    provider: "aws",
                    region: "us-east-1",
                    adoptServiceId: "00000000-0000-4000-8000-000000000000",
                }),
            ),
        ).rejects.toThrow(/no such service/);
    });

    it("refuses an organizationId other than the configured one", async () => {
        await expect(
            create(
                inputs("other-org", {
                    name: "x",
                    provider: "aws",
                    region: "us-east-1",
                    organizationId: "11111111-2222-4333-8444-555555555555",
                }),
            ),
        ).rejects.toThrow(/configured for organization 7c0f5e1a.*belongs to one organization/);
        expect(await servicesInEmulator()).toEqual([]);
    });

    it("a desired state of stopped is reached at creation, with the given password", async () => {
        const ins = inputs("cold", { name: "cold", provider: "azure", region: "eastus2", state: "stopped", password: "Given-Password-1" });
        const { id, outs } = await create(ins);
        expect(outs).toMatchObject({ state: "stopped", password: "Given-Password-1" });
        expect(await writes()).toEqual([`POST /services`, `PATCH /services/${id}/password`, `PATCH /services/${id}/state`]);
        expect(diffService(id, outs, ins)).toMatchObject({ changes: false });
        await serviceHandlers.delete(id, outs);
        expect(await writes()).toContain(`DELETE /services/${id}`);
        expect(JSON.stringify(await emu.control.log())).not.toContain("Given-Password-1");
    });

    it('removing state: "stopped" from the program starts the service again; afterwards state is not managed', async () => {
        const stopped = inputs("toggle", {
            name: "toggle",
            provider: "aws",
            region: "us-east-1",
            state: "stopped",
            releaseChannel: "fast",
        });
        const { id, outs } = await create(stopped);
        expect(outs.state).toBe("stopped");
        const removed = inputs("toggle", { name: "toggle", provider: "aws", region: "us-east-1" });
        expect(diffService(id, outs, removed)).toMatchObject({ changes: true, diffs: ["releaseChannel", "state"] });
        await emu.control.clearLog();
        const { outs: after } = (await serviceHandlers.update(id, outs, removed)) as { outs: Outs };
        expect(after).toMatchObject({ state: "running", releaseChannel: "default" });
        expect(await writes()).toEqual([`PATCH /services/${id}/state`, `PATCH /services/${id}`]);
        expect(diffService(id, after, removed)).toMatchObject({ changes: false });
        // Not managed any more: stopped in the console, it stays stopped.
        await emu.control.setState("service", id, "stopped");
        expect(diffService(id, { ...after, state: "stopped" }, removed)).toMatchObject({ changes: false });
        await serviceHandlers.delete(id, after);
    });
});

describe("Service failures against a slow emulator", () => {
    let slow: RunningEmulator;
    beforeAll(async () => {
        slow = await startEmulator({ durations: { ...FAST, provisioning: 3 }, rateLimit: false, quiet: true });
        configure(slow);
    });
    afterAll(async () => {
        await slow?.stop();
        configure(emu);
    });

    it("a service that turns failed while provisioning is recorded (ResourceInitError with its id)", async () => {
        const pending = create(inputs("doomed", { name: "doomed", provider: "aws", region: "us-east-1" }));
        let svc: any;
        for (let i = 0; i < 100 && !svc; i++) {
            svc = (await slow.control.objects()).services[0];
            if (!svc) await new Promise((r) => setTimeout(r, 20));
        }
        await slow.control.setState("service", svc.id, "failed");
        const err = await pending.then(
            () => undefined,
            (e) => e,
        );
        expect(err).toBeInstanceOf(ResourceInitError);
        expect(err.id).toBe(svc.id);
        expect(err.message).toMatch(/doomed.*failed/);
        expect(err.properties).toMatchObject({ state: "failed", name: "doomed", __provider: PROVIDER_TEXT });
        expect(typeof err.properties.password).toBe("string"); // the generated password survives the failure
        // The error says what to do, once.
        expect(err.message.match(/pulumi destroy/g)).toHaveLength(1);
        expect(err.message).toMatch(/does not recover by itself.*pulumi destroy.*pulumi up --replace.*ClickHouse Cloud console/);
        // The next `up` (the engine retries the update of a resource it recorded with an error)
        // fails at once with the same advice, without waiting.
        const started = Date.now();
        const again = await serviceHandlers
            .update(svc.id, err.properties, inputs("doomed", { name: "doomed", provider: "aws", region: "us-east-1" }))
            .then(
                () => undefined,
                (e) => e,
            );
        expect(Date.now() - started).toBeLessThan(2000);
        expect(again.message).toMatch(/"doomed" \([0-9a-f-]{36}\) is failed/);
        expect(again.message.match(/pulumi destroy/g)).toHaveLength(1);
        // it can still be deleted
        await serviceHandlers.delete(svc.id, err.properties);
        expect((await slow.control.objects()).services).toEqual([]);
    });

    it("a create that outlasts timeouts.create fails clearly and still records the service", async () => {
        const err = await create(
            inputs("slowpoke", { name: "slowpoke", provider: "aws", region: "us-east-1", timeouts: { create: "1s" } }),
        ).then(
            () => undefined,
            (e) => e,
        );
        expect(err).toBeInstanceOf(ResourceInitError);
        expect(err.message).toMatch(/timed out after \d+s waiting for service "slowpoke" \([0-9a-f-]{36}\).*last state: provisioning/);
        expect(err.properties.state).toBe("provisioning");
        await serviceHandlers.delete(err.id, err.properties);
    });

    it("a delete that outlasts timeouts.delete names the service, its id and state", async () => {
        const { id, outs } = await create(
            inputs("stuck", { name: "stuck", provider: "aws", region: "us-east-1", timeouts: { delete: "1s" } }),
        );
        await slow.control.setState("service", id, "stopping"); // forced: never reaches stopped
        await expect(serviceHandlers.delete(id, outs)).rejects.toThrow(
            /timed out after \d+s waiting for service "stuck" \([0-9a-f-]{36}\) to be stopped; last state: stopping/,
        );
        await slow.control.setState("service", id, "stopped");
        await serviceHandlers.delete(id, { ...outs, timeouts: undefined });
    });
});
