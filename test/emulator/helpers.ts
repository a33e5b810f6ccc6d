import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import type { ValidateFunction } from "ajv";
import { startEmulator, EmulatorOptions, RunningEmulator, ResponseRecord } from "../../emulator";

/** The OpenAPI document lives beside the repository (never copied into it). */
export const SPEC_PATH = path.resolve(__dirname, "../../../shared/reference/clickhouse-cloud-openapi.json");
const spec = JSON.parse(fs.readFileSync(SPEC_PATH, "utf8"));
relaxAmbiguousOneOf(spec);

/**
 * The spec's credential unions (e.g. Kafka `credentials: oneOf [PLAIN, MskIamUser, AzureEventHub, MutualTLS]`)
 * list object schemas with no `required` field, so any object matches every branch and a strict `oneOf`
 * refuses all of them. Such unions are read as `anyOf` (in memory only), which is what the spec means.
 */
function relaxAmbiguousOneOf(doc: any) {
    const schemas = doc.components.schemas;
    const loose = (s: any) => s.$ref && !schemas[s.$ref.split("/").pop()]?.required;
    const walk = (x: any) => {
        if (!x || typeof x !== "object") return;
        if (Array.isArray(x.oneOf) && x.oneOf.filter(loose).length > 1) {
            x.anyOf = x.oneOf;
            delete x.oneOf;
        }
        Object.values(x).forEach(walk);
    };
    walk(doc);
}

/** "Setting the properties with null value will reset the properties to their default values" (spec text), though the schema types them as non-null. */
const NULL_RESETS = new Set(["PATCH /v1/organizations/{organizationId}/services/{serviceId}/backupConfiguration"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
ajv.addFormat("uuid", UUID);
ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !isNaN(Date.parse(s)));
ajv.addFormat("hostname", /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/);
ajv.addFormat("password", true);
ajv.addFormat("boolean", /^(true|false)$/);
ajv.addSchema(spec, "openapi.json");

/**
 * No error status but 400 and 500 has a schema in the spec for these endpoints: 401, 403, 404, 405, 409,
 * 424 and 429 are checked against this minimal envelope (also applied on top of the spec's 400/500 schema).
 */
const errorEnvelope = ajv.compile({
    type: "object",
    additionalProperties: false,
    required: ["status", "error", "requestId"],
    properties: {
        status: { type: "integer" },
        error: { type: "string", pattern: "^[A-Z_]+: \\S" },
        requestId: { type: "string", format: "uuid" },
    },
});

const templates = Object.keys(spec.paths).map((t) => ({
    t,
    re: new RegExp("^" + t.replace(/\{[^}]+\}/g, "[^/]+") + "$"),
    literals: t.split("/").filter((s) => !s.startsWith("{")).length,
}));

/** Finds the spec path template of a concrete path, preferring the most literal match. */
export function templateOf(method: string, p: string): string | undefined {
    return templates.filter((x) => x.re.test(p) && spec.paths[x.t][method.toLowerCase()]).sort((a, b) => b.literals - a.literals)[0]?.t;
}

const pointer = (...parts: string[]) => parts.map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
const cache = new Map<string, ValidateFunction>();
function compiledAt(...parts: string[]): ValidateFunction {
    const ref = "openapi.json#/" + pointer(...parts);
    let v = cache.get(ref);
    if (!v) cache.set(ref, (v = ajv.compile({ $ref: ref })));
    return v;
}

export function requestSchemaValidator(method: string, template: string): ValidateFunction | undefined {
    const op = spec.paths[template]?.[method.toLowerCase()];
    if (!op?.requestBody?.content?.["application/json"]?.schema) return undefined;
    return compiledAt("paths", template, method.toLowerCase(), "requestBody", "content", "application/json", "schema");
}

/** Validates every answer the emulator sends against the spec and records the (method, path, status) covered. */
export class Conformance {
    readonly covered = new Set<string>();
    readonly failures: string[] = [];
    count = 0;

