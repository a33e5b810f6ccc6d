/**
 * The plugin face's provider methods, called directly (as the SDK's provider server calls them)
 * against the in-process emulator: the configuration from the engine's variables, a Service's
 * check, create, read, diff and delete through the shared handlers, and secrets on the wire.
 */
process.env.CLICKHOUSE_POLL_MIN_MS = "50";
process.env.CLICKHOUSE_POLL_MAX_MS = "250";
process.env.CLICKHOUSE_RATE_LIMIT = "off";
// Set before the imports below load the journal; hence require(), not import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
process.env.CLICKHOUSE_ATTEMPTS_DIR = require("fs").mkdtempSync(require("path").join(require("os").tmpdir(), "ch-attempts-"));

import { RunningEmulator, startEmulator } from "../../emulator";
import { resetClients } from "../../provider/api/client";
import { currentConfig, setStackConfig } from "../../provider/config";
import {
    checkProviderConfig,
    ClickHouseCloudProvider,
    configure,
    diffProviderConfig,
    kindOf,
    parseUrn,
    secretFailure,
} from "../../provider/plugin/provider";
import { ResourceInitError } from "../../provider/resources/partialFailure";
import { isSecret, secret } from "../../provider/plugin/secrets";
import { resetRunState } from "../../provider/runState";

const FAST = { provisioning: 0.3, starting: 0.3, stopping: 0.3, awaking: 0.3, terminating: 0.3 };
const URN = "urn:pulumi:dev::proj::clickhouse-cloud:index:Service::warehouse";

let emu: RunningEmulator;
const provider = new ClickHouseCloudProvider("0.1.0");

beforeAll(async () => {
    emu = await startEmulator({ durations: FAST, rateLimit: false, quiet: true });
    resetClients();
    // As the engine sends them to Configure: `<package>:config:<key>`, secrets decrypted.
    configure({
        "clickhouse-cloud:config:apiUrl": emu.url,
        "clickhouse-cloud:config:organizationId": emu.organizationId,
        "clickhouse-cloud:config:tokenKey": emu.keyId,
        "clickhouse-cloud:config:tokenSecret": emu.keySecret,
    });
});

afterAll(async () => {
    setStackConfig(undefined);
    resetClients();
    await emu?.stop();
});

beforeEach(() => resetRunState());

it("maps the engine's configuration to the provider's settings", () => {
    expect(currentConfig()).toMatchObject({ apiUrl: emu.url.replace(/\/+$/, ""), organizationId: emu.organizationId, keyId: emu.keyId });
});

it("finds the kind from the URN, and refuses a type it does not serve", () => {
    expect(parseUrn(URN)).toEqual({ stack: "dev", project: "proj", type: "clickhouse-cloud:index:Service", name: "warehouse" });
    expect(kindOf("urn:pulumi:dev::proj::my:component$clickhouse-cloud:index:ClickPipe::p")).toBe("ClickPipe");
    expect(() => kindOf("urn:pulumi:dev::proj::clickhouse:index:Service::x")).toThrow(/unknown resource type "clickhouse:index:Service"/);
});

it("wraps the secrets of a partial failure's properties, which the server records as they are", () => {
    const failure = secretFailure(
        "clickhouse-cloud:index:Service",
        new ResourceInitError("id-1", { name: "a", password: "p" }, ["timed out"]),
    );
    expect(failure).toBeInstanceOf(ResourceInitError);
    expect((failure as ResourceInitError).properties).toEqual({ name: "a", password: secret("p") });
    expect([(failure as ResourceInitError).id, (failure as ResourceInitError).message]).toEqual(["id-1", "timed out"]);
    const other = new Error("refused");
    expect(secretFailure("clickhouse-cloud:index:Service", other)).toBe(other);
});

it("serves its schema", async () => {
    const schema = JSON.parse(await provider.getSchema());
    expect(schema.name).toBe("clickhouse-cloud");
    expect(Object.keys(schema.resources)).toContain("clickhouse-cloud:index:Service");
});

