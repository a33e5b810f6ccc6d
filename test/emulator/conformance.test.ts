import { requestSchemaValidator, startTestEmulator, serviceBody, kafkaPipeBody, templateOf } from "./helpers";

/**
 * Drives every endpoint through its success and error paths; every answer is validated against the
 * OpenAPI document by the helper's onResponse hook (ajv, JSON Schema 2020-12). Error statuses the spec
 * has no schema for (401, 403, 404, 405, 409, 424, 429) are checked against a minimal error envelope.
 */
let t: Awaited<ReturnType<typeof startTestEmulator>>;
const D = 0.1;

beforeAll(async () => {
    t = await startTestEmulator({
        durations: {
            provisioning: D,
            starting: D,
            stopping: D,
            awaking: D,
            terminating: D,
            pipeProvisioning: D,
            pipeStopping: D,
            pipeStarting: D,
            pipeDeleting: D,
        },
    });
});

afterAll(async () => {
    await t.emu.stop();
    const combos = [...t.conformance.covered].sort();
    console.log(
        `conformance: ${t.conformance.count} responses validated, ${combos.length} (method, path, status) combinations covered:\n  ${combos.join("\n  ")}`,
    );
});

async function running(over: Record<string, unknown> = {}) {
    const r = await t.api("POST", "/services", serviceBody(over));
    expect(r.status).toBe(200);
    return t.waitService(r.body.result.service.id, "running");
}

