import { createHash, randomUUID } from "crypto";
import { Ctx, Handler } from "./context";
import { Core } from "./core";
import { badRequest, notFound } from "./errors";
import { randomString, requireUuid, stableUuid } from "./ids";
import { DEFAULTS } from "./options";
import { REGIONS } from "./schemas";
import { arr, bool, nullable, obj, str, validate } from "./validation";

/**
 * The organization and its API keys: `GET|PATCH /organizations/{id}` and `/keys`. Keys are what
 * the official Terraform provider's `clickhouse_api_key_id` data source reads: it lists the keys
 * and takes the one whose `keySuffix` ends the key id it authenticates with (tf api_keys.go).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON of a request, checked by the OpenAPI validator before use (to be replaced by the generated types)
type Body = Record<string, any>;

// ---- Organization ---------------------------------------------------------------------------------
export function orgView(core: Core, orgId: string) {
    const org = core.data.organization;
    return {
        id: orgId,
        createdAt: new Date(core.data.organizationCreatedAt).toISOString(),
        name: org.name ?? DEFAULTS.organizationName,
        privateEndpoints: core.data.privateEndpoints.map((p) => ({ ...p })),
        byocConfig: [],
        enableCoreDumps: org.enableCoreDumps,
    };
}

const orgEndpoint = obj(
    {
        id: str({ minLength: 1 }),
        description: str(),
        cloudProvider: str({ enum: ["gcp", "aws", "azure"] }),
        region: str({ enum: [...REGIONS.aws, ...REGIONS.gcp, ...REGIONS.azure] }),
    },
    { required: ["id"] },
);
const OrganizationPatchRequest = obj({
    name: str({ minLength: 1, maxLength: 255 }),
    privateEndpoints: obj({ add: arr(orgEndpoint), remove: arr(orgEndpoint) }),
    enableCoreDumps: bool(),
});

export const getOrganization: Handler = ({ core, orgId }) => ({ result: orgView(core, orgId) });
export const listOrganizations: Handler = ({ core, orgId }) => ({ result: [orgView(core, orgId)] });

/** Name, crash reports, private endpoints (`remove` before `add`, as the spec orders them). */
export const patchOrganization: Handler = ({ core, orgId, body }) => {
    validate(OrganizationPatchRequest, body);
    const b = body as Body;
    const org = core.data.organization;
    if (b.name !== undefined) org.name = b.name;
    if (b.enableCoreDumps !== undefined) org.enableCoreDumps = b.enableCoreDumps;
    const matches = (p: Body, e: Body) =>
        p.id === e.id &&
        (e.cloudProvider === undefined || p.cloudProvider === e.cloudProvider) &&
        (e.region === undefined || p.region === e.region);
    for (const e of (b.privateEndpoints?.remove ?? []) as Body[]) {
        const gone = core.data.privateEndpoints.filter((p) => matches(p, e)).map((p) => p.id);
        core.data.privateEndpoints = core.data.privateEndpoints.filter((p) => !matches(p, e));
        // An endpoint that left the organization is no longer attached to its services (inferred).
        for (const svc of Object.values(core.data.services))
            svc.privateEndpointIds = svc.privateEndpointIds.filter((id) => !gone.includes(id));
    }
    for (const e of (b.privateEndpoints?.add ?? []) as Body[]) {
        if (!e.cloudProvider || !e.region)
            throw badRequest("request body.privateEndpoints.add: cloudProvider and region are required to add a private endpoint");
        if (!core.data.privateEndpoints.some((p) => p.id === e.id))
            core.data.privateEndpoints.push({
                id: e.id,
                description: e.description ?? "",
                cloudProvider: e.cloudProvider,
                region: e.region,
            });
    }
    return { result: orgView(core, orgId) };
};

