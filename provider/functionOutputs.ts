/**
 * The `…Output` forms of the read functions: the same calls, taking `pulumi.Input`s (for example
 * a resource's `id`) and returning a `pulumi.Output`, as Pulumi's own packages offer them. Each
 * waits for its arguments, makes the one request of its plain form and keeps their secretness;
 * while an argument is unknown (a preview before the resource exists) the result is unknown and
 * nothing is requested.
 *
 * ```ts
 * const cfg = clickhouse.getPrivateEndpointConfigOutput(service.id);
 * export const endpointServiceId = cfg.endpointServiceId;
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import type { Backup, BackupConfiguration as ApiBackupConfiguration, PrivateEndpointConfig, Service } from "./api/types";
import {
    FunctionOptions,
    getBackup,
    getBackupConfiguration,
    getPrivateEndpointConfig,
    getPrometheusMetrics,
    getService,
    listBackups,
    ListServicesArgs,
    listServices,
    PrometheusMetricsArgs,
} from "./functions";

/** {@link getService} with an Input id. */
export function getServiceOutput(serviceId: pulumi.Input<string>, opts?: FunctionOptions): pulumi.Output<Service> {
    return pulumi.output(serviceId).apply((id) => getService(id, opts));
}

/** {@link listServices} with Input arguments. */
export function listServicesOutput(args?: pulumi.Input<ListServicesArgs>, opts?: FunctionOptions): pulumi.Output<Service[]> {
    return pulumi.output(args).apply((a) => listServices(a as ListServicesArgs | undefined, opts));
}

/** {@link listBackups} with an Input service id. */
export function listBackupsOutput(serviceId: pulumi.Input<string>, opts?: FunctionOptions): pulumi.Output<Backup[]> {
    return pulumi.output(serviceId).apply((id) => listBackups(id, opts));
}

/** {@link getBackup} with Input ids. */
export function getBackupOutput(
    serviceId: pulumi.Input<string>,
    backupId: pulumi.Input<string>,
    opts?: FunctionOptions,
): pulumi.Output<Backup> {
    return pulumi.all([serviceId, backupId]).apply(([s, b]) => getBackup(s, b, opts));
}

/** {@link getBackupConfiguration} with an Input service id. */
export function getBackupConfigurationOutput(
    serviceId: pulumi.Input<string>,
    opts?: FunctionOptions,
): pulumi.Output<ApiBackupConfiguration> {
    return pulumi.output(serviceId).apply((id) => getBackupConfiguration(id, opts));
}

/** {@link getPrometheusMetrics} with Input arguments. */
export function getPrometheusMetricsOutput(
    args?: { serviceId?: pulumi.Input<string>; filteredMetrics?: pulumi.Input<boolean> },
    opts?: FunctionOptions,
): pulumi.Output<string> {
    return pulumi.output(args ?? {}).apply((a) => getPrometheusMetrics(a as PrometheusMetricsArgs, opts));
}

/** {@link getPrivateEndpointConfig} with an Input service id. */
export function getPrivateEndpointConfigOutput(
    serviceId: pulumi.Input<string>,
    opts?: FunctionOptions,
): pulumi.Output<PrivateEndpointConfig> {
    return pulumi.output(serviceId).apply((id) => getPrivateEndpointConfig(id, opts));
}