test("organizations: list, get, another organization refused, malformed id", async () => {
    const list = await t.api("GET", "/v1/organizations");
    expect(list.status).toBe(200);
    expect(list.body.result).toEqual([expect.objectContaining({ id: t.emu.organizationId })]);
    expect((await t.api("GET", "/v1/organizations/" + t.emu.organizationId)).body.result.id).toBe(t.emu.organizationId);
    const other = await t.api("GET", "/v1/organizations/11111111-2222-4333-8444-555555555555/services");
    expect(other.status).toBe(403);
    const bad = await t.api("GET", "/v1/organizations/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("BAD_REQUEST: request path.organizationId: The value must be a valid UUID <string:not-a-uuid>");
});

test("authentication: missing or wrong credentials get 401", async () => {
    expect((await t.api("GET", "/services", undefined, {})).status).toBe(401);
    const wrong = await t.api("GET", "/services", undefined, {
        authorization: "Basic " + Buffer.from(`${t.emu.keyId}:nope`).toString("base64"),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatch(/^UNAUTHORIZED: /);
});

/** Bodies the spec itself forbids: each is checked to be invalid per the spec, then to be refused with 400 naming the field. */
const forbidden: [method: string, path: string, body: Record<string, unknown>, field: string][] = [
    ["POST", "/services", serviceBody({ name: "" }), "name"],
    ["POST", "/services", serviceBody({ name: "x".repeat(51) }), "name"],
    ["POST", "/services", serviceBody({ provider: "ibm" }), "provider"],
    ["POST", "/services", serviceBody({ region: "mars-1" }), "region"],
    ["POST", "/services", serviceBody({ tier: "huge" }), "tier"],
    ["POST", "/services", serviceBody({ minReplicaMemoryGb: 10 }), "minReplicaMemoryGb"],
    ["POST", "/services", serviceBody({ maxReplicaMemoryGb: 360 }), "maxReplicaMemoryGb"],
    ["POST", "/services", serviceBody({ minTotalMemoryGb: 32 }), "minTotalMemoryGb"],
    ["POST", "/services", serviceBody({ numReplicas: 21 }), "numReplicas"],
    ["POST", "/services", serviceBody({ numReplicas: 1.5 }), "numReplicas"],
    ["POST", "/services", serviceBody({ idleScaling: "yes" }), "idleScaling"],
    ["POST", "/services", serviceBody({ backupId: "not-a-uuid" }), "backupId"],
    ["POST", "/services", serviceBody({ tags: [{ key: "bad key", value: "v" }] }), "tags[0].key"],
    ["POST", "/services", serviceBody({ tags: [{ value: "v" }] }), "tags[0].key"],
    ["POST", "/services", serviceBody({ tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}` })) }), "tags"],
    ["POST", "/services", serviceBody({ releaseChannel: "beta" }), "releaseChannel"],
    ["POST", "/services", serviceBody({ endpoints: [{ protocol: "https", enabled: true }] }), "endpoints[0].protocol"],
];

test.each(forbidden)("spec-forbidden body %s %s is refused (%#)", async (method, p, body, field) => {
    const validate = requestSchemaValidator(
        method,
        templateOf(method, t.org + p.replace("{id}", "00000000-0000-4000-8000-000000000000"))!,
    )!;
    expect(validate(body)).toBe(false);
    const r = await t.api(method, p, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(`BAD_REQUEST: request body.${field}: `);
});

test("encryptionKey is answered (the spec lists it on Service); encryptionRoleId only with transparent data encryption", async () => {
    const key = "arn:aws:kms:us-east-2:123456789012:key/0f1e2d3c-4b5a-4968-8776-655443322110";
    const created = await t.api(
        "POST",
        "/services",
        serviceBody({ name: "cmek", encryptionKey: key, encryptionAssumedRoleIdentifier: "arn:aws:iam::123456789012:role/ch-kms" }),
    );
    expect(created.status).toBe(200);
    expect(created.body.result.service).toMatchObject({
        encryptionKey: key,
        encryptionAssumedRoleIdentifier: "arn:aws:iam::123456789012:role/ch-kms",
    });
    expect(created.body.result.service.encryptionRoleId).toBeUndefined();
    expect((await t.api("GET", `/services/${created.body.result.service.id}`)).body.result.encryptionKey).toBe(key);
    const tde = await t.api("POST", "/services", serviceBody({ name: "tde", hasTransparentDataEncryption: true }));
    expect(tde.body.result.service).toMatchObject({
        hasTransparentDataEncryption: true,
        encryptionRoleId: expect.stringMatching(/^arn:aws:iam::\d{12}:role\/\S+$/),
    });
    expect(tde.body.result.service.encryptionKey).toBeUndefined();
    const gcp = await t.api(
        "POST",
        "/services",
        serviceBody({ name: "tde-gcp", provider: "gcp", region: "europe-west4", hasTransparentDataEncryption: true }),
    );
    expect(gcp.body.result.service.encryptionRoleId).toEqual(expect.any(String));
    const listed = (await t.api("GET", "/services")).body.result.find((s: any) => s.id === tde.body.result.service.id);
    expect(listed.encryptionRoleId).toBe(tde.body.result.service.encryptionRoleId);
});

test("service create: rules stated in the spec's descriptions and api-facts", async () => {
    const cases: [Record<string, unknown>, string][] = [
        [
            { idleTimeoutMinutes: 4 },
            "BAD_REQUEST: request body.idleTimeoutMinutes: The value must be greater than or equal to 5 <number:4>",
        ],
        [
            { minTotalMemoryGb: 36 },
            "BAD_REQUEST: request body.minTotalMemoryGb: The value must be a multiple of 12 <number:36>".replace("36>", "36>"),
        ],
        [
            { minReplicaMemoryGb: 32, maxReplicaMemoryGb: 16 },
            "BAD_REQUEST: request body.minReplicaMemoryGb: minReplicaMemoryGb (32) must be less than or equal to maxReplicaMemoryGb (16)",
        ],
        [
            { region: "us-east1" },
            "BAD_REQUEST: request body.region: Region 'us-east1' is not available for provider 'aws' <string:us-east1>",
        ],
        [
            { isReadonly: true },
            "BAD_REQUEST: request body.isReadonly: a service can only be read-only if a dataWarehouseId is provided <boolean:true>",
        ],
        [
            { numReplicas: 2, minReplicas: 1, maxReplicas: 3 },
            "BAD_REQUEST: request body.numReplicas: numReplicas is mutually exclusive with minReplicas/maxReplicas",
        ],
        [
            { ipAccessList: [{ source: "300.1.1.1" }] },
            "BAD_REQUEST: request body.ipAccessList[0].source: The value must be an IP address or a CIDR block <string:300.1.1.1>",
        ],
        [{ surprise: 1 }, "BAD_REQUEST: request body.surprise: Unknown field"],
    ];
    for (const [over, message] of cases) {
        const r = await t.api("POST", "/services", serviceBody(over));
        if (message.includes("multiple of 12 <number:36>")) {
            // 36 is a multiple of 12: this one is valid, the service is created.
            expect(r.status).toBe(200);
            continue;
        }
        expect({ over, status: r.status, error: r.body.error }).toEqual({ over, status: 400, error: message });
    }
    expect((await t.api("POST", "/services", "{not json")).status).toBe(400);
});

test("service lifecycle: provisioning → running, 409 on delete, stop, delete, terminating, 404", async () => {
    const created = await t.api("POST", "/services", serviceBody({ name: "life", tags: [{ key: "env", value: "test" }, { key: "team" }] }));
    expect(created.status).toBe(200);
    const { service, password } = created.body.result;
    expect(service.state).toBe("provisioning");
    expect(password).toMatch(/^\S{12,}$/);
    const id = service.id;
    await t.waitService(id, "running");
    const conflict = await t.api("DELETE", `/services/${id}`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe(
        "CONFLICT: Only instance in one of the following states: 'provisioning','starting','awaking','idle','stopped','degraded','failed' can be terminated. Current state: 'running'",
    );
    // Tag filters: Key=Value and bare Key (spec example "tag:isActive").
    const byTag = await t.api("GET", "/services?filter=tag:env=test");
    expect(byTag.body.result.map((s: any) => s.id)).toContain(id);
    expect((await t.api("GET", "/services?filter=tag:team")).body.result.map((s: any) => s.id)).toContain(id);
    expect((await t.api("GET", "/services?filter=tag:env=prod")).body.result.map((s: any) => s.id)).not.toContain(id);
    expect((await t.api("GET", "/services?filter=name:x")).status).toBe(400);
    const stop = await t.api("PATCH", `/services/${id}/state`, { command: "stop" });
    expect(stop.body.result.state).toBe("stopping");
    await t.waitService(id, "stopped");
    const start = await t.api("PATCH", `/services/${id}/state`, { command: "start" });
    expect(start.body.result.state).toBe("starting");
    await t.waitService(id, "running");
    expect((await t.api("PATCH", `/services/${id}/state`, { command: "awake" })).body.result.state).toBe("running");
    expect((await t.api("PATCH", `/services/${id}/state`, { command: "reboot" })).status).toBe(400);
    await t.api("PATCH", `/services/${id}/state`, { command: "stop" });
    await t.waitService(id, "stopped");
    expect((await t.api("DELETE", `/services/${id}`)).status).toBe(200);
    expect((await t.api("GET", `/services/${id}`)).body.result.state).toBe("terminating");
    for (let i = 0; i < 100 && (await t.api("GET", `/services/${id}`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 20));
    const gone = await t.api("GET", `/services/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toBe(`NOT_FOUND: Service with id ${id} not found`);
    expect((await t.api("DELETE", `/services/${id}`)).status).toBe(404);
    expect((await t.api("GET", `/services/not-a-uuid`)).status).toBe(400);
});

test("service patch, scaling, replica scaling, password", async () => {
    const svc = await running({ ipAccessList: [{ source: "10.0.0.0/8", description: "vpn" }] });
    const id = svc.id;
    const patched = await t.api("PATCH", `/services/${id}`, {
        name: "renamed",
        ipAccessList: { remove: [{ source: "10.0.0.0/8" }], add: [{ source: "192.168.1.1", description: "office" }] },
        tags: { add: [{ key: "a", value: "1" }] },
        endpoints: [{ protocol: "mysql", enabled: true }],
        releaseChannel: "fast",
    });
    expect(patched.status).toBe(200);
    expect(patched.body.result).toMatchObject({
        name: "renamed",
        ipAccessList: [{ source: "192.168.1.1", description: "office" }],
        tags: [{ key: "a", value: "1" }],
        releaseChannel: "fast",
    });
    expect(patched.body.result.endpoints.map((e: any) => e.protocol)).toEqual(["https", "nativesecure", "mysql"]);
    expect((await t.api("PATCH", `/services/${id}`, { name: "" })).status).toBe(400);
    expect((await t.api("PATCH", `/services/${id}`, { releaseChannel: "beta" })).status).toBe(400);

    const scaled = await t.api("PATCH", `/services/${id}/scaling`, { minTotalMemoryGb: 48, maxTotalMemoryGb: 96, idleTimeoutMinutes: 10 });
    expect(scaled.body.result).toMatchObject({
        minTotalMemoryGb: 48,
        maxTotalMemoryGb: 96,
        minReplicaMemoryGb: 16,
        maxReplicaMemoryGb: 32,
        idleTimeoutMinutes: 10,
    });
    const bad12 = await t.api("PATCH", `/services/${id}/scaling`, { minTotalMemoryGb: 32 });
    expect(bad12.body.error).toBe("BAD_REQUEST: request body.minTotalMemoryGb: The value must be a multiple of 12 <number:32>");
    const replica = await t.api("PATCH", `/services/${id}/replicaScaling`, {
        minReplicaMemoryGb: 24,
        maxReplicaMemoryGb: 64,
        numReplicas: 2,
    });
    expect(replica.body.result).toMatchObject({ minReplicaMemoryGb: 24, maxReplicaMemoryGb: 64, numReplicas: 2 });
    const bad4 = await t.api("PATCH", `/services/${id}/replicaScaling`, { minReplicaMemoryGb: 30 });
    expect(bad4.body.error).toBe("BAD_REQUEST: request body.minReplicaMemoryGb: The value must be a multiple of 4 <number:30>");
    const horizontal = await t.api("PATCH", `/services/${id}/replicaScaling`, {
        autoscalingMode: "horizontal",
        minReplicas: 2,
        maxReplicas: 5,
        minReplicaMemoryGb: 16,
        maxReplicaMemoryGb: 16,
    });
    expect(horizontal.body.result).toMatchObject({ autoscalingMode: "horizontal", minReplicas: 2, maxReplicas: 5, replicaMemoryGb: 16 });
    expect(horizontal.body.result.numReplicas).toBeUndefined();

    const generated = await t.api("PATCH", `/services/${id}/password`, {});
    expect(generated.body.result.password).toMatch(/^\S{12,}$/);
    const hashed = await t.api("PATCH", `/services/${id}/password`, {
        newPasswordHash: Buffer.alloc(32, 1).toString("base64"),
        newDoubleSha1Hash: "a".repeat(40),
    });
    expect(hashed.status).toBe(200);
    expect(hashed.body.result).toEqual({});
    expect((await t.api("PATCH", `/services/${id}/password`, { newPasswordHash: "short" })).status).toBe(400);
});

test("private endpoints and private endpoint config per cloud", async () => {
    const aws = await running();
    const cfg = await t.api("GET", `/services/${aws.id}/privateEndpointConfig`);
    expect(cfg.body.result.endpointServiceId).toMatch(/^com\.amazonaws\.vpce\.us-east-2\.vpce-svc-[0-9a-f]{17}$/);
    expect(cfg.body.result.privateDnsHostname).toMatch(/\.us-east-2\.vpce\.aws\.clickhouse\.cloud$/);
    const pe = await t.api("POST", `/services/${aws.id}/privateEndpoint`, { id: "vpce-0123456789abcdef0", description: "app vpc" });
    expect(pe.body.result).toEqual({ id: "vpce-0123456789abcdef0", description: "app vpc", cloudProvider: "aws", region: "us-east-2" });
    expect((await t.api("GET", `/services/${aws.id}`)).body.result.privateEndpointIds).toEqual(["vpce-0123456789abcdef0"]);
    expect((await t.api("POST", `/services/${aws.id}/privateEndpoint`, { id: "not-an-endpoint" })).status).toBe(400);
    expect((await t.api("POST", `/services/${aws.id}/privateEndpoint`, {})).status).toBe(400);
    const detached = await t.api("PATCH", `/services/${aws.id}`, { privateEndpointIds: { remove: ["vpce-0123456789abcdef0"] } });
    expect(detached.body.result.privateEndpointIds).toEqual([]);
    expect(detached.body.result.availablePrivateEndpointIds).toEqual(["vpce-0123456789abcdef0"]);
    const gcp = await t.api("POST", "/services", serviceBody({ provider: "gcp", region: "us-central1" }));
    const gcpCfg = await t.api("GET", `/services/${gcp.body.result.service.id}/privateEndpointConfig`);
    expect(gcpCfg.body.result.endpointServiceId).toMatch(/^projects\/.+\/regions\/us-central1\/serviceAttachments\//);
    const azure = await t.api("POST", "/services", serviceBody({ provider: "azure", region: "eastus2" }));
    const azCfg = await t.api("GET", `/services/${azure.body.result.service.id}/privateEndpointConfig`);
    expect(azCfg.body.result.endpointServiceId).toMatch(/\.eastus2\.azure\.privatelinkservice$/);
});

test("service query endpoint: upsert keeps its id, delete, then 404", async () => {
    const svc = await running();
    const p = `/services/${svc.id}/serviceQueryEndpoint`;
    expect((await t.api("GET", p)).status).toBe(404);
    const first = await t.api("POST", p, { roles: ["sql_console_admin"], openApiKeys: ["key1"], allowedOrigins: "https://a.example" });
    expect(first.body.result).toMatchObject({ roles: ["sql_console_admin"], openApiKeys: ["key1"], allowedOrigins: "https://a.example" });
    const second = await t.api("POST", p, { roles: ["sql_console_read_only"] });
    expect(second.body.result.id).toBe(first.body.result.id);
    expect((await t.api("GET", p)).body.result.roles).toEqual(["sql_console_read_only"]);
    expect((await t.api("POST", p, { roles: ["root"] })).status).toBe(400);
    expect((await t.api("DELETE", p)).status).toBe(200);
    expect((await t.api("GET", p)).status).toBe(404);
    expect((await t.api("DELETE", p)).status).toBe(404);
});

test("prometheus metrics in text format, filtered and not", async () => {
    const svc = await running({ name: "metrics" });
    const full = await t.api("GET", `/services/${svc.id}/prometheus`);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(full.text).toMatch(/^# HELP ClickHouseProfileEvents_Query /m);
    expect(full.text).toContain(`clickhouse_service="${svc.id}"`);
    const filtered = await t.api("GET", `/services/${svc.id}/prometheus?filtered_metrics=true`);
    expect(filtered.text.length).toBeLessThan(full.text.length);
    expect(filtered.text).not.toContain("ClickHouseMetrics_TCPConnection");
    expect((await t.api("GET", `/services/${svc.id}/prometheus?filtered_metrics=maybe`)).status).toBe(400);
    expect((await t.api("GET", `/prometheus?filtered_metrics=true`)).text).toContain(svc.id);
});

test("backups synthesized from the configuration and the service's age, newest first", async () => {
    const svc = await running({ name: "backed" });
    const cfg = await t.api("GET", `/services/${svc.id}/backupConfiguration`);
    expect(cfg.body.result).toEqual({ backupPeriodInHours: 24, backupRetentionPeriodInHours: 24 });
    const patched = await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, {
        backupPeriodInHours: 12,
        backupRetentionPeriodInHours: 72,
    });
    expect(patched.body.result).toEqual({ backupPeriodInHours: 12, backupRetentionPeriodInHours: 72 });
    const startTime = await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupStartTime: "02:30" });
    expect(startTime.body.result).toEqual({ backupPeriodInHours: 24, backupRetentionPeriodInHours: 72, backupStartTime: "02:30" });
    const reset = await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupStartTime: null, backupPeriodInHours: 12 });
    expect(reset.body.result).toEqual({ backupPeriodInHours: 12, backupRetentionPeriodInHours: 72 });
    expect((await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupRetentionPeriodInHours: 25 })).body.error).toBe(
        "BAD_REQUEST: request body.backupRetentionPeriodInHours: The value must be a multiple of 24 <number:25>",
    );
    expect((await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupRetentionPeriodInHours: 1104 })).status).toBe(400);
    expect((await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupStartTime: "25:00" })).status).toBe(400);
    expect((await t.api("PATCH", `/services/${svc.id}/backupConfiguration`, { backupPeriodInHours: 7 })).status).toBe(400);
    await t.emu.control.advance(100 * 3600);
    const list = await t.api("GET", `/services/${svc.id}/backups`);
    const backups = list.body.result;
    // 72 h retention at a 12 h period: the first backup has aged out, six or seven remain.
    expect(backups.length).toBeGreaterThanOrEqual(6);
    expect(backups.length).toBeLessThanOrEqual(7);
    const times = backups.map((b: any) => Date.parse(b.startedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const one = await t.api("GET", `/services/${svc.id}/backups/${backups[0].id}`);
    expect(one.body.result).toEqual(backups[0]);
    expect((await t.api("GET", `/services/${svc.id}/backups/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await t.api("GET", `/services/${svc.id}/backups/nope`)).status).toBe(400);
    // A restored service must come from an existing backup.
    expect((await t.api("POST", "/services", serviceBody({ backupId: backups[0].id }))).status).toBe(200);
    expect((await t.api("POST", "/services", serviceBody({ backupId: "00000000-0000-4000-8000-000000000000" }))).status).toBe(400);
});

test("ClickPipes: 424 unless running, Provisioning → Running, scaling, stop/start, patch, delete, validation", async () => {
    const svc = await running({ name: "pipes" });
    const base = `/services/${svc.id}/clickpipes`;
    // Two sources, none, unmapped column, unknown mapping, bad scaling, empty scaling.
    const two = kafkaPipeBody({
        source: {
            ...kafkaPipeBody().source,
            kinesis: {
                format: "JSONEachRow",
                streamName: "s",
                region: "us-east-1",
                iteratorType: "LATEST",
                authentication: "IAM_ROLE",
                iamRole: "arn:aws:iam::1:role/r",
            },
        },
    });
    expect((await t.api("POST", base, two)).body.error).toBe(
        "BAD_REQUEST: request body.source: Exactly one source must be set, found 2 (kafka, kinesis)",
    );
    expect((await t.api("POST", base, kafkaPipeBody({ source: {} }))).body.error).toBe(
        "BAD_REQUEST: request body.source: Exactly one source must be set, found 0",
    );
    expect((await t.api("POST", base, kafkaPipeBody({ fieldMappings: [{ sourceField: "id", destinationField: "id" }] }))).body.error).toBe(
        "BAD_REQUEST: request body.fieldMappings: All destination columns must be mapped, missing: body",
    );
    expect((await t.api("POST", base, kafkaPipeBody({ scaling: { replicas: 41 } }))).body.error).toBe(
        "BAD_REQUEST: request body.scaling.replicas: The value must be less than or equal to 40 <number:41>",
    );
    expect((await t.api("POST", base, kafkaPipeBody({ scaling: {} }))).status).toBe(400);

    const created = await t.api("POST", base, kafkaPipeBody({ scaling: { replicas: 2 } }));
    expect(created.status).toBe(200);
    const pipe = created.body.result;
    expect(pipe.state).toBe("Provisioning");
    expect(JSON.stringify(pipe)).not.toContain("kafka-secret-pw");
    expect(pipe.source.kafka.credentials).toBeUndefined();
    const p = `${base}/${pipe.id}`;
    const waitPipe = async (state: string) => {
        for (let i = 0; i < 200; i++) {
            const r = await t.api("GET", p);
            if (r.body.result?.state === state) return r.body.result;
            await new Promise((res) => setTimeout(res, 20));
        }
        throw new Error(`pipe did not reach ${state}`);
    };
    await waitPipe("Running");
    expect((await t.api("GET", base)).body.result.map((x: any) => x.id)).toEqual([pipe.id]);
    const scaled = await t.api("PATCH", `${p}/scaling`, { replicas: 3, replicaCpuMillicores: 500, replicaMemoryGb: 2 });
    expect(scaled.body.result.scaling).toMatchObject({ replicas: 3, replicaCpuMillicores: 500, replicaMemoryGb: 2 });
    expect((await t.api("GET", p)).body.result.scaling).toMatchObject({ replicas: 3, replicaCpuMillicores: 500, replicaMemoryGb: 2 });
    expect((await t.api("PATCH", `${p}/scaling`, { replicaCpuMillicores: 100 })).status).toBe(400);
    const startRunning = await t.api("PATCH", `${p}/state`, { command: "start" });
    expect(startRunning.body.error).toBe(
        "BAD_REQUEST: ClickPipe can be started only in the Stopped or Failed state. Current state: Running",
    );
    expect((await t.api("PATCH", `${p}/state`, { command: "resync" })).status).toBe(400);
    expect((await t.api("PATCH", `${p}/state`, { command: "stop" })).body.result.state).toBe("Stopping");
    await waitPipe("Stopped");
    expect((await t.api("PATCH", `${p}/state`, { command: "start" })).status).toBe(200);
    await waitPipe("Running");
    const patched = await t.api("PATCH", p, {
        name: "events-2",
        destination: {
            columns: [
                { name: "id", type: "UInt64" },
                { name: "body", type: "String" },
                { name: "ts", type: "DateTime" },
            ],
        },
        fieldMappings: [
            { sourceField: "id", destinationField: "id" },
            { sourceField: "body", destinationField: "body" },
            { sourceField: "ts", destinationField: "ts" },
        ],
        source: { kafka: { authentication: "SCRAM-SHA-256", credentials: { username: "u2", password: "rotated-secret" } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.result).toMatchObject({ name: "events-2", source: { kafka: { authentication: "SCRAM-SHA-256" } } });
    expect(patched.text).not.toContain("rotated-secret");
    const unmapped = await t.api("PATCH", p, {
        destination: {
            columns: [
                { name: "id", type: "UInt64" },
                { name: "extra", type: "String" },
            ],
        },
    });
    expect(unmapped.status).toBe(400);

    // Idle service: 424 FAILED_DEPENDENCY with the real message, for create and update.
    await t.emu.control.setState("service", svc.id, "idle");
    const idle = await t.api("POST", base, kafkaPipeBody());
    expect(idle.status).toBe(424);
    expect(idle.body.error).toBe(
        "FAILED_DEPENDENCY: ClickPipe creation is allowed only when the ClickHouse service is running. Current state: idle",
    );
    expect((await t.api("PATCH", p, { name: "x" })).status).toBe(424);
    await t.api("PATCH", `/services/${svc.id}/state`, { command: "awake" });
    await t.waitService(svc.id, "running");

    expect((await t.api("GET", `${base}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await t.api("GET", `${base}/nope`)).status).toBe(400);
    expect((await t.api("DELETE", p)).status).toBe(200);
    for (let i = 0; i < 100 && (await t.api("GET", p)).status !== 404; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await t.api("GET", p)).status).toBe(404);

    const pg = await t.api("POST", base, {
        name: "pg",
        source: {
            postgres: {
                host: "db.example.com",
                port: 5432,
                database: "app",
                credentials: { username: "u", password: "pg-secret" },
                settings: { replicationMode: "cdc" },
                tableMappings: [{ sourceSchemaName: "public", sourceTable: "t", targetTable: "t" }],
            },
        },
        destination: { database: "default" },
    });
    expect(pg.status).toBe(200);
    expect(pg.text).not.toContain("pg-secret");

    const columns = {
        destination: { database: "default", table: "t", managedTable: true, columns: [{ name: "c", type: "String" }] },
        fieldMappings: [{ sourceField: "c", destinationField: "c" }],
    };
    const s3 = await t.api("POST", base, {
        name: "s3",
        ...columns,
        source: {
            objectStorage: {
                type: "s3",
                format: "Parquet",
                url: "https://bucket.s3.amazonaws.com/data/*.parquet",
                isContinuous: true,
                authentication: "IAM_USER",
                accessKey: { accessKeyId: "AKIAEXAMPLE", secretKey: "s3-secret-key" },
            },
        },
        settings: { object_storage_concurrency: 4 },
    });
    expect(s3.status).toBe(200);
    expect(s3.text).not.toContain("s3-secret-key");
    expect(s3.body.result.source.objectStorage.accessKey).toBeUndefined();
    expect(s3.body.result.settings).toEqual({ object_storage_concurrency: 4 });
    const kinesis = await t.api("POST", base, {
        name: "kinesis",
        ...columns,
        source: {
            kinesis: {
                format: "JSONEachRow",
                streamName: "s",
                region: "us-east-1",
                iteratorType: "TRIM_HORIZON",
                authentication: "IAM_ROLE",
                iamRole: "arn:aws:iam::123456789012:role/r",
            },
        },
    });
    expect(kinesis.status).toBe(200);
    expect(
        (
            await t.api("POST", base, {
                name: "bad",
                ...columns,
                source: {
                    kinesis: {
                        format: "JSONEachRow",
                        streamName: "s",
                        region: "us-east-1",
                        iteratorType: "TRIM_HORIZON",
                        authentication: "IAM_USER",
                    },
                },
            })
        ).body.error,
    ).toBe("BAD_REQUEST: request body.source.kinesis.accessKey: The field is required for IAM_USER authentication");
    expect(
        (
            await t.api("POST", base, {
                name: "bad",
                ...columns,
                settings: { streaming_max_insert_wait_ms: 100 },
                source: s3.body.result.source,
            })
        ).status,
    ).toBe(400);
    expect((await t.api("GET", base)).body.result.map((x: any) => x.name)).toEqual(expect.arrayContaining(["pg", "s3", "kinesis"]));
});

