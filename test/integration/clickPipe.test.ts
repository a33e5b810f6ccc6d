/**
 * ClickPipe against the emulator: lifecycle with in-place updates, scaling and start/stop;
 * an idle service woken before create (and on 424); Failed ends the wait with the pipe named
 * and the pipe kept; drift; delete waiting for 404; secrets never in the emulator's log or objects.
 */
import type { RunningEmulator } from "../../emulator";
import type { ClickPipe as ApiPipe, Service } from "../../provider/api/types";
import { ResourceInitError } from "../../provider/resources/partialFailure";
import { clickPipeHandlers as h, diffClickPipe } from "../../provider/resources/clickPipe";
import { apiClient } from "../../provider/api/current";
import { createRunningService, creation, requests, startTestEmulator } from "./satellite.helpers";

const PASSWORD = "kafka-Pa55word-never-logged";
const NEW_PASSWORD = "kafka-R0tated-never-logged";
const SECRET_KEY = "s3-secret-key-never-logged";

let emu: RunningEmulator;
let svc: Service;
beforeAll(async () => {
    emu = await startTestEmulator({ pipeProvisioning: 0.5 });
    svc = await createRunningService({ name: "ingest" });
});
afterAll(() => emu.stop());
beforeEach(() => emu.control.clearLog());

const kafkaInputs = (name = "events", password = PASSWORD) => ({
    serviceId: svc.id,
    name,
    description: "click events",
    source: {
        kafka: {
            type: "confluent",
            format: "JSONEachRow",
            brokers: "broker-1:9092",
            topics: "events",
            authentication: "PLAIN",
            credentials: { username: "ingest", password },
        },
    },
    destination: {
        database: "default",
        table: name,
        managedTable: true,
        columns: [
            { name: "id", type: "String" },
            { name: "ts", type: "DateTime" },
        ],
    },
    fieldMappings: [
        { sourceField: "id", destinationField: "id" },
        { sourceField: "time", destinationField: "ts" },
    ],
    ...creation(name),
});
const pipePath = (id: string) => `/services/${svc.id}/clickpipes/${id}`;

/** Everything the emulator could expose: request log (paths, no bodies) and its objects. */
async function exposed(): Promise<string> {
    return JSON.stringify([await emu.control.log(), await emu.control.objects()]);
}

describe("ClickPipe lifecycle (Kafka)", () => {
    let id: string;
    let outs: Record<string, unknown>;

    it("create waits for Running and keeps the write-only credentials in the outputs", async () => {
        const created = await h.create(kafkaInputs());
        id = created.id;
        outs = created.outs;
        expect(outs).toMatchObject({ serviceId: svc.id, name: "events", description: "click events", state: "Running" });
        expect((outs.source as any).kafka.credentials).toEqual({ username: "ingest", password: PASSWORD });
        const api = await apiClient().get<ApiPipe>(pipePath(id));
        expect(JSON.stringify(api)).not.toContain(PASSWORD);
        expect(await exposed()).not.toContain(PASSWORD);
    });

    it("read reconstructs inputs: no diff after refresh", async () => {
        const read = await h.read(id, outs);
        expect(read.id).toBe(id);
        expect((read.props!.source as any).kafka.credentials.password).toBe(PASSWORD);
        expect(diffClickPipe(id, read.props!, kafkaInputs()).changes).toBe(false);
        expect(diffClickPipe(id, read.props!, read.inputs!).changes).toBe(false);
    });

    it("credentials and name update in place with one PATCH", async () => {
        const news = { ...kafkaInputs("events", NEW_PASSWORD), name: "events-v2" };
        const d = diffClickPipe(id, outs, news);
        expect(d.replaces).toEqual([]);
        const updated = await h.update(id, outs, news);
        outs = updated.outs!;
        expect(outs.name).toBe("events-v2");
        expect((outs.source as any).kafka.credentials.password).toBe(NEW_PASSWORD);
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([`PATCH ${pipePath(id)} -> 200`]);
        expect(await exposed()).not.toContain(NEW_PASSWORD);
    });

    it("scaling goes through PATCH /scaling and reads back as numbers", async () => {
        const news = {
            ...kafkaInputs("events", NEW_PASSWORD),
            name: "events-v2",
            scaling: { replicas: 2, replicaCpuMillicores: 250, replicaMemoryGb: 1 },
        };
        const updated = await h.update(id, outs, news);
        outs = updated.outs!;
        expect(outs.scaling).toEqual({ replicas: 2, replicaCpuMillicores: 250, replicaMemoryGb: 1 });
        expect(await requests(emu)).toContain(`PATCH ${pipePath(id)}/scaling -> 200`);
        expect(diffClickPipe(id, outs, news).changes).toBe(false);
    });

    it("state Stopped stops it, Running starts it again", async () => {
        const base = { ...kafkaInputs("events", NEW_PASSWORD), name: "events-v2" };
        outs = (await h.update(id, outs, { ...base, state: "Stopped" })).outs!;
        expect(outs.state).toBe("Stopped");
        expect(diffClickPipe(id, outs, { ...base, state: "Stopped" }).changes).toBe(false);
        outs = (await h.update(id, outs, { ...base, state: "Running" })).outs!;
        expect(outs.state).toBe("Running");
        const log = await requests(emu);
        expect(log.filter((l) => l.includes("/state"))).toEqual([
            `PATCH ${pipePath(id)}/state -> 200`,
            `PATCH ${pipePath(id)}/state -> 200`,
        ]);
    });

    it("drift: renamed and failed behind our back, read sees both; Running restarts a Failed pipe", async () => {
        await emu.control.patchClickPipe(id, { name: "renamed" });
        await emu.control.setState("clickpipe", id, "Failed");
        const read = await h.read(id, outs);
        expect(read.props).toMatchObject({ name: "renamed", state: "Failed" });
        const news = { ...kafkaInputs("events", NEW_PASSWORD), name: "events-v2", state: "Running" };
        expect(diffClickPipe(id, read.props!, news).diffs.sort()).toEqual(["name", "state"]);
        outs = (await h.update(id, read.props!, news)).outs!;
        expect(outs).toMatchObject({ name: "events-v2", state: "Running" });
    });

    it("delete waits until the pipe is gone; again is a no-op", async () => {
        await h.delete(id, outs);
        await expect(apiClient().get(pipePath(id))).rejects.toMatchObject({ status: 404 });
        await h.delete(id, outs);
        expect((await h.read(id, outs)).id).toBe("");
    });
});

