// One ClickHouse Cloud service that scales to zero when idle, reachable from one network.
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";

const config = new pulumi.Config();

const service = new clickhouse.Service("analytics", {
    name: config.get("name") ?? "analytics",
    provider: "aws",
    region: config.get("region") ?? "us-east-1",
    tier: "production",
    ipAccessList: [{ source: config.get("allowedCidr") ?? "10.0.0.0/8", description: "office VPN" }],
    minReplicaMemoryGb: 8,
    maxReplicaMemoryGb: 16,
    idleScaling: true,
    idleTimeoutMinutes: 15,
    tags: [{ key: "owner", value: "data-platform" }],
});

export const serviceId = service.id;
export const state = service.state;
export const endpoints = service.endpoints;
/** The generated default-user password; `pulumi stack output password --show-secrets` reveals it. */
export const password = service.password;
