import { createHash, randomUUID } from "crypto";
import type {
    ApiKey,
    ApiKeyPatchRequest,
    ApiKeyPostRequest,
    ApiKeyPostResponse,
    Organization,
    OrganizationPatchRequest,
} from "../provider/api/types";
import { Ctx, Handler } from "./context";
import { Core } from "./core";
import { badRequest, notFound } from "./errors";
import { randomString, requireUuid, stableUuid } from "./ids";
import { kept } from "./generic";
import { DEFAULTS } from "./options";
import { IpEntry, REGIONS } from "./schemas";
import { KeyRecord, OrgPrivateEndpoint } from "./store";
import { arr, bool, nullable, obj, objOf, str, validate, WithRequired } from "./validation";

/**
 * The organization and its API keys: `GET|PATCH /organizations/{id}` and `/keys`. Keys are what
 * the official Terraform provider's `clickhouse_api_key_id` data source reads: it lists the keys
 * and takes the one whose `keySuffix` ends the key id it authenticates with (tf api_keys.go).
 */

// ---- Organization ---------------------------------------------------------------------------------
export function orgView(core: Core, orgId: string): Organization {
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

type EndpointsPatch = NonNullable<OrganizationPatchRequest["privateEndpoints"]>;
/** A private endpoint to add or remove: the emulator requires its id. */
type EndpointChange = WithRequired<NonNullable<EndpointsPatch["add"]>[number], "id">;
const orgEndpoint = objOf<EndpointChange, "id">(
    {
        id: str({ minLength: 1 }),
        description: str(),
        cloudProvider: str({ enum: ["gcp", "aws", "azure"] }),
        region: str({ enum: [...REGIONS.aws, ...REGIONS.gcp, ...REGIONS.azure] }),
    },
    { required: ["id"] },
);
const OrganizationPatchRequest = objOf<
    Omit<OrganizationPatchRequest, "privateEndpoints"> & { privateEndpoints?: { [K in keyof EndpointsPatch]: EndpointChange[] } }
>({
    name: str({ minLength: 1, maxLength: 255 }),
    privateEndpoints: obj({ add: arr(orgEndpoint), remove: arr(orgEndpoint) }),
    enableCoreDumps: bool(),
});

export const getOrganization: Handler = ({ core, orgId }) => ({ result: orgView(core, orgId) });
export const listOrganizations: Handler = ({ core, orgId }) => ({ result: [orgView(core, orgId)] });

/** Name, crash reports, private endpoints (`remove` before `add`, as the spec orders them). */
export const patchOrganization: Handler = ({ core, orgId, body }) => {
    validate(OrganizationPatchRequest, body);
    const b = body;
    const org = core.data.organization;
    if (b.name !== undefined) org.name = b.name;
    if (b.enableCoreDumps !== undefined) org.enableCoreDumps = b.enableCoreDumps;
    const matches = (p: OrgPrivateEndpoint, e: EndpointChange) =>
        p.id === e.id &&
        (e.cloudProvider === undefined || p.cloudProvider === e.cloudProvider) &&
        (e.region === undefined || p.region === e.region);
    for (const e of b.privateEndpoints?.remove ?? []) {
        const gone = core.data.privateEndpoints.filter((p) => matches(p, e)).map((p) => p.id);
        core.data.privateEndpoints = core.data.privateEndpoints.filter((p) => !matches(p, e));
        // An endpoint that left the organization is no longer attached to its services (inferred).
        for (const svc of Object.values(core.data.services))
            svc.privateEndpointIds = svc.privateEndpointIds.filter((id) => !gone.includes(id));
    }
    for (const e of b.privateEndpoints?.add ?? []) {
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
// A key is stored under `/keys/<id>` of the generic store (see KeyRecord); the hashes never leave it.

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64");
const PRIMARY_DELETED = "/keys#primary-deleted";
const SYSTEM_ROLES: Record<KeyRecord["roles"][number], string> = {
    admin: "Admin",
    developer: "Developer",
    query_endpoints: "Query endpoints",
};

const ipEntry = objOf<IpEntry, "source">({ source: str({ minLength: 1 }), description: str() }, { required: ["source"] });
const roles = arr(str({ enum: Object.keys(SYSTEM_ROLES) }), { minItems: 1 });
/** T whose `ipAccessList` entries have their `source` (the emulator requires it). */
type WithIpEntries<T extends { ipAccessList?: unknown }> = Omit<T, "ipAccessList"> & { ipAccessList?: IpEntry[] };
type HashData = NonNullable<ApiKeyPostRequest["hashData"]>;
const ApiKeyPostRequest = objOf<Omit<WithIpEntries<ApiKeyPostRequest>, "hashData"> & { hashData?: WithRequired<HashData, keyof HashData> }>(
    {
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
    },
);
const ApiKeyPatchRequest = objOf<WithIpEntries<ApiKeyPatchRequest>>({
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
        return rec;
    }
    return kept<KeyRecord>(store, path)?.value;
}

function keys(core: Core): KeyRecord[] {
    primaryKey(core);
    const store = keyStore(core);
    return Object.entries(store)
        .filter(([k]) => /^\/keys\/[^/]+$/.test(k))
        .sort((a, b) => a[1].createdAt - b[1].createdAt)
        .flatMap(([k]) => kept<KeyRecord>(store, k)?.value ?? []);
}

function keyView(k: KeyRecord): ApiKey {
    return {
        id: k.id,
        name: k.name,
        state: k.state,
        roles: [...k.roles],
        assignedRoles: [
            ...k.roles.map((r) => ({ roleId: stableUuid(`role/${r}`), roleName: SYSTEM_ROLES[r] ?? r, roleType: "system" as const })),
            ...k.assignedRoleIds.map((id) => ({ roleId: id, roleType: "custom" as const })),
        ],
        keySuffix: k.keySuffix,
        createdAt: k.createdAt,
        ...(k.expireAt !== undefined ? { expireAt: k.expireAt } : {}),
        ...(k.usedAt ? { usedAt: k.usedAt } : {}),
        ipAccessList: k.ipAccessList.map((e) => ({ ...e })),
    };
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
    const b = body;
    checkExpireAt(b.expireAt);
    const hash = b.hashData;
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
    const result: ApiKeyPostResponse = hash ? { key: keyView(rec) } : { key: keyView(rec), keyId, keySecret };
    return { result };
};

export const patchKey: Handler = ({ core, params, body }) => {
    validate(ApiKeyPatchRequest, body);
    const b = body;
    checkExpireAt(b.expireAt);
    const k = keyOf(core, requireUuid("keyId", params.keyId));
    if (b.name !== undefined) k.name = b.name;
    if (b.roles !== undefined) k.roles = b.roles;
    if (b.assignedRoleIds !== undefined) k.assignedRoleIds = b.assignedRoleIds;
    if (b.state !== undefined) k.state = b.state;
    if (b.ipAccessList !== undefined) k.ipAccessList = b.ipAccessList;
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
