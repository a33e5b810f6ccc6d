import { createHash } from "crypto";
import type { InstancePrivateEndpoint, PrivateEndpointConfig, ServiceQueryAPIEndpoint } from "../provider/api/types";
import { Handler } from "./context";
import { Core } from "./core";
import { badRequest, notFound } from "./errors";
import { newId } from "./ids";
import * as S from "./schemas";
import { ServiceRecord } from "./store";
import { validate } from "./validation";

const hex = (seed: string, n: number) => createHash("sha256").update(seed).digest("hex").slice(0, n);

/** Looks like the real configuration for each cloud (AWS PrivateLink, GCP Private Service Connect, Azure Private Link). */
export function privateEndpointConfig(svc: ServiceRecord): PrivateEndpointConfig {
    switch (svc.provider) {
        case "aws":
            return {
                endpointServiceId: `com.amazonaws.vpce.${svc.region}.vpce-svc-${hex(svc.region, 17)}`,
                privateDnsHostname: `${svc.hostPrefix}.${svc.region}.vpce.aws.clickhouse.cloud`,
            };
        case "gcp":
            return {
                endpointServiceId: `projects/dataplane-production/regions/${svc.region}/serviceAttachments/production-${svc.region}-clickhouse-cloud`,
                privateDnsHostname: `${svc.hostPrefix}.${svc.region}.p.gcp.clickhouse.cloud`,
            };
        default:
            return {
                endpointServiceId: `production-${svc.region}-pls.${hex(svc.region, 8)}-${hex(svc.region + "1", 4)}-${hex(svc.region + "2", 4)}-${hex(svc.region + "3", 4)}-${hex(svc.region + "4", 12)}.${svc.region}.azure.privatelinkservice`,
                privateDnsHostname: `${svc.hostPrefix}.${svc.region}.privatelink.azure.clickhouse.cloud`,
            };
    }
}

export const getPrivateEndpointConfig: Handler = ({ core, params }) => ({ result: privateEndpointConfig(core.service(params.serviceId)) });

/** Endpoint id shapes per cloud (inferred from the clouds' own id formats). */
const ENDPOINT_ID: Record<string, RegExp> = {
    aws: /^vpce-[0-9a-f]{8,17}$/,
    gcp: /^[0-9]{6,20}$/,
    azure: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^\/subscriptions\/.+/i,
};

export const createPrivateEndpoint: Handler = ({ core, params, body }) => {
    validate(S.ServicePrivateEndpointPostRequest, body);
    const b = body;
    const svc = core.service(params.serviceId);
    if (!ENDPOINT_ID[svc.provider].test(b.id))
        throw badRequest(
            `request body.id: not a valid ${svc.provider} private endpoint id (expected ${ENDPOINT_ID[svc.provider].source}) <string:${b.id}>`,
        );
    let pe = core.data.privateEndpoints.find((p) => p.id === b.id);
    if (pe && (pe.cloudProvider !== svc.provider || pe.region !== svc.region))
        throw badRequest(
            `request body.id: private endpoint ${b.id} is registered for ${pe.cloudProvider} ${pe.region}, not ${svc.provider} ${svc.region}`,
        );
    if (!pe) {
        pe = { id: b.id, description: b.description ?? "", cloudProvider: svc.provider, region: svc.region };
        core.data.privateEndpoints.push(pe);
    } else if (b.description !== undefined) pe.description = b.description;
    if (!svc.privateEndpointIds.includes(b.id)) svc.privateEndpointIds.push(b.id);
    const result: InstancePrivateEndpoint = { ...pe };
    return { result };
};

function queryEndpointView(core: Core, serviceId: string): ServiceQueryAPIEndpoint {
    const qe = core.data.queryEndpoints[serviceId];
    if (!qe) throw notFound(`Service query endpoint for service ${serviceId} not found`);
    return { id: qe.id, openApiKeys: [...qe.openApiKeys], roles: [...qe.roles], allowedOrigins: qe.allowedOrigins };
}

export const getQueryEndpoint: Handler = ({ core, params }) => {
    core.service(params.serviceId);
    return { result: queryEndpointView(core, params.serviceId) };
};

/** POST is an upsert that keeps the same id (api-facts, from the official CLI). */
export const upsertQueryEndpoint: Handler = ({ core, params, body }) => {
    validate(S.QueryEndpointPostRequest, body);
    const b = body;
    core.service(params.serviceId);
    const existing = core.data.queryEndpoints[params.serviceId];
    core.data.queryEndpoints[params.serviceId] = {
        id: existing?.id ?? newId(),
        serviceId: params.serviceId,
        roles: [...new Set(b.roles ?? ["sql_console_read_only" as const])],
        openApiKeys: [...new Set(b.openApiKeys ?? [])],
        allowedOrigins: b.allowedOrigins ?? "",
    };
    return { result: queryEndpointView(core, params.serviceId) };
};

