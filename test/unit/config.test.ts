import {
    ConfigError,
    DEFAULT_API_URL,
    currentConfig,
    isLoopbackHost,
    normalizeApiUrl,
    resolveConfig,
    setStackConfig,
} from "../../provider/config";

const ORG = "7c0f5e1a-4d1b-4c8e-9a55-000000000001";
const stack = (m: Record<string, string>) => ({ get: (k: string) => m[k] });

function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
}

describe("resolveConfig", () => {
    const full = { "clickhouse:organizationId": ORG, "clickhouse:tokenKey": "kid", "clickhouse:tokenSecret": "ksecret" };

    it("reads the stack config and defaults the URL to the real API", () => {
        expect(resolveConfig(stack(full), {})).toEqual({
            apiUrl: DEFAULT_API_URL,
            organizationId: ORG,
            keyId: "kid",
            keySecret: "ksecret",
        });
    });

    it("falls back to the environment, per value", () => {
        const cfg = resolveConfig(stack({ "clickhouse:organizationId": ORG }), {
            CLICKHOUSE_TOKEN_KEY: "envkid",
            CLICKHOUSE_TOKEN_SECRET: "envsecret",
            CLICKHOUSE_API_URL: "http://127.0.0.1:8123/",
        });
        expect(cfg).toEqual({ apiUrl: "http://127.0.0.1:8123", organizationId: ORG, keyId: "envkid", keySecret: "envsecret" });
    });

    it("prefers the stack config over the environment", () => {
        const cfg = resolveConfig(stack({ ...full, "clickhouse:apiUrl": "https://stack.example" }), {
            CLICKHOUSE_ORG_ID: "00000000-0000-0000-0000-000000000000",
            CLICKHOUSE_TOKEN_KEY: "envkid",
            CLICKHOUSE_API_URL: "https://env.example",
        });
        expect(cfg.organizationId).toBe(ORG);
        expect(cfg.keyId).toBe("kid");
        expect(cfg.apiUrl).toBe("https://stack.example");
    });

    it.each([
        ["CLICKHOUSE_TOKEN_KEY / CLICKHOUSE_TOKEN_SECRET", { CLICKHOUSE_TOKEN_KEY: "a", CLICKHOUSE_TOKEN_SECRET: "b" }],
        ["CLICKHOUSE_CLOUD_API_KEY / CLICKHOUSE_CLOUD_API_SECRET", { CLICKHOUSE_CLOUD_API_KEY: "a", CLICKHOUSE_CLOUD_API_SECRET: "b" }],
    ])("accepts the key from %s", (_name, env) => {
        const cfg = resolveConfig(undefined, { CLICKHOUSE_ORG_ID: ORG, ...env });
        expect([cfg.keyId, cfg.keySecret]).toEqual(["a", "b"]);
    });

    it("lists everything missing in one error, with both ways to set each value", () => {
        const msg = errorOf(() => resolveConfig(undefined, {}));
        expect(msg).toContain("missing organization id, API key id, API key secret");
        expect(msg).toContain("`pulumi config set clickhouse:organizationId <organization id>`");
        expect(msg).toContain("CLICKHOUSE_ORG_ID");
        expect(msg).toContain("`pulumi config set --secret clickhouse:tokenKey <key id>`");
        expect(msg).toContain("CLICKHOUSE_TOKEN_KEY or CLICKHOUSE_CLOUD_API_KEY");
        expect(msg).toContain("`pulumi config set --secret clickhouse:tokenSecret <key secret>`");
        expect(msg).toContain("CLICKHOUSE_TOKEN_SECRET or CLICKHOUSE_CLOUD_API_SECRET");
    });

    it("names only what is missing, and treats blank values as missing", () => {
        const msg = errorOf(() =>
            resolveConfig(stack({ "clickhouse:organizationId": ORG, "clickhouse:tokenKey": "k" }), { CLICKHOUSE_TOKEN_SECRET: "  " }),
        );
        expect(msg).toContain("missing API key secret");
        expect(msg).not.toContain("organizationId");
        expect(msg).not.toContain("tokenKey");
    });

    it("rejects an organization id that is not a UUID, saying what it should look like", () => {
        const msg = errorOf(() => resolveConfig(stack({ ...full, "clickhouse:organizationId": "my-org" }), {}));
        expect(msg).toContain('organization id "my-org" is not a UUID');
        expect(msg).toContain("CLICKHOUSE_ORG_ID");
    });

    it("reports a missing value and a bad URL together", () => {
        const msg = errorOf(() =>
            resolveConfig(undefined, { CLICKHOUSE_ORG_ID: ORG, CLICKHOUSE_TOKEN_KEY: "k", CLICKHOUSE_API_URL: "http://api.example.com" }),
        );
        expect(msg).toContain("missing API key secret");
        expect(msg).toContain("CLICKHOUSE_API_URL");
        expect(msg).toContain("clear text");
    });

    it("never puts the key secret in an error", () => {
        const msg = errorOf(() =>
            resolveConfig(stack({ "clickhouse:tokenSecret": "s3cr3t-value", "clickhouse:organizationId": "bad" }), {}),
        );
        expect(msg).not.toContain("s3cr3t-value");
    });
});

