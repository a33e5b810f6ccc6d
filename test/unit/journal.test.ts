/**
 * The attempts file (provider/journal.ts) and the orphans command's argument and export parsing:
 * the pieces that make "this stack's interrupted create" provable.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseOrphansArgs, readExport } from "../../provider/cli";
import {
    allInterruptedAttempts,
    attemptsDir,
    beginAttempt,
    clearAttempts,
    finishAttempts,
    interruptedAttempts,
    newAttemptId,
    resetOwnAttempts,
} from "../../provider/journal";
import { captureLogs } from "../../provider/log";
import { creationMarkOf, serviceCreationTag } from "../../provider/resources/service";

const OWNER = "a1b2c3d4e5f60718";
let dir: string;

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    process.env.CLICKHOUSE_ATTEMPTS_DIR = dir;
    resetOwnAttempts();
});
afterEach(() => {
    delete process.env.CLICKHOUSE_ATTEMPTS_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
});

describe("attempts file", () => {
    it("an attempt begun by an earlier process is open until finished; this process's own never is", () => {
        const a = beginAttempt(OWNER, { attempt: newAttemptId(), kind: "Service", resource: "p/dev/db" });
        expect(interruptedAttempts(OWNER, "Service", "p/dev/db")).toEqual([]); // our own, in flight
        resetOwnAttempts(); // the next run's provider process
        expect(interruptedAttempts(OWNER, "Service", "p/dev/db").map((x) => x.attempt)).toEqual([a.attempt]);
        expect(interruptedAttempts(OWNER, "Service", "p/dev/other")).toEqual([]);
        expect(interruptedAttempts(OWNER, "ClickPipe", "p/dev/db")).toEqual([]);
        expect(interruptedAttempts("ffffffffffffffff", "Service", "p/dev/db")).toEqual([]);
        finishAttempts(OWNER, [a.attempt]);
        expect(allInterruptedAttempts(OWNER)).toEqual([]);
        // The file goes when its last attempt does.
        expect(fs.readdirSync(dir)).toEqual([]);
    });

    it("holds no secret and no key id: only ids, resource names and times", () => {
        beginAttempt(OWNER, { attempt: "0123456789ab", kind: "ClickPipe", resource: "p/dev/events", serviceId: "svc-id", name: "events" });
        const text = fs.readFileSync(path.join(dir, `${OWNER}.json`), "utf8");
        expect(Object.keys(JSON.parse(text).attempts[0]).sort()).toEqual(["attempt", "kind", "name", "resource", "serviceId", "startedAt"]);
        clearAttempts(OWNER);
        expect(fs.existsSync(path.join(dir, `${OWNER}.json`))).toBe(false);
    });

    it("an unwritable folder is not an error: no attempt is recorded, and a debug line says why", () => {
        const file = path.join(dir, "not-a-folder");
        fs.writeFileSync(file, "");
        process.env.CLICKHOUSE_ATTEMPTS_DIR = path.join(file, "attempts");
        const logs = captureLogs();
        expect(() => beginAttempt(OWNER, { attempt: newAttemptId(), kind: "Service", resource: "p/dev/db" })).not.toThrow();
        logs.stop();
        resetOwnAttempts();
        expect(interruptedAttempts(OWNER, "Service", "p/dev/db")).toEqual([]);
        expect(logs.entries.some((e) => e.level === "debug" && /cannot write the attempts file/.test(e.message))).toBe(true);
    });

    it("never turns a malformed owner into a path", () => {
        expect(() => beginAttempt("../../etc", { attempt: "x", kind: "Service", resource: "r" })).toThrow(/not an ownership id/);
    });

    it("lives under the user's cache folder by default", () => {
        expect(attemptsDir({ XDG_CACHE_HOME: "/c" })).toBe(path.join("/c", "pulumi-clickhouse-cloud", "attempts"));
        expect(attemptsDir({ CLICKHOUSE_ATTEMPTS_DIR: "/x" })).toBe("/x");
    });
});

describe("creation tag", () => {
    it.each([
        ["p/dev/db", OWNER, "p.dev.db.o-a1b2c3d4e5f60718.a-0123456789ab"],
        ["my proj/prod/svc-1", OWNER, "my_proj.prod.svc-1.o-a1b2c3d4e5f60718.a-0123456789ab"],
    ])("%s carries owner and attempt, and reads back", (creation, owner, value) => {
        const tag = serviceCreationTag({ __creation: creation, __owner: owner }, "0123456789ab");
        expect(tag).toEqual({ key: "pulumi-creation", value });
        expect(value.length).toBeLessThanOrEqual(256);
        expect(creationMarkOf({ tags: [tag!] })).toEqual({ owner, attempt: "0123456789ab" });
    });

    it("an old tag (names and hashes only) carries no mark", () => {
        expect(creationMarkOf({ tags: [{ key: "pulumi-creation", value: "p.dev.db.ef538ec1a7.e1f16ed9" }] })).toBeUndefined();
        expect(creationMarkOf({ tags: [{ key: "team", value: "x.o-a1b2c3d4e5f60718.a-0123456789ab" }] })).toBeUndefined();
    });

    it("a resource name too long for a tag is cut, owner and attempt kept", () => {
        const tag = serviceCreationTag({ __creation: `p/dev/${"n".repeat(400)}`, __owner: OWNER }, "0123456789ab")!;
        expect(tag.value!.length).toBeLessThanOrEqual(256);
        expect(creationMarkOf({ tags: [tag] })).toEqual({ owner: OWNER, attempt: "0123456789ab" });
    });
});

describe("orphans command", () => {
    it.each([
        [["--stack", "dev"], { stack: "dev", owners: [], delete: false }],
        [["--owner", "o-a1b2c3d4e5f60718", "--delete"], { owners: [OWNER], delete: true }],
        [["--file", "x.json"], { file: "x.json" }],
    ])("parses %j", (argv, expected) => {
        expect(parseOrphansArgs(argv)).toMatchObject(expected);
    });

    it.each([
        [[], /give --stack NAME, --file EXPORT.json or --owner ID/],
        [["--owner", "xyz"], /--owner "xyz" is not an ownership id \(16 hexadecimal digits/],
        [["--stack"], /--stack needs a value/],
        [["--stack", "a", "--file", "b"], /not both/],
        [["--bogus"], /unknown argument "--bogus"/],
    ])("refuses %j", (argv, message) => {
        expect(() => parseOrphansArgs(argv)).toThrow(message);
    });

    it("reads the ownership id and the ids in the state from an export", () => {
        const doc = {
            deployment: {
                resources: [
                    { type: "pulumi:pulumi:Stack", urn: "s" },
                    { type: "pulumi-nodejs:dynamic/clickhouse:StackOwnership", id: OWNER, outputs: { ownerId: OWNER } },
                    { type: "pulumi-nodejs:dynamic/clickhouse:Service", id: "svc-1" },
                    { type: "pulumi-nodejs:dynamic/clickhouse:ClickPipe", id: "pipe-1" },
                    { type: "aws:s3/bucket:Bucket", id: "not-ours" },
                ],
            },
        };
        const view = readExport(doc);
        expect(view.owners).toEqual([OWNER]);
        expect([...view.known].sort()).toEqual(["pipe-1", "svc-1"]);
    });

    it("reads the plugin face's ownership id from its provider's inputs, and its objects as known", () => {
        const doc = {
            deployment: {
                resources: [
                    { type: "pulumi:providers:clickhouse-cloud", id: "p-1", inputs: { apiUrl: "u", __owner: OWNER } },
                    { type: "pulumi:providers:clickhouse", id: "p-2", inputs: { __owner: "00000000000000ff" } },
                    { type: "clickhouse-cloud:index:Service", id: "svc-2" },
                ],
            },
        };
        const view = readExport(doc);
        expect(view.owners).toEqual([OWNER]);
        expect([...view.known]).toEqual(["svc-2"]);
    });
});
