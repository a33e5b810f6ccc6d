/**
 * ClickPipe's pure parts as tables: validation per source kind, the diff's in-place/replace
 * split, the PATCH body, outputs keeping write-only credentials, scaling normalization and the
 * secret marking of credentials by the resource class.
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../provider/resources/unknown";
import { captureLogs } from "../../provider/log";
import {
    checkClickPipe,
    clickPipeOutputs,
    clickPipePatchBody,
    clickPipePostBody,
    diffClickPipe,
    effectiveState,
    normalizeScaling,
    secretSource,
    toGb,
    toMillicores,
} from "../../provider/resources/clickPipe";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const kafka = {
    type: "confluent",
    format: "JSONEachRow",
    brokers: "broker-1:9092",
    topics: "events",
    authentication: "PLAIN",
    credentials: { username: "ingest", password: "kafka-pa55word" },
};
const destination = {
    database: "default",
    table: "events",
    managedTable: true,
    columns: [
        { name: "id", type: "String" },
        { name: "ts", type: "DateTime" },
    ],
};
const fieldMappings = [
    { sourceField: "id", destinationField: "id" },
    { sourceField: "time", destinationField: "ts" },
];
const base = { serviceId: SVC, name: "events", source: { kafka }, destination, fieldMappings };
const s3 = {
    type: "s3",
    format: "CSV",
    url: "https://bucket.s3.amazonaws.com/data/*.csv",
    authentication: "IAM_USER",
    accessKey: { accessKeyId: "AKIAEXAMPLE", secretKey: "s3-secret-key" },
};
const kinesis = {
    format: "JSONEachRow",
    streamName: "clicks",
    region: "us-east-1",
    iteratorType: "LATEST",
    authentication: "IAM_ROLE",
    iamRole: "arn:aws:iam::1:role/r",
};
const postgres = {
    host: "db.example.com",
    port: 5432,
    database: "app",
    credentials: { username: "repl", password: "pg-pa55word" },
    tableMappings: [{ sourceSchemaName: "public", sourceTable: "users", targetTable: "public_users" }],
};
const pgBase = { serviceId: SVC, name: "cdc", source: { postgres }, destination: { database: "app" } };
const failuresOf = (args: Record<string, unknown>) => checkClickPipe({}, args).failures;

describe("checkClickPipe accepts", () => {
    it.each<[string, Record<string, unknown>]>([
        ["kafka PLAIN", base],
        [
            "kafka stopped with scaling",
            { ...base, state: "Stopped", scaling: { replicas: 2, replicaCpuMillicores: 250, replicaMemoryGb: 1 } },
        ],
        [
            "msk IAM role",
            {
                ...base,
                source: {
                    kafka: { ...kafka, type: "msk", authentication: "IAM_ROLE", credentials: undefined, iamRole: "arn:aws:iam::1:role/r" },
                },
            },
        ],
        [
            "mutual TLS",
            {
                ...base,
                source: {
                    kafka: { ...kafka, type: "kafka", authentication: "MUTUAL_TLS", credentials: { certificate: "C", privateKey: "K" } },
                },
            },
        ],
        [
            "event hubs",
            { ...base, source: { kafka: { ...kafka, type: "azureeventhub", credentials: { connectionString: "Endpoint=sb://x" } } } },
        ],
        [
            "offset and registry",
            {
                ...base,
                source: {
                    kafka: {
                        ...kafka,
                        format: "AvroConfluent",
                        offset: { strategy: "from_timestamp", timestamp: "2025-01-31T08:00" },
                        schemaRegistry: {
                            url: "https://sr.example.com",
                            authentication: "PLAIN",
                            credentials: { username: "u", password: "p" },
                        },
                    },
                },
            },
        ],
        ["s3 with access key", { ...base, source: { objectStorage: s3 } }],
        [
            "public gcs",
            { ...base, source: { objectStorage: { type: "gcs", format: "Parquet", url: "https://storage.googleapis.com/b/*.parquet" } } },
        ],
        [
            "azure blob",
            {
                ...base,
                source: {
                    objectStorage: {
                        type: "azureblobstorage",
                        format: "JSONEachRow",
                        azureContainerName: "c",
                        path: "logs/*.json",
                        authentication: "CONNECTION_STRING",
                        connectionString: "DefaultEndpointsProtocol=https",
                    },
                },
            },
        ],
        ["kinesis", { ...base, source: { kinesis } }],
        ["postgres", pgBase],
        ["unknown source during preview", { ...base, source: UNKNOWN }],
        [
            "unknown password during preview",
            { ...base, source: { kafka: { ...kafka, credentials: { username: "u", password: UNKNOWN } } } },
        ],
        ["description and timeouts", { ...base, description: "clicks", timeouts: { create: "10m", delete: "5m" } }],
    ])("%s", (_name, args) => expect(failuresOf(args)).toEqual([]));
});

describe("checkClickPipe refuses", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["missing name", { ...base, name: undefined }, "name", ['"name" is required']],
        ["missing source", { ...base, source: undefined }, "source", ['"source" is required', "kafka, objectStorage, kinesis, postgres"]],
        ["empty source", { ...base, source: {} }, "source", ["sets no source", "exactly one"]],
        ["two sources", { ...base, source: { kafka, kinesis } }, "source", ["kafka and kinesis", "exactly one"]],
        [
            "unsupported kind",
            { ...base, source: { mysql: { host: "h" } } },
            "source.mysql",
            ["not supported", "kafka, objectStorage, kinesis, postgres"],
        ],
        ["typo kind", { ...base, source: { kafak: kafka } }, "source.kafak", ['unknown property "source.kafak"']],
        ["kafka type", { ...base, source: { kafka: { ...kafka, type: "pulsar" } } }, "source.kafka.type", ['"pulsar"', "confluent"]],
        [
            "kafka format",
            { ...base, source: { kafka: { ...kafka, format: "CSV" } } },
            "source.kafka.format",
            ['"CSV"', "JSONEachRow, Avro, AvroConfluent, Protobuf"],
        ],
        [
            "kafka without brokers",
            { ...base, source: { kafka: { ...kafka, brokers: undefined } } },
            "source.kafka.brokers",
            ['"source.kafka.brokers" is required'],
        ],
        [
            "auth the type lacks",
            { ...base, source: { kafka: { ...kafka, type: "warpstream", authentication: "SCRAM-SHA-512" } } },
            "source.kafka.authentication",
            ['"SCRAM-SHA-512"', "warpstream", "PLAIN"],
        ],
        [
            "IAM user with PLAIN credentials",
            { ...base, source: { kafka: { ...kafka, type: "msk", authentication: "IAM_USER" } } },
            "source.kafka.credentials.username",
            ["unknown property", "accessKeyId, secretKey"],
        ],
        [
            "registry over http",
            { ...base, source: { kafka: { ...kafka, schemaRegistry: { url: "http://sr" } } } },
            "source.kafka.schemaRegistry.url",
            ['"http://sr"', "https://"],
        ],
        [
            "offset timestamp missing",
            { ...base, source: { kafka: { ...kafka, offset: { strategy: "from_timestamp" } } } },
            "source.kafka.offset.timestamp",
            ["is required"],
        ],
        [
            "unknown kafka field",
            { ...base, source: { kafka: { ...kafka, topic: "x" } } },
            "source.kafka.topic",
            ['unknown property "source.kafka.topic"', "topics"],
        ],
        [
            "s3 IAM role on gcs",
            {
                ...base,
                source: { objectStorage: { type: "gcs", format: "CSV", url: "https://x/y", authentication: "IAM_ROLE", iamRole: "r" } },
            },
            "source.objectStorage.authentication",
            ['"IAM_ROLE"', "gcs", "s3"],
        ],
        [
            "compression",
            { ...base, source: { objectStorage: { ...s3, compression: "zip" } } },
            "source.objectStorage.compression",
            ['"zip"', "gzip"],
        ],
        [
            "kinesis AT_TIMESTAMP without timestamp",
            { ...base, source: { kinesis: { ...kinesis, iteratorType: "AT_TIMESTAMP" } } },
            "source.kinesis.timestamp",
            ["is required"],
        ],
        [
            "postgres port",
            { ...pgBase, source: { postgres: { ...postgres, port: 70000 } } },
            "source.postgres.port",
            ["70000", "between 1 and 65535"],
        ],
        [
            "postgres mapping missing target",
            { ...pgBase, source: { postgres: { ...postgres, tableMappings: [{ sourceSchemaName: "public", sourceTable: "t" }] } } },
            "source.postgres.tableMappings[0].targetTable",
            ["is required"],
        ],
        ["postgres with scaling", { ...pgBase, scaling: { replicas: 2 } }, "scaling", ["Postgres", "CDC scaling"]],
        ["missing destination", { ...base, destination: undefined }, "destination", ['"destination" is required']],
        [
            "destination without table",
            { ...base, destination: { ...destination, table: undefined } },
            "destination.table",
            ['"destination.table" is required'],
        ],
        [
            "column without type",
            { ...base, destination: { ...destination, columns: [{ name: "id" }, destination.columns[1]] } },
            "destination.columns[0].type",
            ['"destination.columns[0].type" is required', "ClickHouse type"],
        ],
        [
            "mapping with a typo",
            { ...base, fieldMappings: [{ source: "id", destinationField: "id" }, fieldMappings[1]] },
            "fieldMappings[0].source",
            ['unknown property "fieldMappings[0].source"', "sourceField"],
        ],
        [
            "postgres custom sorting without keys",
            {
                ...pgBase,
                source: { postgres: { ...postgres, tableMappings: [{ ...postgres.tableMappings[0], useCustomSortingKey: true }] } },
            },
            "source.postgres.tableMappings[0].sortingKeys",
            ["at least one column"],
        ],
        [
            "engine type",
            { ...base, destination: { ...destination, tableDefinition: { engine: { type: "Log" } } } },
            "destination.tableDefinition.engine.type",
            ['"Log"', "MergeTree"],
        ],
        ["empty scaling", { ...base, scaling: {} }, "scaling", ["empty", "omit"]],
        ["too many replicas", { ...base, scaling: { replicas: 41 } }, "scaling.replicas", ["41", "between 1 and 40"]],
        [
            "cpu too low",
            { ...base, scaling: { replicaCpuMillicores: 100 } },
            "scaling.replicaCpuMillicores",
            ["100", "between 125 and 2000"],
        ],
        ["memory too high", { ...base, scaling: { replicaMemoryGb: 16 } }, "scaling.replicaMemoryGb", ["16", "between 0.5 and 8"]],
        ["state", { ...base, state: "Paused" }, "state", ['"Paused"', "Running, Stopped"]],
        ["bad serviceId", { ...base, serviceId: "svc" }, "serviceId", ['"svc"', "UUID"]],
        ["unknown top-level key", { ...base, settings: {} }, "settings", ['unknown property "settings"']],
    ])("%s", (_name, args, property, words) => {
        const failures = failuresOf(args);
        const failure = failures.find((f) => f.property === property);
        expect(failure).toBeDefined();
        for (const w of words) expect(failure!.reason).toContain(w);
        // Secret values never reach a message.
        for (const f of failures)
            for (const secret of ["kafka-pa55word", "s3-secret-key", "pg-pa55word"]) expect(f.reason).not.toContain(secret);
    });
});

describe("checkClickPipe warns, and does not refuse, where no official source confirms the rule (issue 12)", () => {
    // The API answers at `up`; a rule only inferred must not block a preview. Each row: arguments,
    // the property warned about, words of the warning.
    it.each<[string, Record<string, unknown>, string, string[]]>([
        [
            "PLAIN without password",
            { ...base, source: { kafka: { ...kafka, credentials: { username: "u" } } } },
            "source.kafka.credentials.password",
            ['"source.kafka.credentials.password" is not set'],
        ],
        [
            "IAM role with credentials",
            { ...base, source: { kafka: { ...kafka, type: "msk", authentication: "IAM_ROLE", iamRole: "arn" } } },
            "source.kafka.credentials",
            ["must not be set", "IAM_ROLE"],
        ],
        [
            "s3 without access key",
            { ...base, source: { objectStorage: { ...s3, accessKey: undefined } } },
            "source.objectStorage.accessKey",
            ["is not set", "accessKeyId, secretKey"],
        ],
        [
            "skipInitialLoad without queue",
            { ...base, source: { objectStorage: { ...s3, skipInitialLoad: true } } },
            "source.objectStorage.skipInitialLoad",
            ["queueUrl"],
        ],
        [
            "kinesis region",
            { ...base, source: { kinesis: { ...kinesis, region: "virginia" } } },
            "source.kinesis.region",
            ['"virginia"', "us-east-1"],
        ],
        [
            "postgres no tables",
            { ...pgBase, source: { postgres: { ...postgres, tableMappings: [] } } },
            "source.postgres.tableMappings",
            ["is empty"],
        ],
        ["postgres with field mappings", { ...pgBase, fieldMappings }, "fieldMappings", ["Postgres", "tableMappings"]],
        ["destination without columns", { ...base, destination: { ...destination, columns: [] } }, "destination.columns", ["is empty"]],
        [
            "duplicate column",
            {
                ...base,
                destination: {
                    ...destination,
                    columns: [
                        { name: "id", type: "String" },
                        { name: "id", type: "String" },
                    ],
                },
                fieldMappings: [fieldMappings[0]],
            },
            "destination.columns",
            ['"id" twice'],
        ],
        [
            "unmapped column",
            { ...base, fieldMappings: [fieldMappings[0]] },
            "fieldMappings",
            ['"ts"', "unmapped", "every destination column"],
        ],
        [
            "mapping to a missing column",
            { ...base, fieldMappings: [...fieldMappings, { sourceField: "x", destinationField: "x" }] },
            "fieldMappings",
            ['"x"', "does not list"],
        ],
    ])("%s", (_name, args, property, words) => {
        const logs = captureLogs();
        let failures;
        try {
            failures = failuresOf(args);
        } finally {
            logs.stop();
        }
        expect(failures.filter((f) => f.property === property)).toEqual([]);
        const warning = logs.entries.find((e) => e.level === "warning" && e.message.includes(`"${property}"`));
        expect(warning).toBeDefined();
        for (const w of words) expect(warning!.message).toContain(w);
        expect(warning!.message).toMatch(/^clickhouse:\w+: .*warning only/);
        for (const e of logs.entries)
            for (const secret of ["kafka-pa55word", "s3-secret-key", "pg-pa55word"]) expect(e.message).not.toContain(secret);
    });
});

describe("diffClickPipe: in place vs replace", () => {
    const olds = {
        ...base,
        source: { kafka: { ...kafka, consumerGroup: "clickpipes-abc", exactlyOnce: false } },
        destination: { database: "default", table: "events", managedTable: true, columns: destination.columns },
        scaling: { replicas: 1, replicaCpuMillicores: 125, replicaMemoryGb: 0.5 },
        state: "Running",
    };
    const k = (patch: Record<string, unknown>) => ({ ...base, source: { kafka: { ...kafka, ...patch } } });
    it.each<[string, Record<string, unknown>, string[], string[], string[]]>([
        // [name, news, diffs, replaces, patch fields]
        ["no change (API defaults not managed)", base, [], [], []],
        ["name in place", { ...base, name: "events-v2" }, ["name"], [], ["name"]],
        ["description: state only", { ...base, description: "x" }, ["description"], [], []],
        [
            "password in place",
            k({ credentials: { username: "ingest", password: "new-pa55" } }),
            ["source.kafka.credentials.password"],
            [],
            ["source"],
        ],
        ["authentication in place", k({ authentication: "SCRAM-SHA-512" }), ["source.kafka.authentication"], [], ["source"]],
        ["brokers replace", k({ brokers: "broker-2:9092" }), ["source.kafka.brokers"], ["source"], []],
        ["topics replace", k({ topics: "other" }), ["source.kafka.topics"], ["source"], []],
        ["format replace", k({ format: "Avro" }), ["source.kafka.format"], ["source"], []],
        ["consumer group set differently replaces", k({ consumerGroup: "mine" }), ["source.kafka.consumerGroup"], ["source"], []],
        ["kind change replaces", { ...base, source: { kinesis } }, ["source"], ["source"], []],
        ["unknown source replaces", { ...base, source: UNKNOWN }, ["source"], ["source"], []],
        [
            "unknown password updates",
            k({ credentials: { username: "ingest", password: UNKNOWN } }),
            ["source.kafka.credentials.password"],
            [],
            ["source"],
        ],
        [
            "columns in place",
            { ...base, destination: { ...destination, columns: [...destination.columns, { name: "x", type: "String" }] } },
            ["destination.columns"],
            [],
            ["destination"],
        ],
        [
            "columns reordered: no change",
            { ...base, destination: { ...destination, columns: [...destination.columns].reverse() } },
            [],
            [],
            [],
        ],
        ["table replaces", { ...base, destination: { ...destination, table: "events2" } }, ["destination.table"], ["destination"], []],
        [
            "managedTable replaces",
            { ...base, destination: { ...destination, managedTable: false } },
            ["destination.managedTable"],
            ["destination"],
            [],
        ],
        ["roles replace", { ...base, destination: { ...destination, roles: ["r"] } }, ["destination.roles"], ["destination"], []],
        [
            "field mappings in place",
            { ...base, fieldMappings: [fieldMappings[0], { sourceField: "t", destinationField: "ts" }] },
            ["fieldMappings"],
            [],
            ["fieldMappings"],
        ],
        ["field mappings reordered: no change", { ...base, fieldMappings: [...fieldMappings].reverse() }, [], [], []],
        ["scaling via its endpoint", { ...base, scaling: { replicas: 3 } }, ["scaling.replicas"], [], []],
        ["same scaling: no change", { ...base, scaling: { replicas: 1 } }, [], [], []],
        ["stop", { ...base, state: "Stopped" }, ["state"], [], []],
        ["running while running: no change", { ...base, state: "Running" }, [], [], []],
        ["other service replaces", { ...base, serviceId: "3b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }, ["serviceId"], ["serviceId"], []],
    ])("%s", (_name, news, diffs, replaces, patch) => {
        const d = diffClickPipe("p1", olds, news);
        expect(d.diffs.sort()).toEqual(diffs.sort());
        expect(d.replaces.sort()).toEqual(replaces.sort());
        expect(d.patch.sort()).toEqual(patch.sort());
        expect(d.changes).toBe(diffs.length > 0);
    });

    it("a Failed pipe asked to run is a change; a Stopping one asked to stop is not", () => {
        expect(diffClickPipe("p", { ...olds, state: "Failed" }, { ...base, state: "Running" }).state).toBe(true);
        expect(diffClickPipe("p", { ...olds, state: "Stopping" }, { ...base, state: "Stopped" }).state).toBe(false);
        expect(diffClickPipe("p", { ...olds, state: "Provisioning" }, { ...base, state: "Running" }).state).toBe(false);
    });
});

describe("effectiveState", () => {
    it.each([
        ["Running", "Running"],
        ["Provisioning", "Running"],
        ["Completed", "Running"],
        ["Stopped", "Stopped"],
        ["Paused", "Stopped"],
        ["Stopping", "Stopped"],
        ["Failed", "Failed"],
        ["InternalError", "Failed"],
        [undefined, undefined],
    ])("%s -> %s", (state, expected) => {
        expect(effectiveState(state)).toBe(expected);
    });
});

describe("request bodies", () => {
    it("POST carries only the one source kind and what was set, never description", () => {
        const body = clickPipePostBody({
            ...base,
            description: "d",
            scaling: { replicas: 2 },
            __creation: "p/s/n",
            timeouts: { create: "1m" },
        });
        expect(body).toEqual({ name: "events", source: { kafka }, destination, fieldMappings, scaling: { replicas: 2 } });
    });
    it("PATCH sends in-place source fields with credentials, columns and mappings", () => {
        const olds = { ...base, state: "Running" };
        const news = {
            ...base,
            name: "n2",
            source: { kafka: { ...kafka, credentials: { username: "u2", password: "p2" } } },
            destination: { ...destination, columns: [destination.columns[0]] },
            fieldMappings: [fieldMappings[0]],
        };
        const body = clickPipePatchBody(olds, news, diffClickPipe("p", olds, news));
        expect(body).toEqual({
            name: "n2",
            source: { kafka: { authentication: "PLAIN", credentials: { username: "u2", password: "p2" } } },
            destination: { columns: [destination.columns[0]] },
            fieldMappings: [fieldMappings[0]],
        });
    });
    it("PATCH of Postgres table mappings is an add/remove pair", () => {
        const added = { sourceSchemaName: "public", sourceTable: "orders", targetTable: "public_orders" };
        const olds = { ...pgBase };
        const news = { ...pgBase, source: { postgres: { ...postgres, port: 5433, tableMappings: [added] } } };
        const body = clickPipePatchBody(olds, news, diffClickPipe("p", olds, news)) as { source: { postgres: Record<string, unknown> } };
        expect(body.source.postgres.port).toBe(5433);
        expect(body.source.postgres.tableMappingsToAdd).toEqual([added]);
        expect(body.source.postgres.tableMappingsToRemove).toEqual([postgres.tableMappings[0]]);
    });
    it("no PATCH when only scaling, state or description change", () => {
        const olds = { ...base, state: "Running" };
        const news = { ...base, description: "x", scaling: { replicas: 2 }, state: "Stopped" };
        expect(clickPipePatchBody(olds, news, diffClickPipe("p", olds, news))).toBeUndefined();
    });
});

describe("outputs", () => {
    const api = {
        id: "p1",
        serviceId: SVC,
        name: "events",
        state: "Running" as const,
        source: {
            kafka: {
                type: "confluent" as const,
                format: "JSONEachRow" as const,
                brokers: "broker-1:9092",
                topics: "events",
                authentication: "PLAIN" as const,
                consumerGroup: "clickpipes-p1",
                iamRole: null,
                caCertificate: null,
            },
        },
        destination: { database: "default", table: "events", managedTable: true, columns: destination.columns },
        fieldMappings: [...fieldMappings].reverse(),
        scaling: { replicas: 0, replicaCpuMillicores: "250m" as unknown as number, replicaMemoryGb: "1Gi" as unknown as number },
    };
    it("keep write-only credentials and roles from the inputs, drop nulls, keep input order", () => {
        const outs = clickPipeOutputs(api, {
            ...base,
            destination: { ...destination, roles: ["r1"] },
            scaling: { replicas: 2 },
            description: "d",
            __creation: "p/s/n",
        });
        expect((outs.source as { kafka: Record<string, unknown> }).kafka).toEqual({ ...kafka, consumerGroup: "clickpipes-p1" });
        expect((outs.destination as Record<string, unknown>).roles).toEqual(["r1"]);
        expect(outs.fieldMappings).toEqual(fieldMappings);
        expect(outs.scaling).toEqual({ replicas: 2, replicaCpuMillicores: 250, replicaMemoryGb: 1 });
        expect(outs.description).toBe("d");
        expect(outs.__creation).toBe("p/s/n");
        expect(outs.state).toBe("Running");
    });
    it("a credential the API does return wins (drift is visible)", () => {
        const withKey = { ...api, source: { objectStorage: { ...s3, accessKey: { accessKeyId: "AKIANEW", secretKey: "x" } } } };
        const outs = clickPipeOutputs(withKey as never, { ...base, source: { objectStorage: s3 } });
        expect((outs.source as { objectStorage: { accessKey: unknown } }).objectStorage.accessKey).toEqual({
            accessKeyId: "AKIANEW",
            secretKey: "x",
        });
    });
});

describe("scaling normalization", () => {
    it.each<[unknown, number | undefined]>([
        [250, 250],
        ["250m", 250],
        ["1", 1000],
        ["0.5", 500],
        ["lots", undefined],
        [undefined, undefined],
    ])("cpu %p -> %p", (v, e) => expect(toMillicores(v)).toBe(e));
    it.each<[unknown, number | undefined]>([
        [1, 1],
        ["1Gi", 1],
        ["512Mi", 0.5],
        ["2G", 2],
        ["500M", 0.5],
        ["2", 2],
        ["1Xi", undefined],
    ])("memory %p -> %p", (v, e) => expect(toGb(v)).toBe(e));
    it("zero falls back to the requested value, unrequested zero stays", () => {
        expect(normalizeScaling({ replicas: 0, replicaCpuMillicores: 0 }, { replicas: 3 })).toEqual({
            replicas: 3,
            replicaCpuMillicores: 0,
        });
        expect(normalizeScaling(undefined, undefined)).toBeUndefined();
    });
});

describe("secretSource marks credentials secret", () => {
    const isSecret = (v: unknown) => (pulumi.Output.isInstance(v) ? pulumi.isSecret(v as pulumi.Output<unknown>) : Promise.resolve(false));
    it("nested credentials only, leaving the rest readable", async () => {
        const out = secretSource({
            kafka: { ...kafka, schemaRegistry: { url: "https://sr", credentials: { username: "u", password: "p" } } },
        } as never) as { kafka: Record<string, unknown> };
        expect(await isSecret(out.kafka.credentials)).toBe(true);
        expect(await isSecret((out.kafka.schemaRegistry as Record<string, unknown>).credentials)).toBe(true);
        expect(out.kafka.brokers).toBe("broker-1:9092");
    });
    it("object storage keys", async () => {
        const out = secretSource({ objectStorage: { ...s3, connectionString: "c", serviceAccountKey: "k" } } as never) as {
            objectStorage: Record<string, unknown>;
        };
        for (const f of ["accessKey", "connectionString", "serviceAccountKey"]) expect(await isSecret(out.objectStorage[f])).toBe(true);
        expect(out.objectStorage.url).toBe(s3.url);
    });
    it("a whole Output source becomes secret", async () => {
        expect(await isSecret(secretSource(pulumi.output({ kinesis }) as never))).toBe(true);
    });
});
