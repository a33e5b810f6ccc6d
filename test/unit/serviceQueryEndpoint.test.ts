/** `checkServiceQueryEndpoint` and `diffServiceQueryEndpoint` as tables. */
import { UNKNOWN } from "../../provider/resources/unknown";
import { captureLogs } from "../../provider/log";
import { checkServiceQueryEndpoint, diffServiceQueryEndpoint } from "../../provider/resources/serviceQueryEndpoint";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const base = { serviceId: SVC, roles: ["sql_console_read_only"], openApiKeys: ["emulatorKeyId0000001"] };
const failuresOf = (args: Record<string, unknown>) => checkServiceQueryEndpoint({}, { ...base, ...args }).failures;

describe("checkServiceQueryEndpoint accepts", () => {
    it.each<[string, Record<string, unknown>]>([
        ["minimal", {}],
        ["both roles", { roles: ["sql_console_admin", "sql_console_read_only"] }],
        ["several keys", { openApiKeys: ["key-1", "key_2", "KEY3"] }],
        ["allowed origins", { allowedOrigins: "app.example.com,admin.example.com" }],
        ["one origin", { allowedOrigins: "https://app.example.com" }],
        ["unknown list", { roles: UNKNOWN, openApiKeys: [UNKNOWN] }],
    ])("%s", (_name, args) => expect(failuresOf(args)).toEqual([]));
});

describe("checkServiceQueryEndpoint refuses", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["missing serviceId", { serviceId: undefined }, "serviceId", ['"serviceId" is required']],
        ["missing roles", { roles: undefined }, "roles", ['"roles" is required', "sql_console_read_only"]],
        ["unknown role", { roles: ["admin"] }, "roles[0]", ['"admin"', "sql_console_read_only, sql_console_admin"]],
        ["missing keys", { openApiKeys: undefined }, "openApiKeys", ['"openApiKeys" is required', "API key ids"]],
        ["key with a colon (id:secret)", { openApiKeys: ["id:secret"] }, "openApiKeys[0]", ["API key id", '"id"', "never the secret"]],
        ["roles not a list", { roles: "sql_console_admin" }, "roles", ["must be a list"]],
        ["origins not a string", { allowedOrigins: ["a.com"] }, "allowedOrigins", ["must be a string"]],
        ["unknown key", { origins: "a.com" }, "origins", ['unknown property "origins"', "allowedOrigins"]],
    ])("%s", (_name, args, property, words) => {
        const failure = failuresOf(args).find((f) => f.property === property);
        expect(failure).toBeDefined();
        for (const w of words) expect(failure!.reason).toContain(w);
        expect(failure!.reason).not.toContain(":secret");
    });
});

describe("checkServiceQueryEndpoint warns, and does not refuse, where no official source confirms the rule (issue 12)", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["empty roles", { roles: [] }, "roles", ['"roles" is empty']],
        ["duplicate role", { roles: ["sql_console_admin", "sql_console_admin"] }, "roles", ["duplicates"]],
        ["empty keys", { openApiKeys: [] }, "openApiKeys", ['"openApiKeys" is empty']],
        ["key with a slash", { openApiKeys: ["a/b"] }, "openApiKeys[0]", ['"a/b"', "API key id"]],
        ["origins with spaces", { allowedOrigins: "a.com, b.com" }, "allowedOrigins", ['"a.com, b.com"', "without spaces"]],
    ])("%s", (_name, args, property, words) => {
        const logs = captureLogs();
        let failures;
        try {
            failures = failuresOf(args);
        } finally {
            logs.stop();
        }
        expect(failures.filter((f) => f.property === property)).toEqual([]);
        const warning = logs.entries.find((e) => e.level === "warning" && e.message.includes(`"${property}"`));
        expect(warning).toBeDefined();
        for (const w of words) expect(warning!.message).toContain(w);
        expect(warning!.message).toMatch(/^clickhouse:\w+: .*warning only/);
    });
});

describe("diffServiceQueryEndpoint", () => {
    const olds = {
        ...base,
        roles: ["sql_console_read_only", "sql_console_admin"],
        openApiKeys: ["k1", "k2"],
        allowedOrigins: "a.com",
        endpointId: "e1",
    };
    it.each<[string, Record<string, unknown>, string[], string[]]>([
        ["same", { ...olds }, [], []],
        ["roles reordered", { ...olds, roles: ["sql_console_admin", "sql_console_read_only"] }, [], []],
        ["keys reordered", { ...olds, openApiKeys: ["k2", "k1"] }, [], []],
        ["role removed", { ...olds, roles: ["sql_console_admin"] }, ["roles"], []],
        ["key added", { ...olds, openApiKeys: ["k1", "k2", "k3"] }, ["openApiKeys"], []],
        ["origins changed", { ...olds, allowedOrigins: "b.com" }, ["allowedOrigins"], []],
        ["origins removed", { ...olds, allowedOrigins: undefined }, ["allowedOrigins"], []],
        ["other service replaces", { ...olds, serviceId: "3b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f" }, ["serviceId"], ["serviceId"]],
        ["unknown roles", { ...olds, roles: UNKNOWN }, ["roles"], []],
        ["unknown service", { ...olds, serviceId: UNKNOWN }, ["serviceId"], ["serviceId"]],
    ])("%s", (_name, news, diffs, replaces) => {
        const d = diffServiceQueryEndpoint("e1", olds, news);
        expect(d.diffs.sort()).toEqual(diffs.sort());
        expect(d.replaces).toEqual(replaces);
    });
});
