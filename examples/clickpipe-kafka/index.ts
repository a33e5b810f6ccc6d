// A production ClickHouse Cloud service fed continuously from a Kafka topic by a ClickPipe.
// The Kafka password comes from the stack configuration as a secret and never appears in
// plain text in the program, the state or the preview.
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";

const config = new pulumi.Config();

const service = new clickhouse.Service("ingest", {
    name: config.get("serviceName") ?? "ingest",
    provider: "aws",
    region: config.get("region") ?? "us-east-1",
    tier: "production",
    ipAccessList: [{ source: config.get("allowedCidr") ?? "10.0.0.0/8", description: "application network" }],
    minReplicaMemoryGb: 16,
    maxReplicaMemoryGb: 32,
    // Always on: a pipe writes around the clock. (With idle scaling on, the ClickPipe's create
    // would wake the service first; the pipe itself keeps it busy afterwards.)
    idleScaling: false,
    tags: [{ key: "pipeline", value: "events" }],
});

const pipe = new clickhouse.ClickPipe("events", {
    serviceId: service.id,
    name: config.get("pipeName") ?? "events-from-kafka",
    description: "Kafka topic into default.events (kept in the Pulumi state only)",
    source: {
        kafka: {
            type: "kafka",
            format: "JSONEachRow",
            brokers: config.require("kafkaBrokers"),
            topics: config.require("kafkaTopic"),
            consumerGroup: config.get("kafkaConsumerGroup") ?? "clickpipes-events",
            authentication: "SCRAM-SHA-512",
            credentials: {
                username: config.require("kafkaUsername"),
                password: config.requireSecret("kafkaPassword"),
            },
            offset: { strategy: "from_latest" },
        },
    },
    destination: {
        database: "default",
        table: "events",
        managedTable: true, // ClickPipes creates the table from the columns below
        tableDefinition: { engine: { type: "MergeTree" }, sortingKey: ["ts"] },
        columns: [
            { name: "ts", type: "DateTime64(3)" },
            { name: "user_id", type: "String" },
            { name: "event", type: "String" },
        ],
    },
    // Every destination column must be mapped.
    fieldMappings: [
        { sourceField: "ts", destinationField: "ts" },
        { sourceField: "user_id", destinationField: "user_id" },
        { sourceField: "event", destinationField: "event" },
    ],
    scaling: { replicas: config.getNumber("pipeReplicas") ?? 1 },
    // "Stopped" pauses ingestion without deleting the pipe (pulumi config set pipeState Stopped).
    state: config.get("pipeState") ?? "Running",
});

export const serviceId = service.id;
export const httpsEndpoint = service.endpoints.apply((e) => e?.find((x) => x.protocol === "https"));
/** The generated default-user password (secret): `pulumi stack output password --show-secrets`. */
export const password = service.password;
export const clickPipeId = pipe.id;
export const clickPipeState = pipe.state;
export const clickPipeScaling = pipe.scaling;
