/**
 * The plugin face: the six resources as a Pulumi plugin provider (`pulumi-resource-clickhouse-cloud`),
 * for programs in any language and for `pulumi import`. It is a thin face over the same handlers
 * the dynamic face's runtime dispatches to ({@link handlers}: check, diff and CRUD, with the
 * run-state guard): this file only maps type tokens to resource kinds, secrets on the wire
 * (./secrets.ts) and the provider configuration to the settings config.ts reads. The read
 * functions (`invoke`) are the ones of provider/functions.ts, called by ./functions.ts.
 */
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import { setStackConfig } from "../config";
import { OWNER_ID } from "../journal";
import { OWNED_KINDS, OWNER_KEY } from "../resources/hidden";
import { ResourceInitError } from "../resources/partialFailure";
import { newOwnerId } from "../resources/stackOwnership";
import { handlers } from "../runtime";
import { FUNCTION_TOKENS, invokeFunction } from "./functions";
import { markSecrets, unwrapSecrets } from "./secrets";
import { PACKAGE, PLUGIN_KINDS, parseUrn, tokenOf, type PluginKind } from "./tokens";
import SCHEMA from "./schema.json";

export { FUNCTION_TOKENS, PACKAGE, PLUGIN_KINDS, parseUrn, tokenOf };
export type { PluginKind };

const KINDS = new Map<string, PluginKind>(PLUGIN_KINDS.map((k) => [tokenOf(k), k]));

/** The kind of the resource a URN names; an unknown type is an error that says which. */
export function kindOf(urn: string): PluginKind {
    const { type } = parseUrn(urn);
    const kind = KINDS.get(type);
    if (!kind)
        throw new Error(`${PACKAGE}: unknown resource type "${type}" (${urn}); this provider serves ${[...KINDS.keys()].join(", ")}.`);
    return kind;
}

type Values = Record<string, unknown>;

/**
 * The provider's checked inputs (`CheckConfig`): the configuration as given, plus the stack
 * instance's ownership id under `__owner` (docs/ownership.md). It is the plugin face's
 * `clickhouse:StackOwnership` record: the id is kept from the provider's inputs in the state
 * (`olds`), and a provider that has none (a new stack, or one deployed before this) draws a new
 * one. The engine records the provider, with this input, before it creates any resource that uses
 * it, and drops it with the stack's last resource, so a stack removed and initialised again, or
 * destroyed and deployed again, gets a new id. An `__owner` in the configuration is not taken:
 * the id is never something a program can choose.
 */
export function checkProviderConfig(olds: Values | undefined, news: Values | undefined): Values {
    const kept = olds?.[OWNER_KEY];
    return { ...(news ?? {}), [OWNER_KEY]: typeof kept === "string" && OWNER_ID.test(kept) ? kept : newOwnerId() };
}

/**
 * The provider's configuration change (`DiffConfig`): the keys whose value differs. A change never
 * replaces the provider (a new API key or URL reaches the same objects), so resources are never
 * replaced because of it. A stack deployed before the ownership id shows `__owner` once, as an
 * update of its provider.
 */
export function diffProviderConfig(olds: Values | undefined, news: Values | undefined): string[] {
    const o = olds ?? {};
    const n = news ?? {};
    const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])].sort();
    return keys.filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]));
}

/** The ownership id the engine configured this provider with; undefined before `configure`. */
let configuredOwner: string | undefined;

/**
 * The provider configuration as the engine sends it to `Configure`: the variables
 * (`clickhouse-cloud:config:apiUrl`, or `clickhouse-cloud:apiUrl`) and the provider's inputs
 * (`apiUrl`), mapped to the `clickhouse:` keys config.ts reads. The environment stays the fallback.
 * The inputs' `__owner` ({@link checkProviderConfig}) is the ownership id Service and ClickPipe
 * checks add.
 */
export function configure(variables: Record<string, string | undefined> = {}, args: Values = {}): void {
    const config: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(variables)) {
        const m = new RegExp(`^${PACKAGE}:(?:config:)?(.+)$`).exec(key);
        if (m && value !== undefined && m[1] !== OWNER_KEY) config[`clickhouse:${m[1]}`] = value;
    }
    const { [OWNER_KEY]: owner, ...rest } = unwrapSecrets(args);
    for (const [key, value] of Object.entries(rest)) {
        if (typeof value === "string" && value !== "") config[`clickhouse:${key}`] = value;
    }
    configuredOwner = typeof owner === "string" && OWNER_ID.test(owner) ? owner : undefined;
    setStackConfig(config);
}