    check = (r: ResponseRecord) => {
        this.count++;
        const template = templateOf(r.method, r.path);
        const where = `${r.method} ${r.path} -> ${r.status}`;
        if (!template) {
            // Only deliberate probes of unknown routes may land here; they must still use the error envelope.
            if (r.status < 400) this.failures.push(`${where}: path not in the spec`);
            return this.envelope(r, where);
        }
        this.covered.add(`${r.method} ${template} ${r.status}`);
        const op = spec.paths[template][r.method.toLowerCase()];
        const resp = op.responses[String(r.status)];
        const textType = Object.keys(resp?.content ?? {}).find((k) => !k.startsWith("application/json"));
        if (textType && !resp.content["application/json"]) {
            // Prometheus text, PEM certificates: the media type must match (parameters such as charset aside).
            const media = (s: string) => s.split(";")[0].trim().toLowerCase();
            if (media(r.contentType) !== media(textType)) this.failures.push(`${where}: expected ${textType}, got ${r.contentType}`);
            return;
        }
        if (!resp?.content?.["application/json"]) {
            if (r.status < 400) this.failures.push(`${where}: status not in the spec`);
            return this.envelope(r, where);
        }
        if (!r.contentType.startsWith("application/json")) this.failures.push(`${where}: expected application/json, got ${r.contentType}`);
        const body = this.parse(r, where);
        if (body === undefined) return;
        const validate = compiledAt(
            "paths",
            template,
            r.method.toLowerCase(),
            "responses",
            String(r.status),
            "content",
            "application/json",
            "schema",
        );
        if (!validate(body)) this.failures.push(`${where}: ${ajv.errorsText(validate.errors)} in ${r.body.slice(0, 400)}`);
        if (r.status >= 400) this.envelope(r, where);
        else if (body.status !== r.status || !UUID.test(body.requestId)) this.failures.push(`${where}: bad success envelope`);
    };

    private parse(r: ResponseRecord, where: string): any {
        try {
            return JSON.parse(r.body);
        } catch {
            this.failures.push(`${where}: body is not JSON`);
            return undefined;
        }
    }

    private envelope(r: ResponseRecord, where: string) {
        const body = this.parse(r, where);
        if (body === undefined) return;
        if (!errorEnvelope(body)) this.failures.push(`${where}: not an error envelope: ${ajv.errorsText(errorEnvelope.errors)}`);
        else if (body.status !== r.status) this.failures.push(`${where}: envelope status ${body.status}`);
    }
}

export interface ApiResponse<T = any> {
    status: number;
    body: T;
    text: string;
    headers: Headers;
}

/** A test emulator whose every answer is checked against the spec; plus a small authenticated client. */
export async function startTestEmulator(opts: EmulatorOptions = {}) {
    const conformance = new Conformance();
    const emu: RunningEmulator = await startEmulator({ rateLimit: false, quiet: true, ...opts, onResponse: conformance.check });
    const auth = "Basic " + Buffer.from(`${emu.keyId}:${emu.keySecret}`).toString("base64");
    const org = `/v1/organizations/${emu.organizationId}`;
    const requestFailures: string[] = [];

    async function api<T = any>(
        method: string,
        p: string,
        body?: unknown,
        headers: Record<string, string> = { authorization: auth },
    ): Promise<ApiResponse<T>> {
        const full = p.startsWith("/v1") ? p : org + p;
        const res = await fetch(emu.url + full, {
            method,
            headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
            body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        });
        const text = await res.text();
        let parsed: any = text;
        try {
            parsed = JSON.parse(text);
        } catch {
            /* text/plain */
        }
        // A body the emulator accepted must be one the spec accepts.
        const template = templateOf(method, full.split("?")[0]);
        const validate = template && body !== undefined && typeof body !== "string" ? requestSchemaValidator(method, template) : undefined;
        const checked =
            template && NULL_RESETS.has(`${method} ${template}`)
                ? Object.fromEntries(Object.entries(body as object).filter(([, v]) => v !== null))
                : body;
        if (res.status < 300 && validate && !validate(checked))
            requestFailures.push(`${method} ${full}: accepted a body the spec forbids: ${ajv.errorsText(validate.errors)}`);
        return { status: res.status, body: parsed, text, headers: res.headers };
    }

    /** Waits (on real time) until a GET of the service answers the wanted state. */
    async function waitService(id: string, state: string, timeoutMs = 10000): Promise<any> {
        const until = Date.now() + timeoutMs;
        for (;;) {
            const r = await api("GET", `/services/${id}`);
            if (r.body?.result?.state === state) return r.body.result;
            if (Date.now() > until) throw new Error(`service ${id} did not reach ${state}; last: ${r.text.slice(0, 200)}`);
            await new Promise((res) => setTimeout(res, 20));
        }
    }

    return { emu, api, org, auth, conformance, requestFailures, waitService };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const serviceBody = (over: Record<string, unknown> = {}) => ({ name: "svc", provider: "aws", region: "us-east-2", ...over });

export const kafkaPipeBody = (over: Record<string, unknown> = {}) => ({
    name: "events",
    source: {
        kafka: {
            type: "confluent",
            format: "JSONEachRow",
            brokers: "broker:9092",
            topics: "events",
            authentication: "PLAIN",
            credentials: { username: "kafka-user", password: "kafka-secret-pw" },
        },
    },
    destination: {
        database: "default",
        table: "events",
        managedTable: true,
        columns: [
            { name: "id", type: "UInt64" },
            { name: "body", type: "String" },
        ],
    },
    fieldMappings: [
        { sourceField: "id", destinationField: "id" },
        { sourceField: "body", destinationField: "body" },
    ],
    ...over,
});