describe("ClickPipe (Postgres CDC)", () => {
    const PG_PASSWORD = "pg-Pa55word-never-logged";
    const users = { sourceSchemaName: "public", sourceTable: "users", targetTable: "public_users" };
    const orders = { sourceSchemaName: "public", sourceTable: "orders", targetTable: "public_orders" };
    const pgInputs = (password = PG_PASSWORD, tableMappings = [users]) => ({
        serviceId: svc.id,
        name: "cdc",
        source: {
            postgres: {
                host: "db.example.com",
                port: 5432,
                database: "app",
                credentials: { username: "repl", password },
                settings: { replicationMode: "cdc" },
                tableMappings,
            },
        },
        destination: { database: "app" },
        ...creation("cdc"),
    });

    it("create, then table mappings and the password change in place through one PATCH", async () => {
        const created = await h.create(pgInputs());
        expect(created.outs.state).toMatch(/Running|Snapshot/);
        expect(diffClickPipe(created.id, created.outs, pgInputs()).changes).toBe(false);
        const news = pgInputs("pg-R0tated-never-logged", [users, orders]);
        const d = diffClickPipe(created.id, created.outs, news);
        expect(d.replaces).toEqual([]);
        expect(d.diffs.sort()).toEqual(["source.postgres.credentials.password", "source.postgres.tableMappings"]);
        await emu.control.clearLog();
        const updated = await h.update(created.id, created.outs, news);
        expect((updated.outs!.source as any).postgres.tableMappings).toEqual([users, orders]);
        expect((await requests(emu)).filter((l) => l.startsWith("PATCH"))).toEqual([`PATCH ${pipePath(created.id)} -> 200`]);
        const read = await h.read(created.id, updated.outs!);
        expect(diffClickPipe(created.id, read.props!, news).changes).toBe(false);
        expect(await exposed()).not.toContain(PG_PASSWORD);
        await h.delete(created.id, updated.outs!);
    });

    it("a replication setting other than interval and batch size replaces", async () => {
        const olds = { ...pgInputs(), state: "Running" };
        const news = pgInputs();
        (news.source.postgres.settings as Record<string, unknown>).replicationMode = "cdc_only";
        expect(diffClickPipe("p", olds, news).replaces).toEqual(["source"]);
    });
});

