// The root program: one ClickHouse Cloud environment per stack (Pulumi.dev.yaml, Pulumi.prod.yaml).
// A service, its scaling, its backup policy, a query endpoint and a Kafka ClickPipe feeding it.
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";

const config = new pulumi.Config();
const env = pulumi.getStack();

const service = new clickhouse.Service("warehouse", {
    name: config.require("serviceName"),
    provider: "aws",
    region: config.get("region") ?? "eu-central-1",
    tier: "production",
    ipAccessList: config.requireObject<string[]>("allowedCidrs").map((source) => ({ source, description: `${env} network` })),
    tags: [
        { key: "environment", value: env },
        { key: "managed-by", value: "pulumi" },
    ],
    // Scaling is owned by the ServiceScaling resource below, so it is left unset here.
});

const scaling = new clickhouse.ServiceScaling("warehouse-scaling", {
    serviceId: service.id,
    minReplicaMemoryGb: config.requireNumber("minReplicaMemoryGb"),
    maxReplicaMemoryGb: config.requireNumber("maxReplicaMemoryGb"),
    numReplicas: config.requireNumber("numReplicas"),
    idleScaling: config.requireBoolean("idleScaling"),
    idleTimeoutMinutes: config.getNumber("idleTimeoutMinutes"),
});

const backups = new clickhouse.BackupConfiguration("warehouse-backups", {
    serviceId: service.id,
    backupPeriodInHours: config.requireNumber("backupPeriodInHours"),
    backupRetentionPeriodInHours: config.requireNumber("backupRetentionPeriodInHours"),
});

const queryEndpoint = new clickhouse.ServiceQueryEndpoint("warehouse-query-api", {
    serviceId: service.id,
    roles: ["sql_console_read_only"],
    // The API keys allowed to call the endpoint: by default the key this stack deploys with.
    openApiKeys: config.getObject<string[]>("queryApiKeyIds") ?? [
        new pulumi.Config("clickhouse").get("tokenKey") ?? process.env.CLICKHOUSE_TOKEN_KEY ?? "",
    ],
    allowedOrigins: config.get("queryAllowedOrigins") ?? "",
});

const events = new clickhouse.ClickPipe(
    "events-pipe",
    {
        serviceId: service.id,
        name: `${env}-events`,
        description: `Kafka topic ${config.require("kafkaTopic")} into default.events`,
        source: {
            kafka: {
                type: "kafka",
                format: "JSONEachRow",
                brokers: config.require("kafkaBrokers"),
                topics: config.require("kafkaTopic"),
                authentication: "PLAIN",
                credentials: {
                    username: config.get("kafkaUsername") ?? "clickpipes",
                    password: config.requireSecret("kafkaPassword"),
                },
            },
        },
        destination: {
            database: "default",
            table: "events",
            managedTable: true,
            tableDefinition: { engine: { type: "MergeTree" }, sortingKey: ["ts"] },
            columns: [
                { name: "ts", type: "DateTime64(3)" },
                { name: "user_id", type: "String" },
                { name: "event", type: "String" },
            ],
        },
        fieldMappings: [
            { sourceField: "ts", destinationField: "ts" },
            { sourceField: "user_id", destinationField: "user_id" },
            { sourceField: "event", destinationField: "event" },
        ],
        scaling: { replicas: config.requireNumber("clickPipeReplicas") },
    },
    { dependsOn: [scaling] },
);

export const serviceId = service.id;
export const serviceState = service.state;
export const endpoints = service.endpoints;
export const password = service.password; // secret: `pulumi stack output password --show-secrets`
export const replicaMemoryGb = pulumi.interpolate`${scaling.minReplicaMemoryGb}-${scaling.maxReplicaMemoryGb}`;
export const backupRetentionHours = backups.backupRetentionPeriodInHours;
export const queryEndpointId = queryEndpoint.id;
export const clickPipeId = events.id;
export const clickPipeState = events.state;
