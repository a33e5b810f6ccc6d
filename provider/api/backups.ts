/**
 * The backup operations of a service, one typed function per call: its backups (read functions)
 * and its backup configuration (the BackupConfiguration resource, `getBackupConfiguration`).
 */
import type { ApiClient } from "./client";
import { unlessNotFound } from "./notFound";
import { servicePath } from "./paths";
import type { Backup, BackupConfiguration, BackupConfigurationPatchRequest } from "./types";

/** `GET /services/{id}/backups`: newest first. */
export async function listBackups(client: ApiClient, serviceId: string): Promise<Backup[]> {
    return (await client.get<Backup[]>(servicePath(serviceId, "backups"))) ?? [];
}

/** `GET /services/{id}/backups/{backupId}`. */
export function getBackup(client: ApiClient, serviceId: string, backupId: string): Promise<Backup> {
    return client.get<Backup>(servicePath(serviceId, "backups", backupId));
}

/** `GET /services/{id}/backupConfiguration`. */
export function getBackupConfiguration(client: ApiClient, serviceId: string): Promise<BackupConfiguration> {
    return client.get<BackupConfiguration>(servicePath(serviceId, "backupConfiguration"));
}

/** `GET /services/{id}/backupConfiguration`; undefined when the API answers 404 (the service is gone). */
export function findBackupConfiguration(client: ApiClient, serviceId: string): Promise<BackupConfiguration | undefined> {
    return unlessNotFound(() => getBackupConfiguration(client, serviceId));
}

/** `PATCH /services/{id}/backupConfiguration` with the settings given; answers the configuration applied. */
export function patchBackupConfiguration(
    client: ApiClient,
    serviceId: string,
    body: BackupConfigurationPatchRequest,
): Promise<BackupConfiguration> {
    return client.patch<BackupConfiguration>(servicePath(serviceId, "backupConfiguration"), body);
}

/** Every setting of the configuration, null: what the API documents as "reset to the default". */
const RESET: { [K in keyof Required<BackupConfigurationPatchRequest>]: null } = {
    backupPeriodInHours: null,
    backupRetentionPeriodInHours: null,
    backupStartTime: null,
};

/** `PATCH /services/{id}/backupConfiguration` with every setting null: back to the API's defaults. */
export function resetBackupConfiguration(client: ApiClient, serviceId: string): Promise<BackupConfiguration> {
    return client.patch<BackupConfiguration>(servicePath(serviceId, "backupConfiguration"), RESET);
}
