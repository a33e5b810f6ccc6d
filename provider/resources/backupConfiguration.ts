/**
 * `clickhouse:BackupConfiguration`: backup period, retention and start time of one service.
 * Create and update PATCH `/services/{id}/backupConfiguration`; delete PATCHes nulls, which the
 * API documents as "reset to the default".
 */
import * as pulumi from "@pulumi/pulumi";
import { findBackupConfiguration, patchBackupConfiguration, resetBackupConfiguration } from "../api/backups";
import { apiClient } from "../api/current";
import { ignoreNotFound } from "../api/notFound";
import type { BackupConfiguration as ApiBackupConfiguration } from "../api/types";
import { ClickHouseResource } from "../shim";
import { DiffResult, diffBySpec } from "./compare";
import { compact } from "./records";
import { HH_MM, show } from "./validation";
import { hiddenOf } from "./hidden";
import { OwnedCheckResult, ownedInputsValidator, describeService, isDevelopment, requireService, resourceError } from "./owningService";
import { argumentKeys, diffSpecOf } from "./properties";
import { GONE, pickSet } from "./read";
import { apiKeys, ArgsOf, engineHandlers, outputPlaceholders, TableOf } from "./shape";

const RESOURCE = "clickhouse:BackupConfiguration";

/** Plain inputs of {@link BackupConfiguration}. Unset fields keep the service's current value. */
export type BackupConfigurationInputs = {
    /**
     * Id of the service (the `id` output of a `clickhouse.Service`). Must be a production,
     * primary service. Changing this replaces the resource.
     */
    serviceId: string;
    /**
     * Hours between two backups: one of 6, 8, 12, 16, 20, 24, 36, 48. Must be 24 (or unset)
     * when `backupStartTime` is set. Updated in place.
     * @default the service's current value (24 for a new service); unset or removed: not managed
     */
    backupPeriodInHours?: number;
    /**
     * Hours a backup is kept: a whole number of days, a multiple of 24 from 24 (1 day) to
     * 1080 (45 days). Updated in place.
     * @default the service's current value; unset or removed: not managed
     */
    backupRetentionPeriodInHours?: number;
    /**
     * Time of day the daily backup starts, `HH:MM` in UTC. Setting it makes the period 24 hours.
     * Updated in place.
     * @default unset: backups run every `backupPeriodInHours`; removing it keeps the current start time
     */
    backupStartTime?: string;
};

/** Arguments of {@link BackupConfiguration}: {@link BackupConfigurationInputs}, each a `pulumi.Input`. */
export type BackupConfigurationArgs = ArgsOf<BackupConfigurationInputs>;

/** Outputs: the configuration as the API reports it. */
export type BackupConfigurationOutputs = BackupConfigurationInputs;

/** One row per argument; the three settings are the API's own (`api`), unset means "not managed". */
const PROPERTIES = {
    serviceId: { change: "replace", inputOnly: true, unset: "required", doc: "Id of the service." },
    backupPeriodInHours: { change: "update", api: true, doc: "Hours between backups." },
    backupRetentionPeriodInHours: { change: "update", api: true, doc: "Hours backups are kept." },
    backupStartTime: { change: "update", api: true, doc: "Daily start time HH:MM UTC." },
} as const satisfies TableOf<BackupConfigurationOutputs>;

/** The settings, as the API names them. */
const FIELDS = apiKeys(PROPERTIES);
/** Backup periods the API accepts, in hours. */
export const BACKUP_PERIODS = [6, 8, 12, 16, 20, 24, 36, 48] as const;

/** Validates the inputs; no API call (tier and primary are checked in create/update). */
export function checkBackupConfiguration(_olds: Record<string, unknown>, news: Record<string, unknown>): OwnedCheckResult {
    const v = ownedInputsValidator(RESOURCE, news, argumentKeys(PROPERTIES));
    if (!v.skip("backupPeriodInHours")) {
        const p = news.backupPeriodInHours;
        if (typeof p !== "number" || !BACKUP_PERIODS.some((accepted) => accepted === p)) {
            v.fail("backupPeriodInHours", `"backupPeriodInHours" is ${show(p)}; accepted values (hours): ${BACKUP_PERIODS.join(", ")}.`);
        }
    }
    v.number("backupRetentionPeriodInHours", { min: 24, max: 1080, multipleOf: 24, integer: true, unit: "hours" });
    v.string("backupStartTime", { pattern: HH_MM, patternText: 'a UTC time of day "HH:MM", e.g. "02:30"' });
    const start = news.backupStartTime;
    const period = news.backupPeriodInHours;
    if (typeof start === "string" && typeof period === "number" && period !== 24) {
        v.fail(
            "backupPeriodInHours",
            `"backupPeriodInHours" is ${period} but "backupStartTime" is ${show(start)}; a start time makes backups daily, so the period must be 24 or unset.`,
        );
    }
    if (!FIELDS.some((f) => news[f] !== undefined && news[f] !== null)) {
        v.fail(
            "backupRetentionPeriodInHours",
            `set at least one of ${FIELDS.join(", ")}; a BackupConfiguration without settings manages nothing.`,
        );
    }
    return { inputs: news, failures: v.failures };
}