/** `<project>/<stack>/<name>`: the creation mark the dynamic face's resource classes add. */
function creationOf(urn: string): string {
    const { project, stack, name } = parseUrn(urn);
    return `${project}/${stack}/${name}`;
}

/**
 * A partial failure (the object exists, the step failed) with its properties' secrets wrapped: the
 * SDK's server records `properties` in the state as they are. Any other error is passed on.
 */
export function secretFailure(token: string, e: unknown): unknown {
    if (!(e instanceof ResourceInitError)) return e;
    const failure = new ResourceInitError(e.id, markSecrets(token, e.properties ?? {}, "outputs"), e.reasons);
    failure.stack = e.stack;
    return failure;
}

/**
 * The plugin provider: each resource method finds the kind from the URN and calls the shared
 * handlers; `invoke` calls the read function the token names.
 */
export class ClickHouseCloudProvider implements pulumiProvider.Provider {
    readonly version: string;

    constructor(version: string) {
        this.version = version;
    }

    async getSchema(): Promise<string> {
        return JSON.stringify({ ...SCHEMA, version: this.version });
    }

    async check(urn: string, olds: Values, news: Values): Promise<pulumiProvider.CheckResult> {
        const kind = kindOf(urn);
        const given = unwrapSecrets(news ?? {});
        // The hidden inputs the dynamic face's classes add: the creation mark, from the URN (it names
        // the same program and resource), and for the kinds that resume interrupted creates the
        // ownership id from the provider's inputs.
        const hidden: Values = { __creation: creationOf(urn) };
        if (OWNED_KINDS.includes(kind) && configuredOwner) hidden[OWNER_KEY] = configuredOwner;
        const result = await handlers(kind).check(unwrapSecrets(olds ?? {}), { ...given, ...hidden });
        return { inputs: markSecrets(tokenOf(kind), (result.inputs ?? given) as Values, "inputs"), failures: result.failures ?? [] };
    }

    async diff(id: string, urn: string, olds: Values, news: Values): Promise<pulumiProvider.DiffResult> {
        return handlers(kindOf(urn)).diff(id, unwrapSecrets(olds ?? {}), unwrapSecrets(news ?? {}));
    }

    async create(urn: string, inputs: Values): Promise<pulumiProvider.CreateResult> {
        const kind = kindOf(urn);
        try {
            const result = await handlers(kind).create(unwrapSecrets(inputs ?? {}));
            return { id: result.id, outs: markSecrets(tokenOf(kind), (result.outs ?? {}) as Values, "outputs") };
        } catch (e) {
            throw secretFailure(tokenOf(kind), e);
        }
    }

    async read(id: string, urn: string, props?: Values): Promise<pulumiProvider.ReadResult> {
        const kind = kindOf(urn);
        const result = await handlers(kind).read(id, unwrapSecrets(props ?? {}));
        if (!result.id) return { id: "", props: {} };
        return {
            id: result.id,
            props: markSecrets(tokenOf(kind), (result.props ?? {}) as Values, "outputs"),
            inputs: result.inputs === undefined ? undefined : markSecrets(tokenOf(kind), result.inputs as Values, "inputs"),
        };
    }

    async update(id: string, urn: string, olds: Values, news: Values): Promise<pulumiProvider.UpdateResult> {
        const kind = kindOf(urn);
        try {
            const result = await handlers(kind).update(id, unwrapSecrets(olds ?? {}), unwrapSecrets(news ?? {}));
            return { outs: markSecrets(tokenOf(kind), (result.outs ?? {}) as Values, "outputs") };
        } catch (e) {
            throw secretFailure(tokenOf(kind), e);
        }
    }

    async delete(id: string, urn: string, props: Values): Promise<void> {
        await handlers(kindOf(urn)).delete(id, unwrapSecrets(props ?? {}));
    }

    /**
     * A read function (`clickhouse-cloud:index:getService`, ...) with the provider's configuration
     * as its credentials. An unknown token or a bad argument is an error that says which, before
     * any API call; the outputs are plain JSON as the schema describes them, secrets wrapped.
     */
    async invoke(token: string, inputs: Values): Promise<pulumiProvider.InvokeResult> {
        return { outputs: await invokeFunction(token, inputs) };
    }
}
