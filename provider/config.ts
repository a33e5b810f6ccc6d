/**
 * Where the provider's credentials and API URL come from: the stack configuration handed to the
 * provider's `configure` (secrets decrypted), else the environment. Nothing here is ever
 * captured into the serialized provider: resources call {@link currentConfig} at run time.
 */

/** Everything needed to talk to one organization of the ClickHouse Cloud API. */
export interface ProviderConfig {
    /** Base URL of the API without `/v1` and without a trailing slash. */
    apiUrl: string;
    /** Organization id (a UUID). */
    organizationId: string;
    /** API key id (the Basic auth user). */
    keyId: string;
    /** API key secret (the Basic auth password). */
    keySecret: string;
}

/** Read access to the stack configuration, keys like `clickhouse:organizationId`. */
export interface StackConfig {
    get(key: string): string | undefined;
}

/** The real ClickHouse Cloud API. */
export const DEFAULT_API_URL = "https://api.clickhouse.cloud";

/** A configuration problem a person has to fix; the message says what and how. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

interface Setting {
    field: keyof ProviderConfig;
    what: string;
    stackKey: string;
    envVars: string[];
    secret?: boolean;
    placeholder: string;
}

const SETTINGS: Setting[] = [
    {
        field: "organizationId",
        what: "organization id",
        stackKey: "clickhouse:organizationId",
        envVars: ["CLICKHOUSE_ORG_ID"],
        placeholder: "<organization id>",
    },
    {
        field: "keyId",
        what: "API key id",
        stackKey: "clickhouse:tokenKey",
        envVars: ["CLICKHOUSE_TOKEN_KEY", "CLICKHOUSE_CLOUD_API_KEY"],
        // Not a secret, but the Pulumi CLI refuses a plain value that looks like one (a key id does).
        secret: true,
        placeholder: "<key id>",
    },
    {
        field: "keySecret",
        what: "API key secret",
        stackKey: "clickhouse:tokenSecret",
        envVars: ["CLICKHOUSE_TOKEN_SECRET", "CLICKHOUSE_CLOUD_API_SECRET"],
        secret: true,
        placeholder: "<key secret>",
    },
];

const API_URL_SETTING = { stackKey: "clickhouse:apiUrl", envVar: "CLICKHOUSE_API_URL" };

/** Every `clickhouse:` stack configuration key the provider reads. */
export const CONFIG_KEYS: readonly string[] = [...SETTINGS.map((s) => s.stackKey), API_URL_SETTING.stackKey];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function howToSet(s: Setting): string {
    const cmd = `pulumi config set${s.secret ? " --secret" : ""} ${s.stackKey} ${s.placeholder}`;
    const env = s.envVars.join(" or ");
    return `  - ${s.what}: run \`${cmd}\`, or set the environment variable ${env}`;
}

function nonEmpty(v: string | undefined): string | undefined {
    if (v === undefined || v === null) return undefined;
    const t = String(v).trim();
    return t === "" ? undefined : t;
}

/**
 * Checks an API base URL: https to any host, http only to a loopback host (an emulator on this
 * machine), because Basic auth would send the key secret in clear text. Returns it without
 * trailing slashes and without a trailing `/v1` (the client adds `/v1`).
 */
export function normalizeApiUrl(raw: string, source = "apiUrl"): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new ConfigError(`${source} "${raw}" is not a valid URL; expected e.g. ${DEFAULT_API_URL}`);
    }
    if (url.username || url.password) {
        throw new ConfigError(`${source} must not contain credentials; set the API key with clickhouse:tokenKey/tokenSecret instead`);
    }
    if (url.search || url.hash) {
        throw new ConfigError(`${source} "${raw}" must not contain a query string or fragment`);
    }
    if (url.protocol === "http:") {
        if (!isLoopbackHost(url.hostname)) {
            throw new ConfigError(
                `${source} "${raw}" uses http:// to a non-loopback host; the API key secret would be sent in clear text. ` +
                    `Use https://, or http:// only for localhost, 127.0.0.0/8 or [::1] (a local emulator).`,
            );
        }
    } else if (url.protocol !== "https:") {
        throw new ConfigError(`${source} "${raw}" must start with https:// (or http:// for a loopback emulator)`);
    }
    let out = `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, "");
    if (out.endsWith("/v1")) out = out.slice(0, -3);
    return out;
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
    const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
    if (h === "localhost" || h.endsWith(".localhost")) return true;
    if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
    const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
    return !!m && m.slice(1).every((p) => Number(p) <= 255);
}

/**
 * Resolves the configuration: each value from the stack config if set there, else from the
 * environment. Throws one {@link ConfigError} listing every missing or invalid value and both
 * ways to set it.
 */
export function resolveConfig(stack: StackConfig | undefined, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
    const problems: string[] = [];
    const values: Partial<ProviderConfig> = {};
    const missing: Setting[] = [];
    for (const s of SETTINGS) {
        let v = nonEmpty(stack?.get(s.stackKey));
        for (const e of s.envVars) v = v ?? nonEmpty(env[e]);
        if (v === undefined) missing.push(s);
        else values[s.field] = v;
    }
    if (missing.length > 0) {
        problems.push(
            `missing ${missing.map((s) => s.what).join(", ")}. Set ${missing.length === 1 ? "it" : "each"} in the stack configuration or the environment:`,
            ...missing.map(howToSet),
        );
    }
    if (values.organizationId !== undefined && !UUID.test(values.organizationId)) {
        problems.push(
            `organization id "${values.organizationId}" is not a UUID (like 7c0f5e1a-4d1b-4c8e-9a55-000000000001); ` +
                `copy it from the ClickHouse Cloud console (Organization > Settings) into clickhouse:organizationId or CLICKHOUSE_ORG_ID`,
        );
    }
    const stackUrl = nonEmpty(stack?.get(API_URL_SETTING.stackKey));
    const envUrl = nonEmpty(env[API_URL_SETTING.envVar]);
    const rawUrl = stackUrl ?? envUrl ?? DEFAULT_API_URL;
    const urlSource = stackUrl ? API_URL_SETTING.stackKey : envUrl ? API_URL_SETTING.envVar : "apiUrl";
    try {
        values.apiUrl = normalizeApiUrl(rawUrl, urlSource);
    } catch (e) {
        problems.push((e as Error).message);
    }
    if (problems.length > 0) {
        throw new ConfigError(`ClickHouse Cloud provider configuration: ${problems.join("\n")}`);
    }
    return values as ProviderConfig;
}

let stackConfig: StackConfig | undefined;

/** Stores the stack configuration received by the provider's `configure`. */
export function setStackConfig(stack: StackConfig | Record<string, string | undefined> | undefined): void {
    if (stack === undefined || stack === null) {
        stackConfig = undefined;
    } else if (typeof (stack as StackConfig).get === "function") {
        stackConfig = stack as StackConfig;
    } else {
        const map = stack as Record<string, string | undefined>;
        stackConfig = { get: (k) => map[k] };
    }
}

/** The configuration in force: the stored stack configuration with the environment as fallback. */
export function currentConfig(): ProviderConfig {
    return resolveConfig(stackConfig, process.env);
}