test("rate limit answers 429 with X-RateLimit-Reset and Retry-After", async () => {
    await t.emu.control.setRateLimit({ requests: 2, windowSeconds: 30 });
    try {
        await t.api("GET", "/services");
        await t.api("GET", "/services");
        const limited = await t.api("GET", "/services");
        expect(limited.status).toBe(429);
        expect(limited.body.error).toMatch(/^TOO_MANY_REQUESTS/);
        expect(Number(limited.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
        expect(limited.headers.get("retry-after")).toBe(limited.headers.get("x-ratelimit-reset"));
    } finally {
        await t.emu.control.setRateLimit(false);
    }
});

/** Every service-scoped endpoint: [method, suffix, body]. */
const serviceEndpoints: [string, string, unknown][] = [
    ["GET", "", undefined],
    ["PATCH", "", { name: "x" }],
    ["DELETE", "", undefined],
    ["PATCH", "/state", { command: "stop" }],
    ["PATCH", "/scaling", { idleScaling: true }],
    ["PATCH", "/replicaScaling", { numReplicas: 2 }],
    ["PATCH", "/password", {}],
    ["GET", "/privateEndpointConfig", undefined],
    ["POST", "/privateEndpoint", { id: "vpce-0123456789abcdef0" }],
    ["GET", "/serviceQueryEndpoint", undefined],
    ["POST", "/serviceQueryEndpoint", {}],
    ["DELETE", "/serviceQueryEndpoint", undefined],
    ["GET", "/prometheus", undefined],
    ["GET", "/backups", undefined],
    ["GET", "/backups/00000000-0000-4000-8000-000000000001", undefined],
    ["GET", "/backupConfiguration", undefined],
    ["PATCH", "/backupConfiguration", { backupRetentionPeriodInHours: 48 }],
    ["GET", "/clickpipes", undefined],
    ["POST", "/clickpipes", kafkaPipeBody()],
    ["GET", "/clickpipes/00000000-0000-4000-8000-000000000002", undefined],
    ["PATCH", "/clickpipes/00000000-0000-4000-8000-000000000002", { name: "x" }],
    ["DELETE", "/clickpipes/00000000-0000-4000-8000-000000000002", undefined],
    ["PATCH", "/clickpipes/00000000-0000-4000-8000-000000000002/scaling", { replicas: 2 }],
    ["PATCH", "/clickpipes/00000000-0000-4000-8000-000000000002/state", { command: "stop" }],
];

test.each(serviceEndpoints)("%s /services/{id}%s: 404 for an unknown service, 400 for a malformed id", async (method, suffix, body) => {
    const unknown = await t.api(method, `/services/00000000-0000-4000-8000-00000000dead${suffix}`, body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe("NOT_FOUND: Service with id 00000000-0000-4000-8000-00000000dead not found");
    const malformed = await t.api(method, `/services/svc-1${suffix}`, body);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe("BAD_REQUEST: request path.serviceId: The value must be a valid UUID <string:svc-1>");
});

test("unknown ClickPipes of a known service get 404 on every pipe endpoint", async () => {
    const svc = await running({ name: "no-pipes" });
    for (const [method, suffix, body] of serviceEndpoints.filter(([, s]) => s.startsWith("/clickpipes/"))) {
        const r = await t.api(method, `/services/${svc.id}${suffix}`, body);
        expect({ method, suffix, status: r.status, error: r.body.error }).toEqual({
            method,
            suffix,
            status: 404,
            error: "NOT_FOUND: ClickPipe with id 00000000-0000-4000-8000-000000000002 not found",
        });
    }
    expect((await t.api("GET", "/prometheus?filtered_metrics=maybe")).status).toBe(400);
});

test("unknown routes and methods use the error envelope", async () => {
    expect((await t.api("GET", "/nothing-here")).status).toBe(404);
    expect((await t.api("PUT", "/services")).status).toBe(405);
});

test("every response conformed to the OpenAPI document and every accepted body is one the spec allows", () => {
    expect(t.conformance.failures).toEqual([]);
    expect(t.requestFailures).toEqual([]);
    expect(t.conformance.covered.size).toBeGreaterThanOrEqual(50);
});