/** `serviceId` replaces; the three settings update in place; an unset setting is not managed (never a change). */
export function diffBackupConfiguration(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    return diffBySpec(olds, news, diffSpecOf(PROPERTIES));
}

function outputsOf(cfg: ApiBackupConfiguration, inputs: BackupConfigurationInputs): BackupConfigurationOutputs {
    return compact({ serviceId: inputs.serviceId, ...pickSet(cfg, FIELDS), ...hiddenOf(inputs) });
}

/** Refuses, before any change, a service the API would refuse: development tier, or a secondary warehouse service. */
async function requireBackupCapableService(serviceId: string): Promise<void> {
    const client = apiClient();
    const svc = await requireService(client, RESOURCE, serviceId, { recent: true });
    if (isDevelopment(svc)) {
        throw resourceError(
            RESOURCE,
            `${describeService(svc, serviceId)} is a development-tier service; the API refuses backup configuration changes for it. Remove this BackupConfiguration or use a production service.`,
        );
    }
    if (svc.isPrimary === false) {
        throw resourceError(
            RESOURCE,
            `${describeService(svc, serviceId)} is not the primary service of data warehouse ${svc.dataWarehouseId ?? "(unknown)"}; backups are configured on the warehouse's primary service. Point "serviceId" at the primary service.`,
        );
    }
}

/** Checks the service, PATCHes the managed settings and reports what the API applied. Shared by create and update. */
async function apply(inputs: BackupConfigurationInputs): Promise<BackupConfigurationOutputs> {
    await requireBackupCapableService(inputs.serviceId);
    const result = await patchBackupConfiguration(apiClient(), inputs.serviceId, pickSet(inputs, FIELDS));
    return outputsOf(result ?? {}, inputs);
}

/** The CRUD of `clickhouse:BackupConfiguration` as the runtime dispatches it. */
export const backupConfigurationHandlers = engineHandlers<BackupConfigurationInputs, BackupConfigurationOutputs>({
    check: async (olds, news) => ({ inputs: news, failures: checkBackupConfiguration(olds, news).failures }),
    diff: async (id, olds, news) => diffBackupConfiguration(id, olds, news),
    create: async (inputs) => ({ id: inputs.serviceId, outs: await apply(inputs) }),
    update: async (_id, _olds, news) => ({ outs: await apply(news) }),
    read: async (id, props) => {
        const serviceId = props?.serviceId ?? id;
        const cfg = await findBackupConfiguration(apiClient(), serviceId);
        if (!cfg) return GONE;
        const outs = outputsOf(cfg, { ...props, serviceId });
        return { id, props: outs, inputs: outs };
    },
    // Resets each setting to the API's default; a service that is gone has nothing to reset.
    delete: async (id, props) => {
        await ignoreNotFound(() => resetBackupConfiguration(apiClient(), props?.serviceId ?? id));
    },
});

/**
 * Backup schedule and retention of a ClickHouse Cloud service.
 *
 * Only the settings you set are managed. Deleting the resource resets all three settings to
 * the API's defaults. The service must be a production-class, primary service: a development
 * service or a secondary service of a data warehouse gets a clear error before any change.
 */
export class BackupConfiguration extends ClickHouseResource {
    /** Id of the service. */
    declare readonly serviceId: pulumi.Output<string>;
    /** Hours between backups, as the API reports it. */
    declare readonly backupPeriodInHours: pulumi.Output<number | undefined>;
    /** Hours backups are kept. */
    declare readonly backupRetentionPeriodInHours: pulumi.Output<number | undefined>;
    /** Daily start time `HH:MM` UTC, if set. */
    declare readonly backupStartTime: pulumi.Output<string | undefined>;

    constructor(name: string, args: BackupConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
        super("BackupConfiguration", name, { ...outputPlaceholders(PROPERTIES), ...args }, opts);
    }
}
