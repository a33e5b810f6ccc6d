/**
 * Pulumi resources and functions for ClickHouse Cloud.
 *
 * ```ts
 * import * as clickhouse from "pulumi-clickhouse-cloud";
 * const svc = new clickhouse.Service("warehouse", { name: "warehouse", provider: "aws", region: "eu-central-1" });
 * ```
 *
 * Credentials come from the stack configuration (`clickhouse:organizationId`,
 * `clickhouse:tokenKey`, `clickhouse:tokenSecret`, `clickhouse:apiUrl`) or the environment
 * (`CLICKHOUSE_ORG_ID`, `CLICKHOUSE_TOKEN_KEY`, `CLICKHOUSE_TOKEN_SECRET`, `CLICKHOUSE_API_URL`).
 */
export * from "./resources/service";
export * from "./resources/serviceScaling";
export * from "./resources/backupConfiguration";
export * from "./resources/privateEndpoint";
export * from "./resources/clickPipe";
export * from "./resources/serviceQueryEndpoint";
export * from "./functions";
export { ApiError } from "./api/errors";
export type { ProviderConfig } from "./config";
export type { Timeouts } from "./resources/common";
export type { CloudProvider, Region, ServiceTier, ServiceState, ClickPipeState } from "./api/types";
export type {
    Service as ApiService,
    Backup,
    BackupConfiguration as ApiBackupConfiguration,
    PrivateEndpointConfig,
    ClickPipe as ApiClickPipe,
} from "./api/types";