describe("normalizeApiUrl", () => {
    it.each([
        ["https://api.clickhouse.cloud", "https://api.clickhouse.cloud"],
        ["https://api.clickhouse.cloud/", "https://api.clickhouse.cloud"],
        ["https://api.clickhouse.cloud/v1/", "https://api.clickhouse.cloud"],
        ["https://proxy.example.com/clickhouse//", "https://proxy.example.com/clickhouse"],
        ["http://localhost:4000", "http://localhost:4000"],
        ["http://127.0.0.1:4000/", "http://127.0.0.1:4000"],
        ["http://127.1.2.3:4000", "http://127.1.2.3:4000"],
        ["http://[::1]:4000", "http://[::1]:4000"],
    ])("accepts %s as %s", (input, out) => {
        expect(normalizeApiUrl(input)).toBe(out);
    });

    it.each([
        ["http://api.clickhouse.cloud", /clear text/],
        ["http://10.0.0.5:8080", /clear text/],
        ["http://128.0.0.1", /clear text/],
        ["http://localhost.evil.com", /clear text/],
        ["ftp://api.clickhouse.cloud", /must start with https:\/\//],
        ["not a url", /not a valid URL/],
        ["https://user:pw@api.clickhouse.cloud", /must not contain credentials/],
        ["https://api.clickhouse.cloud?x=1", /query string/],
    ])("rejects %s", (input, why) => {
        expect(() => normalizeApiUrl(input)).toThrow(why);
    });

    it.each([
        ["localhost", true],
        ["127.0.0.1", true],
        ["127.255.255.254", true],
        ["[::1]", true],
        ["::1", true],
        ["127.0.0.256", false],
        ["10.0.0.1", false],
        ["example.com", false],
    ])("isLoopbackHost(%s) = %s", (h, ok) => {
        expect(isLoopbackHost(h)).toBe(ok);
    });
});

describe("currentConfig", () => {
    const saved = { ...process.env };
    afterEach(() => {
        process.env = { ...saved };
        setStackConfig(undefined);
    });

    it("uses the stored stack config (a plain map works too) with the environment as fallback", () => {
        process.env.CLICKHOUSE_TOKEN_SECRET = "from-env";
        delete process.env.CLICKHOUSE_API_URL;
        setStackConfig({ "clickhouse:organizationId": ORG, "clickhouse:tokenKey": "k" });
        expect(currentConfig()).toEqual({ apiUrl: DEFAULT_API_URL, organizationId: ORG, keyId: "k", keySecret: "from-env" });
    });

    it("uses the environment alone when configure has not run", () => {
        process.env.CLICKHOUSE_ORG_ID = ORG;
        process.env.CLICKHOUSE_TOKEN_KEY = "k";
        process.env.CLICKHOUSE_TOKEN_SECRET = "s";
        process.env.CLICKHOUSE_API_URL = "http://localhost:1234";
        expect(currentConfig()).toEqual({ apiUrl: "http://localhost:1234", organizationId: ORG, keyId: "k", keySecret: "s" });
    });
});

describe("unknown clickhouse: configuration keys", () => {
    const { unknownConfigKeys, unknownConfigKeysWarning } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../../provider/preflight") as typeof import("../../provider/preflight");
    it.each<[string, Record<string, string>, Array<{ key: string; meant?: string }>]>([
        ["none", { "clickhouse:organizationId": ORG, "clickhouse:tokenKey": "k", "proj:name": "x", "aws:region": "eu-west-1" }, []],
        [
            "a typo, with its likely meaning",
            { "clickhouse:tokenSecrets": "x" },
            [{ key: "clickhouse:tokenSecrets", meant: "clickhouse:tokenSecret" }],
        ],
        ["the wrong case", { "clickhouse:apiurl": "x" }, [{ key: "clickhouse:apiurl", meant: "clickhouse:apiUrl" }]],
        [
            "snake case, and a key of another tool",
            { "clickhouse:organization_id": "x", "clickhouse:password": "x" },
            [
                { key: "clickhouse:organization_id", meant: "clickhouse:organizationId" },
                { key: "clickhouse:password", meant: undefined },
            ],
        ],
    ])("%s", (_name, config, expected) => {
        expect(unknownConfigKeys(config)).toEqual(expected);
    });

    it("the warning names every accepted key and never a value", () => {
        const text = unknownConfigKeysWarning({ "clickhouse:tokenSecrets": "a-secret-value" })!;
        expect(text).toContain("clickhouse:organizationId, clickhouse:tokenKey, clickhouse:tokenSecret, clickhouse:apiUrl");
        expect(text).not.toContain("a-secret-value");
        expect(unknownConfigKeysWarning({ "clickhouse:tokenKey": "k" })).toBeUndefined();
    });
});
