/**
 * Every operation of the OpenAPI document answers (issue 12, finding 2): each of the document's
 * operations is called once, in an order that creates what later calls need, with a body the
 * document accepts, and must answer 2xx; every answer is validated against the document by the
 * helper (ajv, JSON Schema 2020-12). The count is printed at the end.
 */
import * as fs from "fs";
import { startTestEmulator, serviceBody, kafkaPipeBody, SPEC_PATH } from "./helpers";
import { openApi, pointer } from "../../emulator/openapi";
import { synthesize } from "../../emulator/shape";

const spec = JSON.parse(fs.readFileSync(SPEC_PATH, "utf8"));
const METHODS = ["post", "put", "get", "patch", "delete"];
const ops: { method: string; template: string }[] = [];
for (const [template, item] of Object.entries<Record<string, unknown>>(spec.paths))
    for (const method of Object.keys(item)) if (METHODS.includes(method)) ops.push({ method, template });

const ORG = "/v1/organizations/{organizationId}";
const depth = (t: string) => t.split("/").length;
/** Creates before reads before changes; deletes last, deepest first. */
const ordered = [
    ...ops
        .filter((o) => o.method !== "delete")
        .sort((a, b) => depth(a.template) - depth(b.template) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method)),
    ...ops.filter((o) => o.method === "delete").sort((a, b) => depth(b.template) - depth(a.template)),
];

/** Bodies for the operations whose real behaviour needs particular values (the others get a body synthesized from their schema). */
const BODIES: Record<string, unknown> = {
    [`post ${ORG}/services`]: serviceBody({ name: "every-op" }),
    [`patch ${ORG}/services/{serviceId}`]: { name: "every-op-renamed" },
    [`patch ${ORG}/services/{serviceId}/state`]: { command: "awake" },
    [`patch ${ORG}/services/{serviceId}/scaling`]: { idleScaling: true },
    [`patch ${ORG}/services/{serviceId}/replicaScaling`]: { numReplicas: 3 },
    [`patch ${ORG}/services/{serviceId}/password`]: {},
    [`post ${ORG}/services/{serviceId}/privateEndpoint`]: { id: "vpce-0123456789abcdef0" },
    [`post ${ORG}/services/{serviceId}/serviceQueryEndpoint`]: { roles: ["sql_console_read_only"] },
    [`patch ${ORG}/services/{serviceId}/backupConfiguration`]: { backupRetentionPeriodInHours: 48 },
    [`post ${ORG}/services/{serviceId}/clickpipes`]: kafkaPipeBody({ name: "every-op-pipe" }),
    [`patch ${ORG}/services/{serviceId}/clickpipes/{clickPipeId}`]: { name: "every-op-pipe-renamed" },
    [`patch ${ORG}/services/{serviceId}/clickpipes/{clickPipeId}/scaling`]: { replicas: 2 },
    [`patch ${ORG}/services/{serviceId}/clickpipes/{clickPipeId}/state`]: { command: "stop" },
    [`patch ${ORG}/services/{serviceId}/clickpipesCdcScaling`]: { replicaCpuMillicores: 4000, replicaMemoryGb: 16 },
    [`post ${ORG}/services/{serviceId}/scalingSchedule`]: {
        entries: [
            {
                name: "business hours",
                weekdays: [1, 2, 3, 4, 5],
                startHourUtc: 9,
                endHourUtc: 17,
                minReplicaMemoryGb: 16,
                maxReplicaMemoryGb: 32,
            },
        ],
    },
    [`put ${ORG}/services/{serviceId}/upgradeWindow`]: { weekday: 3, startHourUtc: 12 },
    [`patch ${ORG}/services/{serviceId}/clickhouseSettings`]: { settings: JSON.stringify({ compatibility: "24.8" }) },
    [`patch ${ORG}`]: { name: "Renamed organization" },
};

/** Required query parameters, from their schemas. */
function query(method: string, template: string): string {
    const params = (spec.paths[template][method].parameters ?? []).filter((p: any) => p.in === "query" && p.required);
    const value = (p: any) => {
        if (p.name === "cloud_provider") return "aws";
        if (p.name === "region_id") return "us-east-2";
        if (p.schema?.format === "date") return "2026-01-01";
        if (p.schema?.format === "date-time") return "2026-01-01T00:00:00Z";
        return "x";
    };
    return params.length ? "?" + params.map((p: any) => `${p.name}=${encodeURIComponent(value(p))}`).join("&") : "";
}

/** The id an answer names for the child `{param}` of a collection. */
function idIn(obj: any, param: string): string | undefined {
    if (!obj || typeof obj !== "object") return undefined;
    // A created key is answered as {key, keyId, keySecret}: its id is key.id (keyId is the credential's name).
    const candidates = param === "keyId" ? [obj.key?.id, obj.id] : [obj[param], param === "settingName" ? obj.name : undefined, obj.id];
    const found = candidates.find((c) => typeof c === "string" || typeof c === "number");
    return found === undefined ? undefined : String(found);
}

