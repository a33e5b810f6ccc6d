/** `checkBackupConfiguration` and `diffBackupConfiguration` as tables. */
import { UNKNOWN } from "../../provider/resources/unknown";
import { BACKUP_PERIODS, checkBackupConfiguration, diffBackupConfiguration } from "../../provider/resources/backupConfiguration";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const failuresOf = (args: Record<string, unknown>) => checkBackupConfiguration({}, { serviceId: SVC, ...args }).failures;

describe("checkBackupConfiguration accepts", () => {
    it.each<[string, Record<string, unknown>]>([
        ...BACKUP_PERIODS.map((p) => [`period ${p}`, { backupPeriodInHours: p }] as [string, Record<string, unknown>]),
        ["retention 24", { backupRetentionPeriodInHours: 24 }],
        ["retention 1080", { backupRetentionPeriodInHours: 1080 }],
        ["start time", { backupStartTime: "02:30" }],
        ["start time with period 24", { backupStartTime: "23:59", backupPeriodInHours: 24 }],
        ["unknowns", { backupStartTime: UNKNOWN, backupPeriodInHours: UNKNOWN }],
    ])("%s", (_name, args) => expect(failuresOf(args)).toEqual([]));
});

describe("checkBackupConfiguration refuses", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["missing serviceId", { serviceId: undefined, backupPeriodInHours: 24 }, "serviceId", ['"serviceId" is required']],
        ["malformed serviceId", { serviceId: "abc", backupPeriodInHours: 24 }, "serviceId", ['"abc"', "UUID"]],
        ["period 10", { backupPeriodInHours: 10 }, "backupPeriodInHours", ["10", "6, 8, 12, 16, 20, 24, 36, 48"]],
        ["period as string", { backupPeriodInHours: "24" }, "backupPeriodInHours", ['"24"', "accepted values"]],
        ["retention not whole days", { backupRetentionPeriodInHours: 36 }, "backupRetentionPeriodInHours", ["36", "multiple of 24"]],
        ["retention too short", { backupRetentionPeriodInHours: 12 }, "backupRetentionPeriodInHours", ["12", "between 24 and 1080"]],
        ["retention too long", { backupRetentionPeriodInHours: 1104 }, "backupRetentionPeriodInHours", ["1104", "between 24 and 1080"]],
        ["start time without minutes", { backupStartTime: "2" }, "backupStartTime", ['"2"', "HH:MM"]],
        ["start time 24:00", { backupStartTime: "24:00" }, "backupStartTime", ['"24:00"', "HH:MM"]],
        [
            "start time with 12 h period",
            { backupStartTime: "01:00", backupPeriodInHours: 12 },
            "backupPeriodInHours",
            ["12", '"01:00"', "must be 24"],
        ],
        ["nothing set", {}, "backupRetentionPeriodInHours", ["at least one of"]],
        [
            "unknown key",
            { backupPeriodInHours: 24, backupRetention: 48 },
            "backupRetention",
            ['unknown property "backupRetention"', "backupRetentionPeriodInHours"],
        ],
    ])("%s", (_name, args, property, words) => {
        const failure = failuresOf(args).find((f) => f.property === property);
        expect(failure).toBeDefined();
        for (const w of words) expect(failure!.reason).toContain(w);
    });
});

describe("diffBackupConfiguration", () => {
    const olds = { serviceId: SVC, backupPeriodInHours: 24, backupRetentionPeriodInHours: 48, backupStartTime: "02:00" };
    it.each<[string, Record<string, unknown>, string[], string[]]>([
        ["same", { ...olds }, [], []],
        ["only retention managed, same", { serviceId: SVC, backupRetentionPeriodInHours: 48 }, [], []],
        ["unset start time is not managed", { serviceId: SVC, backupPeriodInHours: 24 }, [], []],
        ["period in place", { serviceId: SVC, backupPeriodInHours: 12 }, ["backupPeriodInHours"], []],
        ["retention in place", { serviceId: SVC, backupRetentionPeriodInHours: 720 }, ["backupRetentionPeriodInHours"], []],
        ["start time in place", { serviceId: SVC, backupStartTime: "03:15" }, ["backupStartTime"], []],
        [
            "two fields",
            { serviceId: SVC, backupStartTime: "03:15", backupRetentionPeriodInHours: 24 },
            ["backupStartTime", "backupRetentionPeriodInHours"],
            [],
        ],
        [
            "other service replaces",
            { serviceId: "3b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f", backupPeriodInHours: 24 },
            ["serviceId"],
            ["serviceId"],
        ],
        ["unknown service replaces", { serviceId: UNKNOWN }, ["serviceId"], ["serviceId"]],
        ["unknown retention updates", { serviceId: SVC, backupRetentionPeriodInHours: UNKNOWN }, ["backupRetentionPeriodInHours"], []],
    ])("%s", (_name, news, diffs, replaces) => {
        const d = diffBackupConfiguration(SVC, olds, news);
        expect(d.diffs.sort()).toEqual(diffs.sort());
        expect(d.replaces).toEqual(replaces);
    });
});
