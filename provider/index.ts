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
 *
 * This file is the package's public API: the resources, their argument and output types, the
 * read functions (plain and `…Output`) and `ApiError`. Handlers, check and diff functions and
 * request shaping stay in their own files, which the tests import directly; the `exports` map
 * of package.json keeps them out of reach of `import "pulumi-clickhouse-cloud/..."`.
 */
export { Service } from "./resources/service";
export type {
    ServiceArgs,
    ServiceOutputs,
    ServiceIpAccessEntry,
    ServiceTag,
    ServiceEndpointSetting,
    ServiceDesiredState,
} from "./resources/service";
export { ServiceScaling } from "./resources/serviceScaling";
export type { ServiceScalingArgs, ServiceScalingOutputs } from "./resources/serviceScaling";
export { BackupConfiguration } from "./resources/backupConfiguration";
export type { BackupConfigurationArgs, BackupConfigurationOutputs } from "./resources/backupConfiguration";
export { PrivateEndpoint } from "./resources/privateEndpoint";
export type { PrivateEndpointArgs, PrivateEndpointOutputs } from "./resources/privateEndpoint";
export { ClickPipe } from "./resources/clickPipe";
export type { ClickPipeArgs, ClickPipeOutputs, ClickPipeSourceArgs, ClickPipeDesiredState, DeepInput } from "./resources/clickPipe";
export { ServiceQueryEndpoint } from "./resources/serviceQueryEndpoint";
export type { ServiceQueryEndpointArgs, ServiceQueryEndpointOutputs, QueryEndpointRole } from "./resources/serviceQueryEndpoint";
export type { Timeouts } from "./resources/timeouts";

export {
    getService,
    listServices,
    listBackups,
    getBackup,
    getBackupConfiguration,
    getPrometheusMetrics,
    getPrivateEndpointConfig,
} from "./functions";
export type { FunctionOptions, FunctionConfig, ListServicesArgs, PrometheusMetricsArgs } from "./functions";
export {
    getServiceOutput,
    listServicesOutput,
    listBackupsOutput,
    getBackupOutput,
    getBackupConfigurationOutput,
    getPrometheusMetricsOutput,
    getPrivateEndpointConfigOutput,
} from "./functionOutputs";
export { ApiError } from "./api/errors";

export type { CloudProvider, Region, ServiceTier, ServiceState, ClickPipeState } from "./api/types";
export type {
    Service as ApiService,
    Backup,
    BackupConfiguration as ApiBackupConfiguration,
    PrivateEndpointConfig,
    ClickPipe as ApiClickPipe,
} from "./api/types";