describe("ClickPipe and an idle service", () => {
    it("create wakes the idle service first (PATCH state awake), then creates", async () => {
        await emu.control.setState("service", svc.id!, "idle");
        await emu.control.clearLog();
        const created = await h.create(kafkaInputs("woken"));
        expect(created.outs.state).toBe("Running");
        const log = await requests(emu);
        const awake = log.indexOf(`PATCH /services/${svc.id}/state -> 200`);
        const post = log.indexOf(`POST /services/${svc.id}/clickpipes -> 200`);
        expect(awake).toBeGreaterThanOrEqual(0);
        expect(post).toBeGreaterThan(awake);
        expect(log.some((l) => l.includes("-> 424"))).toBe(false);
        // The state PATCH was the awake command: the service went idle -> awaking -> running.
        const transitions = (await emu.control.events()).filter((e) => e.id === svc.id).map((e) => `${e.from}->${e.to}`);
        expect(transitions.slice(-2)).toEqual(["idle->awaking", "awaking->running"]);
        await h.delete(created.id, created.outs);
    });

    it("an update answered 424 wakes the service and retries once", async () => {
        const created = await h.create(kafkaInputs("retried"));
        await emu.control.setState("service", svc.id!, "idle");
        await emu.control.clearLog();
        const updated = await h.update(created.id, created.outs, { ...kafkaInputs("retried"), name: "retried-2" });
        expect(updated.outs!.name).toBe("retried-2");
        const log = await requests(emu);
        expect(log).toContain(`PATCH ${pipePath(created.id)} -> 424`);
        expect(log).toContain(`PATCH /services/${svc.id}/state -> 200`);
        expect(log.filter((l) => l === `PATCH ${pipePath(created.id)} -> 200`)).toHaveLength(1);
        await h.delete(created.id, updated.outs!);
    });

    it("a stopped service is not started behind the user's back", async () => {
        await emu.control.setState("service", svc.id!, "stopped");
        await expect(h.create(kafkaInputs("refused"))).rejects.toThrow(
            /clickhouse:ClickPipe: service "ingest" .* is stopped; .*Start it first/,
        );
        expect((await requests(emu)).some((l) => l.startsWith("POST"))).toBe(false);
        await emu.control.setState("service", svc.id!, "running");
    });
});

describe("ClickPipe failures", () => {
    it("Failed while waiting after create: error names the pipe, id and state; the pipe is kept (partial failure)", async () => {
        const creating = h.create(kafkaInputs("doomed"));
        let pipeId: string | undefined;
        for (let i = 0; i < 100 && !pipeId; i++) {
            pipeId = (await emu.control.objects()).clickpipes.find((p: { name: string }) => p.name === "doomed")?.id;
            if (!pipeId) await new Promise((r) => setTimeout(r, 10));
        }
        expect(pipeId).toBeDefined();
        await emu.control.setState("clickpipe", pipeId!, "Failed");
        const error = await creating.then(
            () => undefined,
            (e) => e,
        );
        expect(error).toBeInstanceOf(ResourceInitError);
        expect(error.id).toBe(pipeId);
        expect(error.message).toContain(`ClickPipe "doomed" (${pipeId}) is in state Failed`);
        expect(error.properties.name).toBe("doomed");
        expect(JSON.stringify(error.message)).not.toContain(PASSWORD);
        await h.delete(pipeId!, error.properties);
    });

    it("object storage secrets stay out of the emulator's log and objects, and out of errors", async () => {
        const inputs = {
            ...kafkaInputs("files"),
            source: {
                objectStorage: {
                    type: "s3",
                    format: "CSV",
                    url: "https://b.s3.amazonaws.com/*.csv",
                    authentication: "IAM_USER",
                    accessKey: { accessKeyId: "AKIAEXAMPLE", secretKey: SECRET_KEY },
                },
            },
        };
        const created = await h.create(inputs);
        expect((created.outs.source as any).objectStorage.accessKey.secretKey).toBe(SECRET_KEY);
        const bad = {
            ...inputs,
            destination: { ...inputs.destination, columns: [...inputs.destination.columns, { name: "extra", type: "String" }] },
        };
        await expect(h.update(created.id, created.outs, bad)).rejects.toThrow(/400 BAD_REQUEST: request body.fieldMappings/);
        await h.update(created.id, created.outs, bad).catch((e) => expect(e.message).not.toContain(SECRET_KEY));
        expect(await exposed()).not.toContain(SECRET_KEY);
        await h.delete(created.id, created.outs);
    });
});

describe("partial field mappings (issue 12): check warns, the API answers at create", () => {
    it("check passes with a warning; create fails with the API's own refusal, naming the column, and leaves no pipe", async () => {
        const { checkClickPipe } = await import("../../provider/resources/clickPipe");
        const { captureLogs } = await import("../../provider/log");
        const partial = { ...kafkaInputs("partial"), fieldMappings: [{ sourceField: "id", destinationField: "id" }] };
        const logs = captureLogs();
        const checked = checkClickPipe({}, partial);
        logs.stop();
        expect(checked.failures).toEqual([]);
        expect(logs.entries.some((e) => e.level === "warning" && e.message.includes('"ts"'))).toBe(true);
        await expect(h.create(partial)).rejects.toThrow(
            /400 BAD_REQUEST: request body.fieldMappings: All destination columns must be mapped, missing: ts/,
        );
        const pipes = await apiClient().get<ApiPipe[]>(`/services/${svc.id}/clickpipes`);
        expect(pipes.map((p) => p.name)).not.toContain("partial");
    });
});