it("creates, reads, diffs and deletes a Service through the shared handlers", async () => {
    const news = { name: "warehouse", provider: "aws", region: "eu-central-1", password: secret("S3cret-pass-1") };
    const checked = await provider.check(URN, {}, news);
    expect(checked.failures).toEqual([]);
    // The secret input stays secret; the creation mark comes from the URN.
    expect(isSecret(checked.inputs.password)).toBe(true);
    expect(checked.inputs.__creation).toBe("proj/dev/warehouse");

    const created = await provider.create(URN, checked.inputs);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.outs.state).toBe("running");
    expect(created.outs.password).toEqual(secret("S3cret-pass-1"));
    expect((await emu.control.objects()).services.map((s: { id: string }) => s.id)).toContain(created.id);

    const read = await provider.read(created.id, URN, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props.name).toBe("warehouse");
    expect(isSecret(read.props.password)).toBe(true);

    expect(await provider.diff(created.id, URN, read.props, checked.inputs)).toMatchObject({ changes: false });
    const moved = await provider.diff(
        created.id,
        URN,
        read.props,
        (await provider.check(URN, {}, { ...news, region: "eu-west-1" })).inputs,
    );
    expect(moved).toMatchObject({ changes: true, replaces: ["region"] });

    // A later run (the run-state guard skips deleting what a create of the same run returned).
    resetRunState();
    await provider.delete(created.id, URN, read.props);
    expect((await emu.control.objects()).services).toEqual([]);
    const gone = await provider.read(created.id, URN, read.props);
    expect(gone.id).toBe("");
}, 60_000);

describe("the stack's ownership id, kept in the provider's inputs (CheckConfig)", () => {
    const config = () => ({ apiUrl: emu.url, organizationId: emu.organizationId, tokenKey: emu.keyId, tokenSecret: secret(emu.keySecret) });

    it("is drawn for a new provider, kept from the state afterwards, and never taken from the configuration", () => {
        const first = checkProviderConfig({}, config());
        expect(first.__owner).toMatch(/^[0-9a-f]{16}$/);
        // Everything else as given, the secret still wrapped.
        expect({ ...first, __owner: undefined }).toEqual({ ...config(), __owner: undefined });
        expect(checkProviderConfig(first, config()).__owner).toBe(first.__owner);
        // Another stack (no state) gets another id; an id written into the configuration is ignored.
        expect(checkProviderConfig(undefined, config()).__owner).not.toBe(first.__owner);
        expect(checkProviderConfig({}, { ...config(), __owner: "0123456789abcdef" }).__owner).not.toBe("0123456789abcdef");
        // An invalid id in the state is not kept.
        expect(checkProviderConfig({ __owner: "x" }, config()).__owner).toMatch(/^[0-9a-f]{16}$/);
    });

    it("a configuration change is an update of the provider, never a replacement", () => {
        const olds = checkProviderConfig({}, config());
        expect(diffProviderConfig(olds, checkProviderConfig(olds, config()))).toEqual([]);
        expect(diffProviderConfig(olds, checkProviderConfig(olds, { ...config(), apiUrl: "http://127.0.0.1:1" }))).toEqual(["apiUrl"]);
        // A stack deployed before the id: its provider gains it once.
        expect(diffProviderConfig(config(), checkProviderConfig(config(), config()))).toEqual(["__owner"]);
    });

    it("Service and ClickPipe checks carry it into the creation tag, other kinds do not, and no diff shows it", async () => {
        const inputs = checkProviderConfig({}, config());
        configure({}, inputs);
        try {
            expect(currentConfig()).toMatchObject({ apiUrl: emu.url.replace(/\/+$/, ""), keyId: emu.keyId });
            const svc = await provider.check(URN, {}, { name: "w", provider: "aws", region: "eu-central-1" });
            expect(svc.inputs.__owner).toBe(inputs.__owner);
            const scaling = await provider.check(
                "urn:pulumi:dev::proj::clickhouse-cloud:index:ServiceScaling::s",
                {},
                { serviceId: "5d1ec2b4-62c6-4b3e-9f3c-2a7d3c9e8f10", minReplicaMemoryGb: 8 },
            );
            expect(scaling.inputs.__owner).toBeUndefined();
            // A state recorded before the id (no __owner) shows no diff: the id is a hidden input.
            const { __owner, ...before } = svc.inputs;
            expect(__owner).toBeDefined();
            expect(await provider.diff("id-1", URN, before, svc.inputs)).toMatchObject({ changes: false });

            const created = await provider.create(URN, svc.inputs);
            const tag = (await emu.control.objects()).services
                .find((x: { id: string }) => x.id === created.id)
                ?.tags?.find((t: { key: string }) => t.key === "pulumi-creation");
            expect(tag?.value).toMatch(new RegExp(`^proj\\.dev\\.warehouse\\.o-${inputs.__owner}\\.a-[0-9a-f]{12}$`));
            resetRunState();
            await provider.delete(created.id, URN, created.outs);
        } finally {
            configure({
                "clickhouse-cloud:config:apiUrl": emu.url,
                "clickhouse-cloud:config:organizationId": emu.organizationId,
                "clickhouse-cloud:config:tokenKey": emu.keyId,
                "clickhouse-cloud:config:tokenSecret": emu.keySecret,
            });
        }
    }, 60_000);
});