/** Operations that still lack the behaviour a client needs (removed as each gets its handler). */
const PENDING = new Set<string>([]);

let t: Awaited<ReturnType<typeof startTestEmulator>>;
const D = 0.05;
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
afterAll(() => t.emu.stop());

test(`every operation of the OpenAPI document answers 2xx with a spec-valid answer (${ops.length} operations)`, async () => {
    const ids: Record<string, string> = { organizationId: t.emu.organizationId };
    // What the operations hang on: a running primary service with a pipe of each kind (a database pipe makes the CDC endpoints available).
    const svc = (await t.api("POST", "/services", serviceBody({ name: "anchor" }))).body.result.service;
    await t.waitService(svc.id, "running");
    ids.serviceId = svc.id;
    ids.clickPipeId = (await t.api("POST", `/services/${svc.id}/clickpipes`, kafkaPipeBody())).body.result.id;
    const pg = await t.api("POST", `/services/${svc.id}/clickpipes`, {
        name: "cdc",
        source: {
            postgres: {
                host: "db.example.com",
                port: 5432,
                database: "app",
                credentials: { username: "u", password: "p" },
                tableMappings: [{ sourceSchemaName: "public", sourceTable: "t", targetTable: "t" }],
            },
        },
        destination: { database: "default" },
    });
    expect(pg.status).toBe(200);
    ids.backupId = (await t.api("GET", `/services/${svc.id}/backups`)).body.result[0]?.id;
    // The service deleted last is stopped first, as the API requires.
    const doomed = (await t.api("POST", "/services", serviceBody({ name: "doomed" }))).body.result.service;
    await t.waitService(doomed.id, "running");
    await t.api("PATCH", `/services/${doomed.id}/state`, { command: "stop" });
    await t.waitService(doomed.id, "stopped");

    const doc = openApi()!;
    const failures: string[] = [];
    const answered = new Set<string>();
    for (const { method, template } of ordered) {
        const key = `${method} ${template}`;
        if (PENDING.has(key)) continue;
        let missing: string | undefined;
        const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
            const id = template === `${ORG}/services/{serviceId}` && method === "delete" && name === "serviceId" ? doomed.id : ids[name];
            if (id === undefined) missing = name;
            return encodeURIComponent(id ?? "none");
        });
        if (missing) {
            failures.push(`${key}: no ${missing} to call it with`);
            continue;
        }
        const op = spec.paths[template][method];
        const bodyPtr = op.requestBody?.content?.["application/json"]
            ? pointer("paths", template, method, "requestBody", "content", "application/json", "schema")
            : undefined;
        const body =
            key in BODIES
                ? BODIES[key]
                : bodyPtr
                  ? synthesize({ doc, now: Date.now() }, bodyPtr)
                  : method === "get" || method === "delete"
                    ? undefined
                    : {};
        const r = await t.api(method.toUpperCase(), path + query(method, template), body);
        if (r.status >= 300) {
            failures.push(`${key} -> ${r.status} ${r.body?.error ?? r.text.slice(0, 200)}`);
            continue;
        }
        answered.add(key);
        if (key === `patch ${ORG}/services/{serviceId}/clickhouseSettings`) ids.settingName = "compatibility"; // set by its body
        // Collect the ids later calls need: from a create, a PUT on an item, or the first item of a list.
        const child = Object.keys(spec.paths).find((p) => p.startsWith(template + "/{") && depth(p) === depth(template) + 1);
        const param = child?.slice(template.length + 2, -1);
        const result = r.body?.result;
        if (param && ids[param] === undefined) {
            const first = Array.isArray(result)
                ? result[0]
                : Array.isArray(result?.items)
                  ? result.items[0]
                  : method !== "get"
                    ? result
                    : Array.isArray(result?.settings)
                      ? result.settings[0]
                      : undefined;
            const id = idIn(first, param);
            if (id !== undefined) ids[param] = id;
        }
    }
    console.log(
        `operations answered 2xx: ${answered.size} of ${ops.length} (the document has ${ops.length} operations on ${Object.keys(spec.paths).length} paths)`,
    );
    expect(failures).toEqual([]);
    expect(answered.size).toBe(ops.length - PENDING.size);
    expect(t.conformance.failures).toEqual([]);
    expect(t.requestFailures).toEqual([]);
});

test("no documented path answers 404 'No route' or 405, whatever the method", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const { method, template } of ops) {
        const path = template.replace(/\{organizationId\}/, t.emu.organizationId).replace(/\{[^}]+\}/g, unknown);
        const r = await t.api(method.toUpperCase(), path, method === "get" || method === "delete" ? undefined : {});
        expect({ method, template, noRoute: /No route|is not allowed/.test(r.body?.error ?? "") }).toEqual({
            method,
            template,
            noRoute: false,
        });
    }
    expect(t.conformance.failures).toEqual([]);
});
