import { createHash } from "crypto";
import type { Backup, BackupConfiguration } from "../provider/api/types";
import { Handler } from "./context";
import { Core } from "./core";
import { badRequest, notFound } from "./errors";
import { requireUuid, stableUuid } from "./ids";
import * as S from "./schemas";
import { BackupSettings, ServiceRecord } from "./store";
import { validate } from "./validation";

const HOUR = 3600_000;
const DEFAULT_BACKUP: BackupSettings = { backupPeriodInHours: 24, backupRetentionPeriodInHours: 24 };
/** Periods the official Terraform provider accepts (api-facts); the spec states none. */
export const BACKUP_PERIODS = [6, 8, 12, 16, 20, 24, 36, 48];

/** A synthesized backup: `Backup` with the fields the emulator always answers. */
export type BackupView = Required<
    Pick<Backup, "id" | "status" | "serviceId" | "startedAt" | "sizeInBytes" | "durationInSeconds" | "type">
> &
    Pick<Backup, "finishedAt">;

/**
 * Backups are synthesized, newest first, from the configuration and the service's age: one when the
 * service first ran, then one per period (or daily at `backupStartTime`), kept for the retention period.
 * Backup time is calendar time on the virtual clock (not scaled by speed): advance the clock to see more.
 */
export function synthesizeBackups(core: Core, svc: ServiceRecord): BackupView[] {
    if (!svc.isPrimary) return [];
    const now = core.now();
    const first = svc.createdAt + core.durationMs("provisioning");
    const periodMs = (svc.backup.backupStartTime ? 24 : svc.backup.backupPeriodInHours) * HOUR;
    const times: number[] = [];
    if (first <= now) times.push(first);
    let anchor = first + periodMs;
    if (svc.backup.backupStartTime) {
        const [h, m] = svc.backup.backupStartTime.split(":").map(Number);
        const day = new Date(first);
        anchor = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m);
        if (anchor <= first) anchor += 24 * HOUR;
    }
    const oldest = now - svc.backup.backupRetentionPeriodInHours * HOUR;
    let k = Math.max(0, Math.ceil((oldest - anchor) / periodMs));
    for (let t = anchor + k * periodMs; t <= now; k++, t = anchor + k * periodMs) times.push(t);
    const kept = times.filter((t, i) => t >= oldest || i === times.length - 1);
    return kept.reverse().map((t) => backupAt(svc, t, now, t === first));
}

function backupAt(svc: ServiceRecord, t: number, now: number, isFirst: boolean): BackupView {
    const h = createHash("sha256").update(`${svc.id}/${t}`).digest();
    const duration = 20 + (h[0] % 100);
    const full = isFirst || h[1] % 4 === 0;
    const b: BackupView = {
        id: stableUuid(`backup/${svc.id}/${t}`),
        status: now >= t + duration * 1000 ? "done" : "in_progress",
        serviceId: svc.id,
        startedAt: new Date(t).toISOString(),
        sizeInBytes: (full ? 50_000_000 : 2_000_000) + (h.readUInt32BE(2) % 10_000_000),
        durationInSeconds: now >= t + duration * 1000 ? duration : Math.floor((now - t) / 1000),
        type: full ? "full" : "incremental",
    };
    if (b.status === "done") b.finishedAt = new Date(t + duration * 1000).toISOString();
    return b;
}

export function findBackup(core: Core, backupId: string): { service: ServiceRecord; backup: BackupView } | undefined {
    for (const service of Object.values(core.data.services)) {
        const backup = synthesizeBackups(core, service).find((b) => b.id === backupId);
        if (backup) return { service, backup };
    }
    return undefined;
}

export const listBackups: Handler = ({ core, params }) => ({ result: synthesizeBackups(core, core.service(params.serviceId)) });

export const getBackup: Handler = ({ core, params }) => {
    const id = requireUuid("backupId", params.backupId);
    const backup = synthesizeBackups(core, core.service(params.serviceId)).find((b) => b.id === id);
    if (!backup) throw notFound(`Backup with id ${id} not found`);
    return { result: backup };
};

function configView(b: BackupSettings): BackupConfiguration {
    return {
        backupPeriodInHours: b.backupStartTime ? 24 : b.backupPeriodInHours,
        backupRetentionPeriodInHours: b.backupRetentionPeriodInHours,
        ...(b.backupStartTime ? { backupStartTime: b.backupStartTime } : {}),
    };
}

function primaryOnly(svc: ServiceRecord) {
    // "only primaries have a backup configuration" (api-facts); the message is inferred.
    if (!svc.isPrimary) throw badRequest(`backup configuration is only available for the primary service of a data warehouse`);
}

export const getBackupConfiguration: Handler = ({ core, params }) => {
    const svc = core.service(params.serviceId);
    primaryOnly(svc);
    return { result: configView(svc.backup) };
};

export const patchBackupConfiguration: Handler = ({ core, params, body }) => {
    validate(S.BackupConfigurationPatchRequest, body);
    const b = body;
    const svc = core.service(params.serviceId);
    if (svc.tier === "development") throw badRequest("cannot update backup configuration for development tier service");
    primaryOnly(svc);
    if (b.backupPeriodInHours !== undefined && b.backupPeriodInHours !== null && !BACKUP_PERIODS.includes(b.backupPeriodInHours))
        throw badRequest(
            `request body.backupPeriodInHours: The value must be one of ${BACKUP_PERIODS.join(", ")} <number:${b.backupPeriodInHours}>`,
        );
    if (
        typeof b.backupStartTime === "string" &&
        b.backupPeriodInHours !== undefined &&
        b.backupPeriodInHours !== null &&
        b.backupPeriodInHours !== 24
    )
        throw badRequest(
            `request body.backupPeriodInHours: with backupStartTime the backup period is 24 hours <number:${b.backupPeriodInHours}>`,
        );
    const next = { ...svc.backup };
    // null resets a field to its default (spec).
    if (b.backupRetentionPeriodInHours !== undefined)
        next.backupRetentionPeriodInHours = b.backupRetentionPeriodInHours ?? DEFAULT_BACKUP.backupRetentionPeriodInHours;
    if (b.backupPeriodInHours !== undefined) {
        next.backupPeriodInHours = b.backupPeriodInHours ?? DEFAULT_BACKUP.backupPeriodInHours;
        if (b.backupStartTime === undefined) delete next.backupStartTime;
    }
    if (b.backupStartTime !== undefined) {
        if (b.backupStartTime === null) delete next.backupStartTime;
        else {
            next.backupStartTime = b.backupStartTime;
            next.backupPeriodInHours = 24;
        }
    }
    svc.backup = next;
    return { result: configView(next) };
};