export const deleteQueryEndpoint: Handler = ({ core, params }) => {
    core.service(params.serviceId);
    queryEndpointView(core, params.serviceId);
    delete core.data.queryEndpoints[params.serviceId];
    return {};
};

// ---- Prometheus -----------------------------------------------------------------------------------
const METRICS: [name: string, type: "gauge" | "counter", help: string, filtered: boolean][] = [
    ["ClickHouseProfileEvents_Query", "counter", "Number of queries to be interpreted and potentially executed.", true],
    ["ClickHouseProfileEvents_SelectQuery", "counter", "Same as Query, but only for SELECT queries.", true],
    ["ClickHouseProfileEvents_InsertQuery", "counter", "Same as Query, but only for INSERT queries.", true],
    ["ClickHouseProfileEvents_FailedQuery", "counter", "Number of failed queries.", true],
    ["ClickHouseProfileEvents_InsertedRows", "counter", "Number of rows INSERTed to all tables.", true],
    ["ClickHouseProfileEvents_InsertedBytes", "counter", "Number of bytes INSERTed to all tables.", false],
    ["ClickHouseMetrics_MemoryTracking", "gauge", "Total amount of memory (bytes) allocated by the server.", true],
    ["ClickHouseMetrics_TCPConnection", "gauge", "Number of connections to TCP server.", false],
    ["ClickHouseMetrics_HTTPConnection", "gauge", "Number of connections to HTTP server.", false],
    ["ClickHouseAsyncMetrics_TotalRowsOfMergeTreeTables", "gauge", "Total amount of rows stored in all tables of MergeTree family.", true],
    [
        "ClickHouseAsyncMetrics_TotalBytesOfMergeTreeTables",
        "gauge",
        "Total amount of bytes stored in all tables of MergeTree family.",
        true,
    ],
    ["ClickHouseAsyncMetrics_Uptime", "gauge", "The server uptime in seconds.", false],
];

function metricLines(core: Core, svcs: ServiceRecord[], orgId: string, filtered: boolean): string {
    const lines: string[] = [];
    const now = core.now();
    for (const [name, type, help, inFiltered] of METRICS) {
        if (filtered && !inFiltered) continue;
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
        for (const svc of svcs) {
            const up = Math.max(0, Math.floor((now - svc.createdAt) / 1000));
            // With a real server, what its system tables say (./realServers.ts).
            const real = core.realServers?.metricsOf(svc.id);
            const value = real
                ? (real.get(name) ?? 0)
                : svc.state === "running"
                  ? name.endsWith("Uptime")
                      ? up
                      : parseInt(hex(svc.id + name, 6), 16) % 100000
                  : 0;
            const labels = `clickhouse_org="${orgId}",clickhouse_service="${svc.id}",clickhouse_service_name="${svc.name.replace(/["\\]/g, "\\$&")}",hostname="c-${svc.hostPrefix}-server-0",instance="c-${svc.hostPrefix}-server-0"`;
            lines.push(`${name}{${labels}} ${value}`);
        }
    }
    lines.push(
        "# HELP ClickHouse_ServiceInfo Information about the service, including cluster status and ClickHouse version",
        "# TYPE ClickHouse_ServiceInfo untyped",
    );
    for (const svc of svcs)
        lines.push(
            `ClickHouse_ServiceInfo{clickhouse_org="${orgId}",clickhouse_service="${svc.id}",clickhouse_service_name="${svc.name.replace(/["\\]/g, "\\$&")}",clickhouse_cluster_status="${svc.state}",clickhouse_version="${svc.clickhouseVersion}",scrape="full"} 1`,
        );
    return lines.join("\n") + "\n";
}

function filteredFlag(query: URLSearchParams): boolean {
    const v = query.get("filtered_metrics");
    if (v === null || v === "" || v === "false") return false;
    if (v === "true") return true;
    throw badRequest(`request query.filtered_metrics: The value must be a boolean <string:${v}>`);
}

export const servicePrometheus: Handler = ({ core, params, query, orgId }) => ({
    text: metricLines(core, [core.service(params.serviceId)], orgId, filteredFlag(query)),
});

export const orgPrometheus: Handler = ({ core, query, orgId }) => {
    const filtered = filteredFlag(query);
    core.settle();
    return { text: metricLines(core, Object.values(core.data.services), orgId, filtered) };
};