// ---- API keys -------------------------------------------------------------------------------------
/** A key as stored (under `/keys/<id>` of the generic store); the hashes never leave it. */
interface KeyRecord {
    id: string;
    name: string;
    state: "enabled" | "disabled";
    roles: string[];
    assignedRoleIds: string[];
    keySuffix: string;
    createdAt: string;
    expireAt?: string | null;
    usedAt?: string;
    ipAccessList: { source: string; description?: string }[];
    /** base64(sha256(key id)), base64(sha256(secret)) as the spec's `hashData`; absent for the emulator's own key. */
    keyIdHash?: string;
    keySecretHash?: string;
    primary?: boolean;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64");
const PRIMARY_DELETED = "/keys#primary-deleted";
const SYSTEM_ROLES: Record<string, string> = { admin: "Admin", developer: "Developer", query_endpoints: "Query endpoints" };

const ipEntry = obj({ source: str({ minLength: 1 }), description: str() }, { required: ["source"] });
const roles = arr(str({ enum: Object.keys(SYSTEM_ROLES) }), { minItems: 1 });
const ApiKeyPostRequest = obj({
    name: str({ minLength: 1, maxLength: 255 }),
    expireAt: nullable(str()),
    state: str({ enum: ["enabled", "disabled"] }),
    hashData: obj(
        { keyIdHash: str({ minLength: 1 }), keyIdSuffix: str({ minLength: 1, maxLength: 4 }), keySecretHash: str({ minLength: 1 }) },
        { required: ["keyIdHash", "keyIdSuffix", "keySecretHash"] },
    ),
    roles,
    assignedRoleIds: arr(str({ format: "uuid" })),
    ipAccessList: arr(ipEntry),
});
const ApiKeyPatchRequest = obj({
    name: str({ minLength: 1, maxLength: 255 }),
    roles,
    assignedRoleIds: arr(str({ format: "uuid" })),
    expireAt: nullable(str()),
    state: str({ enum: ["enabled", "disabled"] }),
    ipAccessList: arr(ipEntry),
});

function checkExpireAt(v: unknown) {
    if (typeof v === "string" && v !== "" && isNaN(Date.parse(v)))
        throw badRequest(`request body.expireAt: The value must be an ISO-8601 timestamp <string:${v}>`);
}

function keyStore(core: Core) {
    return core.data.generic;
}

/** The emulator's own key (from its options), unless it was deleted. */
function primaryKey(core: Core): KeyRecord | undefined {
    const store = keyStore(core);
    if (store[PRIMARY_DELETED]) return undefined;
    const id = stableUuid(`key/${core.primaryKeyId}`);
    const path = `/keys/${id}`;
    if (!store[path]) {
        const rec: KeyRecord = {
            id,
            name: "Emulator key",
            state: "enabled",
            roles: ["admin"],
            assignedRoleIds: [],
            keySuffix: core.primaryKeyId.slice(-4),
            createdAt: new Date(core.data.organizationCreatedAt).toISOString(),
            ipAccessList: [{ source: "0.0.0.0/0", description: "Anywhere" }],
            primary: true,
        };
        store[path] = { value: rec, createdAt: core.data.organizationCreatedAt };
    }
    return store[path].value as KeyRecord;
}

function keys(core: Core): KeyRecord[] {
    primaryKey(core);
    return Object.entries(keyStore(core))
        .filter(([k]) => /^\/keys\/[^/]+$/.test(k))
        .sort((a, b) => a[1].createdAt - b[1].createdAt)
        .map(([, r]) => r.value as KeyRecord);
}

function keyView(k: KeyRecord) {
    const assignedRoles = [
        ...k.roles.map((r) => ({ roleId: stableUuid(`role/${r}`), roleName: SYSTEM_ROLES[r] ?? r, roleType: "system" })),
        ...k.assignedRoleIds.map((id) => ({ roleId: id, roleType: "custom" })),
    ];
    const v: Body = {
        id: k.id,
        name: k.name,
        state: k.state,
        roles: [...k.roles],
        assignedRoles,
        keySuffix: k.keySuffix,
        createdAt: k.createdAt,
    };
    if (k.expireAt !== undefined) v.expireAt = k.expireAt;
    if (k.usedAt) v.usedAt = k.usedAt;
    v.ipAccessList = k.ipAccessList.map((e) => ({ ...e }));
    return v;
}

const expired = (k: KeyRecord, now: number) => typeof k.expireAt === "string" && k.expireAt !== "" && Date.parse(k.expireAt) <= now;

/**
 * The key a request authenticates with: the emulator's own (id and secret from its options) or a
 * created one (by the hashes of id and secret). Disabled, expired and deleted keys do not count.
 * Returns the key's API id (for the rate limiter and the log) or undefined.
 */
export function keyFor(core: Core, id: string, secretMatchesPrimary: boolean, secret: string): string | undefined {
    const now = core.now();
    if (id === core.primaryKeyId) {
        const p = primaryKey(core);
        return secretMatchesPrimary && p && p.state === "enabled" && !expired(p, now) ? id : undefined;
    }
    const idHash = sha256(id);
    const secretHash = sha256(secret);
    const k = keys(core).find((x) => x.keyIdHash === idHash);
    if (!k || k.keySecretHash !== secretHash || k.state !== "enabled" || expired(k, now)) return undefined;
    // "with one-minute precision" (spec)
    k.usedAt = new Date(Math.floor(now / 60000) * 60000).toISOString();
    return id;
}

function keyOf(core: Core, id: string): KeyRecord {
    const k = keys(core).find((x) => x.id === id);
    if (!k) throw notFound(`API key with id ${id} not found`);
    return k;
}

function isCaller(ctx: Ctx, k: KeyRecord): boolean {
    if (!ctx.caller) return false;
    return k.primary ? ctx.caller === ctx.core.primaryKeyId : k.keyIdHash === sha256(ctx.caller);
}

export const listKeys: Handler = ({ core }) => ({ result: keys(core).map(keyView) });

export const getKey: Handler = ({ core, params }) => ({ result: keyView(keyOf(core, requireUuid("keyId", params.keyId))) });

export const createKey: Handler = ({ core, body }) => {
    validate(ApiKeyPostRequest, body);
    const b = body as Body;
    checkExpireAt(b.expireAt);
    const hash = b.hashData as Body | undefined;
    // Generated like the real ones: a key id of letters and digits, a secret beginning with 4b1d (inferred).
    const keyId = hash ? undefined : randomString(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    const keySecret = hash ? undefined : `4b1d${randomString(38, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`;
    const rec: KeyRecord = {
        id: randomUUID(),
        name: b.name ?? "API key",
        state: b.state ?? "enabled",
        roles: b.roles ?? (b.assignedRoleIds?.length ? [] : ["developer"]),
        assignedRoleIds: b.assignedRoleIds ?? [],
        keySuffix: hash ? hash.keyIdSuffix : keyId!.slice(-4),
        createdAt: new Date(core.now()).toISOString(),
        ipAccessList: b.ipAccessList ?? [{ source: "0.0.0.0/0", description: "Anywhere" }],
        keyIdHash: hash ? hash.keyIdHash : sha256(keyId!),
        keySecretHash: hash ? hash.keySecretHash : sha256(keySecret!),
    };
    if (b.expireAt !== undefined) rec.expireAt = b.expireAt;
    keyStore(core)[`/keys/${rec.id}`] = { value: rec, createdAt: core.now() };
    // "Provided only if there was no 'hashData' in the request" (spec).
    return { result: hash ? { key: keyView(rec) } : { key: keyView(rec), keyId, keySecret } };
};

export const patchKey: Handler = ({ core, params, body }) => {
    validate(ApiKeyPatchRequest, body);
    const b = body as Body;
    checkExpireAt(b.expireAt);
    const k = keyOf(core, requireUuid("keyId", params.keyId));
    for (const f of ["name", "roles", "assignedRoleIds", "state", "ipAccessList"] as const)
        if (b[f] !== undefined) (k as unknown as Body)[f] = b[f];
    if (b.expireAt !== undefined) k.expireAt = b.expireAt;
    return { result: keyView(k) };
};

export const deleteKey: Handler = (ctx) => {
    const k = keyOf(ctx.core, requireUuid("keyId", ctx.params.keyId));
    // "Only a key not used to authenticate the active request can be deleted" (spec); the status is inferred.
    if (isCaller(ctx, k))
        throw badRequest(
            `API key ${k.id} is used to authenticate this request; only a key not used to authenticate the active request can be deleted`,
        );
    delete keyStore(ctx.core)[`/keys/${k.id}`];
    if (k.primary) keyStore(ctx.core)[PRIMARY_DELETED] = { value: {}, createdAt: ctx.core.now() };
    return {};
};
