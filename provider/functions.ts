/**
 * Read-only functions: plain async functions returning API data, usable anywhere in a Pulumi
 * program (`await`, or `pulumi.output(getService(id))`) or in any Node script.
 *
 * Credentials: `opts.config` when given; otherwise the stack configuration of the running
 * Pulumi program (`clickhouse:organizationId`, `clickhouse:tokenKey`, `clickhouse:tokenSecret`,
 * `clickhouse:apiUrl`), each falling back to the environment (`CLICKHOUSE_ORG_ID`,
 * `CLICKHOUSE_TOKEN_KEY`, `CLICKHOUSE_TOKEN_SECRET`, `CLICKHOUSE_API_URL`). Every call goes
 * through the same rate-limited client as the resources.
 */
import * as pulumi from "@pulumi/pulumi";
import * as backups from "./api/backups";
import { apiClient } from "./api/current";
import * as metrics from "./api/metrics";
import * as services from "./api/services";
import type { Backup, BackupConfiguration as ApiBackupConfiguration, PrivateEndpointConfig, Service } from "./api/types";
import { ProviderConfig, resolveConfig } from "./config";

/**
 * Explicit credentials for a function call, named like the stack configuration they replace
 * (`clickhouse:organizationId`, `clickhouse:tokenKey`, `clickhouse:tokenSecret`, `clickhouse:apiUrl`).
 */
export interface FunctionConfig {
    /** The organization's id (a UUID). */
    organizationId: string;
    /** The API key id. */
    tokenKey: string;
    /** The API key secret. */
    tokenSecret: string;
    /** The API's base URL; `http://` only for loopback hosts such as the emulator. @default "https://api.clickhouse.cloud" */
    apiUrl?: string;
}

/** Options every function takes. */
export interface FunctionOptions {
    /** Explicit credentials and API URL; by default the stack configuration, then the environment. */
    config?: FunctionConfig;
}

/** The configuration a call uses: `opts.config` alone when given (checked like the stack configuration), else the stack configuration, then the environment. */
function configOf(opts?: FunctionOptions): ProviderConfig {
    const given = opts?.config;
    if (given) {
        const values: Record<string, string | undefined> = {
            "clickhouse:organizationId": given.organizationId,
            "clickhouse:tokenKey": given.tokenKey,
            "clickhouse:tokenSecret": given.tokenSecret,
            "clickhouse:apiUrl": given.apiUrl,
        };
        return resolveConfig({ get: (key) => values[key] }, {});
    }
    // In a Pulumi program the stack configuration is readable directly; outside one this finds nothing and the environment applies.
    return resolveConfig({ get: (key) => pulumi.runtime.getConfig(key) }, process.env);
}

function clientFor(opts?: FunctionOptions) {
    return apiClient(configOf(opts));
}

/**
 * One service by id, with its state, endpoints, scaling and `privateEndpointIds`.
 * Rejects with an `ApiError` (status 404) when it does not exist.
 *
 * @param serviceId The service's id (a UUID).
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 */
export async function getService(serviceId: string, opts?: FunctionOptions): Promise<Service> {
    return services.getService(clientFor(opts), serviceId);
}

/** Arguments of {@link listServices}. */
export interface ListServicesArgs {
    /** Only services carrying this tag (`GET /services?filter=tag:<key>=<value>`). */
    tag?: {
        /** The tag's key. */
        key: string;
        /** The tag's value; without it, any service with the key. */
        value?: string;
    };
}

/**
 * Every service of the organization, optionally only those with a tag. The API does not paginate.
 *
 * @param args The tag filter, if any.
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 * @returns The services.
 */
export async function listServices(args?: ListServicesArgs, opts?: FunctionOptions): Promise<Service[]> {
    const tag = args?.tag;
    return services.listServices(clientFor(opts), tag ? `tag:${tag.key}${tag.value === undefined ? "" : `=${tag.value}`}` : undefined);
}

/**
 * The backups of a service, newest first, with status (`done`, `error`, `in_progress`) and type (`full`, `incremental`).
 *
 * @param serviceId The service's id (a UUID).
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 * @returns The backups, newest first.
 */
export async function listBackups(serviceId: string, opts?: FunctionOptions): Promise<Backup[]> {
    return backups.listBackups(clientFor(opts), serviceId);
}

/**
 * One backup of a service. Rejects with an `ApiError` (404) when it does not exist.
 *
 * @param serviceId The service's id (a UUID).
 * @param backupId The backup's id (a UUID), as `listBackups` reports it.
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 */
export async function getBackup(serviceId: string, backupId: string, opts?: FunctionOptions): Promise<Backup> {
    return backups.getBackup(clientFor(opts), serviceId, backupId);
}

/**
 * The backup period, retention and start time of a service (`backupPeriodInHours`, `backupRetentionPeriodInHours`, `backupStartTime`).
 *
 * @param serviceId The service's id (a UUID).
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 */
export async function getBackupConfiguration(serviceId: string, opts?: FunctionOptions): Promise<ApiBackupConfiguration> {
    return backups.getBackupConfiguration(clientFor(opts), serviceId);
}

/** Arguments of {@link getPrometheusMetrics}. */
export interface PrometheusMetricsArgs {
    /** One service's metrics; by default the whole organization's. */
    serviceId?: string;
    /** Return the filtered (smaller) list of metrics. @default false */
    filteredMetrics?: boolean;
}

/**
 * Prometheus metrics in the text exposition format, for the organization or one service.
 *
 * @param args Which metrics: one service's, the filtered list.
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 * @returns The metrics in the Prometheus text exposition format.
 */
export async function getPrometheusMetrics(args?: PrometheusMetricsArgs, opts?: FunctionOptions): Promise<string> {
    return metrics.getPrometheusMetrics(clientFor(opts), { serviceId: args?.serviceId, filteredMetrics: args?.filteredMetrics });
}

/**
 * What a cloud private endpoint to this service needs, before any endpoint exists:
 * `endpointServiceId` (AWS "Service name", GCP "Target service", Azure "Private Link Service")
 * and `privateDnsHostname`.
 *
 * @param serviceId The service's id (a UUID).
 * @param opts Explicit credentials; by default the stack configuration, then the environment.
 */
export async function getPrivateEndpointConfig(serviceId: string, opts?: FunctionOptions): Promise<PrivateEndpointConfig> {
    return services.getPrivateEndpointConfig(clientFor(opts), serviceId);
}
