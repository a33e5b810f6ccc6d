/**
 * The read-only functions shape their requests as the API documents (paths, tag filter,
 * `filtered_metrics`) and take credentials from `opts.config`, else the stack config or the
 * environment. A local HTTP stub records requests; no emulator is involved.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { resetClients } from "../../provider/api/client";
import * as pulumi from "@pulumi/pulumi";
import {
    FunctionConfig,
    getBackup,
    getBackupConfiguration,
    getPrivateEndpointConfig,
    getPrometheusMetrics,
    getService,
    listBackups,
    listServices,
} from "../../provider/functions";
import {
    getBackupConfigurationOutput,
    getBackupOutput,
    getPrivateEndpointConfigOutput,
    getPrometheusMetricsOutput,
    getServiceOutput,
    listBackupsOutput,
    listServicesOutput,
} from "../../provider/functionOutputs";

const ORG = "7c0f5e1a-4d1b-4c8e-9a55-000000000001";
const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const seen: { method: string; url: string; auth?: string }[] = [];
let server: http.Server;
let config: FunctionConfig;
const savedEnv = { ...process.env };

beforeAll(async () => {
    process.env.CLICKHOUSE_RATE_LIMIT = "off";
    server = http.createServer((req, res) => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
        if (req.url!.includes("/prometheus")) {
            res.writeHead(200, { "content-type": "text/plain" });
            res.end("# HELP x\nx 1\n");
            return;
        }
        const missing = req.url!.includes("/backups/missing");
        res.writeHead(missing ? 404 : 200, { "content-type": "application/json" });
        res.end(
            JSON.stringify(
                missing
                    ? { status: 404, error: "NOT_FOUND: Backup not found", requestId: "r" }
                    : {
                          status: 200,
                          requestId: "r",
                          result:
                              req.url!.endsWith("/backups") || req.url!.includes("/services?") || req.url!.endsWith("/services")
                                  ? [{ id: SVC }]
                                  : { id: SVC },
                      },
            ),
        );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    config = {
        apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        organizationId: ORG,
        tokenKey: "key1",
        tokenSecret: "secret1",
    };
});
afterAll(async () => {
    process.env = savedEnv;
    resetClients();
    await new Promise((r) => server.close(r));
});
beforeEach(() => (seen.length = 0));

const base = `/v1/organizations/${ORG}`;

describe("request shaping", () => {
    it.each<[string, () => Promise<unknown>, string]>([
        ["getService", () => getService(SVC, { config }), `${base}/services/${SVC}`],
        ["listServices", () => listServices(undefined, { config }), `${base}/services`],
        [
            "listServices by tag",
            () => listServices({ tag: { key: "env", value: "prod" } }, { config }),
            `${base}/services?filter=${encodeURIComponent("tag:env=prod")}`,
        ],
        [
            "listServices by tag key only",
            () => listServices({ tag: { key: "team" } }, { config }),
            `${base}/services?filter=${encodeURIComponent("tag:team")}`,
        ],
        ["listBackups", () => listBackups(SVC, { config }), `${base}/services/${SVC}/backups`],
        ["getBackup", () => getBackup(SVC, "b1", { config }), `${base}/services/${SVC}/backups/b1`],
        ["getBackupConfiguration", () => getBackupConfiguration(SVC, { config }), `${base}/services/${SVC}/backupConfiguration`],
        ["getPrivateEndpointConfig", () => getPrivateEndpointConfig(SVC, { config }), `${base}/services/${SVC}/privateEndpointConfig`],
        ["org metrics", () => getPrometheusMetrics(undefined, { config }), `${base}/prometheus`],
        [
            "service metrics, filtered",
            () => getPrometheusMetrics({ serviceId: SVC, filteredMetrics: true }, { config }),
            `${base}/services/${SVC}/prometheus?filtered_metrics=true`,
        ],
    ])("%s", async (_name, call, url) => {
        await call();
        expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET ${url}`]);
        expect(seen[0].auth).toBe(`Basic ${Buffer.from("key1:secret1").toString("base64")}`);
    });

    it("lists come back as arrays, metrics as text", async () => {
        expect(await listServices(undefined, { config })).toEqual([{ id: SVC }]);
        expect(await getPrometheusMetrics({}, { config })).toContain("x 1");
    });

    it("a missing backup rejects with the API's 404", async () => {
        await expect(getBackup(SVC, "missing", { config })).rejects.toMatchObject({
            status: 404,
            message: expect.stringContaining("Backup not found"),
        });
    });
});

/** The value of an Output, in a unit test (no engine: the Output is known). */
function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("…Output forms", () => {
    it.each<[string, () => pulumi.Output<unknown>, string]>([
        ["getServiceOutput", () => getServiceOutput(pulumi.output(SVC), { config }), `${base}/services/${SVC}`],
        [
            "listServicesOutput",
            () => listServicesOutput(pulumi.output({ tag: { key: "env", value: "prod" } }), { config }),
            `${base}/services?filter=${encodeURIComponent("tag:env=prod")}`,
        ],
        ["listBackupsOutput", () => listBackupsOutput(pulumi.output(SVC), { config }), `${base}/services/${SVC}/backups`],
        ["getBackupOutput", () => getBackupOutput(pulumi.output(SVC), "b1", { config }), `${base}/services/${SVC}/backups/b1`],
        [
            "getBackupConfigurationOutput",
            () => getBackupConfigurationOutput(SVC, { config }),
            `${base}/services/${SVC}/backupConfiguration`,
        ],
        [
            "getPrivateEndpointConfigOutput",
            () => getPrivateEndpointConfigOutput(pulumi.output(SVC), { config }),
            `${base}/services/${SVC}/privateEndpointConfig`,
        ],
        [
            "getPrometheusMetricsOutput",
            () => getPrometheusMetricsOutput({ serviceId: pulumi.output(SVC), filteredMetrics: true }, { config }),
            `${base}/services/${SVC}/prometheus?filtered_metrics=true`,
        ],
    ])("%s takes Inputs and makes the same request", async (_name, call, url) => {
        const value = await valueOf(call());
        expect(value).toBeDefined();
        expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET ${url}`]);
    });

    it("a secret argument gives a secret result", async () => {
        const out = getServiceOutput(pulumi.secret(SVC), { config });
        expect(await (out as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
    });
});

describe("explicit config", () => {
    it("is checked like the stack configuration, with the same names", async () => {
        await expect(getService(SVC, { config: { ...config, organizationId: "not-a-uuid" } })).rejects.toThrow(
            /organization id "not-a-uuid" is not a UUID/,
        );
        await expect(getService(SVC, { config: { ...config, apiUrl: "http://example.com" } })).rejects.toThrow(/non-loopback/);
        expect(seen).toEqual([]);
    });
});

describe("credentials", () => {
    it("come from the environment when no config is given", async () => {
        process.env.CLICKHOUSE_API_URL = config.apiUrl;
        process.env.CLICKHOUSE_ORG_ID = ORG;
        process.env.CLICKHOUSE_TOKEN_KEY = "envkey";
        process.env.CLICKHOUSE_TOKEN_SECRET = "envsecret";
        await getService(SVC);
        expect(seen[0].auth).toBe(`Basic ${Buffer.from("envkey:envsecret").toString("base64")}`);
    });

    it("missing everywhere: one error naming what to set", async () => {
        for (const k of [
            "CLICKHOUSE_ORG_ID",
            "CLICKHOUSE_TOKEN_KEY",
            "CLICKHOUSE_TOKEN_SECRET",
            "CLICKHOUSE_CLOUD_API_KEY",
            "CLICKHOUSE_CLOUD_API_SECRET",
        ])
            delete process.env[k];
        await expect(getService(SVC)).rejects.toThrow(/clickhouse:organizationId[\s\S]*CLICKHOUSE_TOKEN_KEY/);
        expect(seen).toEqual([]);
    });
});
