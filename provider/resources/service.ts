/**
 * `clickhouse:Service`: a ClickHouse Cloud service, end to end.
 *
 * Shape: argument and output types → {@link checkService} → {@link diffService} → CRUD
 * ({@link serviceHandlers}) → the resource class {@link Service}.
 *
 * Things that decide the design (see design.md): `diff` receives the previous *outputs*, so
 * outputs carry the input-shaped values it compares; `read` must keep the password, which the
 * API never returns; a create interrupted after the POST must be resumed through its creation
 * tag instead of leaving a second service behind, and only one this stack provably made
 * (docs/ownership.md); a service the API accepted is never forgotten (partial failure with its id).
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { ApiClient, getClient } from "../api/client";
import { isApiError, isConflict, isNotFound } from "../api/errors";
import type {
    CloudProvider,
    IpAccessListEntry,
    Region,
    ResourceTagsV1,
    Service as ApiService,
    ServiceEndpoint,
    ServicePasswordPatchRequest,
    ServicePasswordPatchResponse,
    ServicePatchRequest,
    ServicePostRequest,
    ServicePostResponse,
    ServiceReplicaScalingPatchRequest,
    ServiceState,
    ServiceTier,
} from "../api/types";
import { cancellableSleep } from "../cancel";
import { currentConfig, ProviderConfig } from "../config";
import { warn } from "../log";
import { beginAttempt, finishAttempts, interruptedAttempts, newAttemptId, OWNER_ID } from "../journal";
import { ClickHouseResource } from "../shim";
import { withPriority } from "../api/limiter";
import { formatDuration, observeService, waitForService, WaitError } from "../wait";
import {
    canonical,
    checkTimeouts,
    CheckFailure,
    compact,
    CREATION_KEY,
    OWNER_KEY,
    diffBySpec,
    DiffResult,
    DiffSpec,
    Handlers,
    isIpOrCidr,
    isUnknown,
    OpenEnum,
    partialFailure,
    sameSet,
    sameValue,
    show,
    timeoutFor,
    Timeouts,
    UUID,
    Validator,
} from "./common";
import { withRemovedDefaults } from "./serviceDefaults";
import { warnUnmanagedClickPipes } from "./servicePipes";
import { withFailedAdvice } from "./serviceFailed";

// ---------------------------------------------------------------------------------------------
// Types

/** One entry of {@link ServiceArgs.ipAccessList}: who may connect. */
export interface ServiceIpAccessEntry {
    /** An IPv4 or IPv6 address or CIDR block, e.g. `203.0.113.7` or `10.0.0.0/8`. `0.0.0.0/0` allows anyone. */
    source: string;
    /** Free text shown in the ClickHouse Cloud console. @default none */
    description?: string;
}

/** One entry of {@link ServiceArgs.tags}, in the API's own shape (`ResourceTagsV1`). */
export interface ServiceTag {
    /** 1–128 characters of letters, digits, `.`, `_` and `-`. */
    key: string;
    /** Up to 256 characters of letters, digits, `.`, `_` and `-`; omit for a key-only tag. */
    value?: string;
}

/**
 * One entry of {@link ServiceArgs.endpoints}, in the API's own shape (`ServiceEndpointChange`):
 * the only endpoint that can be switched is MySQL.
 */
export interface ServiceEndpointSetting {
    /** The endpoint's protocol; only `"mysql"` can be enabled or disabled. */
    protocol: "mysql";
    /** Whether the endpoint is enabled. */
    enabled: boolean;
}

/** The state a service should be kept in. `idle` (scaled to zero by idle scaling) counts as running. */
export type ServiceDesiredState = "running" | "stopped";

/** Arguments of a {@link Service}. */
export interface ServiceArgs {
    /**
     * Name of the service: 1–50 characters (the API describes it as letters, digits and spaces).
     * Updated in place.
     */
    name: pulumi.Input<string>;
    /** Cloud provider: `aws`, `gcp` or `azure`. Changing this replaces the service. */
    provider: pulumi.Input<OpenEnum<CloudProvider>>;
    /**
     * Region of the chosen cloud provider, e.g. `us-east-1` (aws), `us-central1` (gcp), `eastus2`
     * (azure). Changing this replaces the service.
     */
    region: pulumi.Input<OpenEnum<Region>>;
    /**
     * Tier of the service, for organizations on the legacy ClickHouse Cloud tiers only:
     * `development` (fixed size, not on Azure) or `production`. Organizations on the current
     * tiers (BASIC, SCALE, ENTERPRISE) have no service tier: leave it unset there (the API
     * deprecates it and leaves it out of its answers; a value given is kept in the outputs as
     * written, so it never shows as a change) and size the service with the replica settings.
     * @default none on the current tiers; `production` on legacy organizations (the API's choice);
     * unset or removed, not managed (going back would replace the service)
     * Changing this replaces the service.
     */
    tier?: pulumi.Input<OpenEnum<ServiceTier>>;
    /**
     * Addresses allowed to connect. Compared as a set (order does not matter); changes are
     * applied as additions and removals. Leaving it unset, or removing it later, keeps whatever
     * the service has (the API documents no default); set `[]` to allow no address. Updated in place.
     */
    ipAccessList?: pulumi.Input<pulumi.Input<ServiceIpAccessEntry>[]>;
    /**
     * Minimum memory of each replica during autoscaling, in GiB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations). Not for `development` services.
     * @default chosen by the API; unset or removed, the service's value is not managed
     * Updated in place (`PATCH /replicaScaling`).
     */
    minReplicaMemoryGb?: pulumi.Input<number>;
    /**
     * Maximum memory of each replica during autoscaling, in GiB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations), at least {@link minReplicaMemoryGb}.
     * @default chosen by the API; unset or removed, the service's value is not managed
     * Updated in place (`PATCH /replicaScaling`).
     */
    maxReplicaMemoryGb?: pulumi.Input<number>;
    /**
     * Number of replicas, 1–20 (the API may ask for more on the first service of a warehouse). Not for
     * `development` services.
     * @default chosen by the API (1 for BASIC, 3 for SCALE and ENTERPRISE organizations); unset
     * or removed, not managed
     * Updated in place (`PATCH /replicaScaling`).
     */
    numReplicas?: pulumi.Input<number>;
    /**
     * Whether the service may scale down to zero (state `idle`) when unused.
     * @default true (the API's default); unset or removed, not managed (a {@link ServiceScaling}
     * resource may take it over)
     * Updated in place.
     */
    idleScaling?: pulumi.Input<boolean>;
    /**
     * Minutes without queries before an idle-scaling service goes idle; at least 5. Refused
     * together with `idleScaling: false`.
     * @default chosen by the API; unset or removed, not managed
     * Updated in place.
     */
    idleTimeoutMinutes?: pulumi.Input<number>;
    /**
     * ClickHouse release channel: `slow`, `default` or `fast`. Not for `development` services.
     * @default "default" (chosen by the API). Never set: not managed. Removed after an earlier run
     * set it: back to `"default"`.
     * Updated in place.
     */
    releaseChannel?: pulumi.Input<OpenEnum<"slow" | "default" | "fast">>;
    /**
     * Endpoints to switch on or off, in the API's shape: `[{ protocol: "mysql", enabled: true }]`
     * enables the MySQL interface. HTTPS and native endpoints are always on.
     * @default MySQL disabled. Never set: not managed. Removed after an earlier run set it: MySQL
     * is switched off again.
     * Updated in place.
     */
    endpoints?: pulumi.Input<pulumi.Input<ServiceEndpointSetting>[]>;
    /**
     * Ids of organization private endpoints attached to the service, compared as a set. Attached
     * after the service exists (the API deprecates passing them at creation).
     * @default none; unset or removed, the attached endpoints are not managed (a
     * {@link PrivateEndpoint} resource may own the attachment)
     * Updated in place.
     */
    privateEndpointIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Data warehouse to join: the `dataWarehouseId` of an existing service (same provider and
     * region). Without it the service starts its own warehouse and is its primary.
     * Changing this replaces the service; removing it keeps the service as it is.
     */
    dataWarehouseId?: pulumi.Input<string>;
    /**
     * Makes the service read-only; only together with `dataWarehouseId`.
     * @default false
     * Changing this replaces the service; removing it keeps the service as it is.
     */
    isReadonly?: pulumi.Input<boolean>;
    /**
     * Id (UUID) of a backup to restore into the new service; its region and tier must match the
     * backup's service. Only used at creation. Changing this replaces the service; removing it
     * keeps the service.
     */
    backupId?: pulumi.Input<string>;
    /**
     * Customer-provided disk encryption key: the ARN of a KMS key (the API answers it on the
     * service; the state still keeps it as a secret). Changing this replaces the service; removing
     * it keeps the service as it is.
     */
    encryptionKey?: pulumi.Input<string>;
    /** Role the service assumes to use {@link encryptionKey}. Changing this replaces the service; removing it keeps the service. */
    encryptionAssumedRoleIdentifier?: pulumi.Input<string>;
    /**
     * Bring-Your-Own-Cloud region id. Requires `minReplicaMemoryGb` and `maxReplicaMemoryGb`,
     * each one of 48, 116, 172, 232. Changing this replaces the service; removing it keeps the
     * service as it is.
     */
    byocId?: pulumi.Input<string>;
    /**
     * Tags in the API's shape, `[{ key, value? }]`, compared as a set; at most 49 (the provider
     * keeps one tag, `pulumi-creation`, to find a service whose creation was interrupted).
     * @default none. Never set: not managed. Removed after an earlier run set it: the service's
     * tags are removed (the provider's own `pulumi-creation` tag stays).
     * Updated in place (additions and removals).
     */
    tags?: pulumi.Input<pulumi.Input<ServiceTag>[]>;
    /**
     * Desired state: `running` (an `idle` service counts as running) or `stopped`.
     * @default running. Never set: not managed (a new service ends up running; one stopped in the
     * console stays stopped). Removed after an earlier run set it: the service is started again.
     * Updated in place (`PATCH /state` start or stop).
     */
    state?: pulumi.Input<OpenEnum<ServiceDesiredState>>;
    /**
     * Password of the `default` user. Sent to the API only as hashes (SHA-256 and double SHA-1,
     * computed here). Changing it rotates the password in place; removing it keeps the current
     * password. Mutually exclusive with `passwordHash`.
     * @default a password generated by the API, exposed as the secret output `password`
     */
    password?: pulumi.Input<string>;
    /**
     * Password of the `default` user as `base64(sha256(password))` (44 characters), so the
     * plaintext never reaches the program. Mutually exclusive with `password`. Updated in place;
     * removing it keeps the current password.
     */
    passwordHash?: pulumi.Input<string>;
    /**
     * MySQL-protocol password hash, `hex(sha1(sha1(password)))` (40 hex digits); only together
     * with `passwordHash`. Updated in place; removing it keeps the current password.
     */
    doubleSha1PasswordHash?: pulumi.Input<string>;
    /**
     * Time limits, e.g. `{ create: "45m" }`. Pulumi's `customTimeouts` do not apply to dynamic
     * resources; these do. Updated in place (kept in the state only); removed, the defaults apply.
     * @default 30m for each of create, update and delete
     */
    timeouts?: pulumi.Input<Timeouts>;
    /**
     * Organization the service belongs to. Must equal the organization of the configured API key
     * (`clickhouse:organizationId` / `CLICKHOUSE_ORG_ID`): a key belongs to one organization.
     * @default the configured organization
     * Changing this replaces the service; removing it keeps the service.
     */
    organizationId?: pulumi.Input<string>;
    /**
     * Id of an existing service to take over instead of creating one (`pulumi import` does not
     * work for dynamic resources). At creation the service is read, must have the given
     * `provider` and `region`, and is then changed to match these arguments; from then on Pulumi
     * manages it and `pulumi destroy` deletes it. Its password is not known unless `password` or
     * `passwordHash` is given. Only read at creation; later changes and removing it are ignored.
     */
    adoptServiceId?: pulumi.Input<string>;
}

/** {@link ServiceArgs} with every value resolved, as `check`, `create` and `update` receive them. */
export interface ServiceInputs {
    name: string;
    provider: CloudProvider;
    region: Region;
    tier?: ServiceTier;
    ipAccessList?: ServiceIpAccessEntry[];
    minReplicaMemoryGb?: number;
    maxReplicaMemoryGb?: number;
    numReplicas?: number;
    idleScaling?: boolean;
    idleTimeoutMinutes?: number;
    releaseChannel?: "slow" | "default" | "fast";
    endpoints?: ServiceEndpointSetting[];
    privateEndpointIds?: string[];
    dataWarehouseId?: string;
    isReadonly?: boolean;
    backupId?: string;
    encryptionKey?: string;
    encryptionAssumedRoleIdentifier?: string;
    byocId?: string;
    tags?: ServiceTag[];
    state?: ServiceDesiredState;
    password?: string;
    passwordHash?: string;
    doubleSha1PasswordHash?: string;
    timeouts?: Timeouts;
    organizationId?: string;
    adoptServiceId?: string;
    /** Hidden: `<project>/<stack>/<resource name>`, set by the resource class. */
    __creation?: string;
}

/**
 * What the engine records for a service: every field of the API's `Service` object (tags
 * without the creation tag), the password (secret) and the input-only settings `diff` and
 * `read` need.
 */
export interface ServiceOutputs extends Omit<ApiService, "id" | "tags"> {
    tags?: ServiceTag[];
    /** Password of the `default` user (secret): the one given, or the one the API generated. */
    password?: string;
    passwordHash?: string;
    doubleSha1PasswordHash?: string;
    backupId?: string;
    timeouts?: Timeouts;
    organizationId?: string;
    adoptServiceId?: string;
    __creation?: string;
    /** Hidden: the argument names the user set, so `read` can rebuild the inputs. */
    __inputKeys?: string[];
    /** Hidden: the replacing arguments as written, which `diff` compares new arguments with. */
    __replacingInputs?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary from the OpenAPI document (ServicePostRequest and friends)

const RESOURCE = "clickhouse:Service";

/** Regions of each cloud provider (`Service.region`, grouped by the naming of each cloud). */
export const SERVICE_REGIONS: Readonly<Record<CloudProvider, readonly Region[]>> = {
    aws: ["ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "il-central-1", "us-east-1", "us-east-2", "us-west-2"],
    gcp: ["us-east1", "us-central1", "europe-west2", "europe-west4", "asia-southeast1", "asia-northeast1"],
    azure: ["eastus", "eastus2", "westus3", "germanywestcentral", "centralus"],
};
const PROVIDERS = Object.keys(SERVICE_REGIONS) as CloudProvider[];
const ALL_REGIONS = PROVIDERS.flatMap((p) => SERVICE_REGIONS[p]);
const TIERS: readonly ServiceTier[] = [
    "development", "production", "dedicated_high_mem", "dedicated_high_cpu", "dedicated_standard",
    "dedicated_standard_n2d_standard_4", "dedicated_standard_n2d_standard_8", "dedicated_standard_n2d_standard_32",
    "dedicated_standard_n2d_standard_128", "dedicated_standard_n2d_standard_32_16SSD", "dedicated_standard_n2d_standard_64_24SSD",
];
const RELEASE_CHANNELS = ["slow", "default", "fast"] as const;
const DESIRED_STATES = ["running", "stopped"] as const;
/** Per-replica memory: `ServiceReplicaScalingPatchRequest.minReplicaMemoryGb` (minimum 8, maximum 356, multipleOf 4). */
const REPLICA_MEMORY = { min: 8, max: 356, multipleOf: 4, unit: "GiB" } as const;
/** With `byocId` the spec allows only these replica sizes. */
const BYOC_SIZES = [48, 116, 172, 232];
const TAG_PATTERN = /^[a-zA-Z0-9._-]+$/;
/** The API allows 50 tags; one is the creation tag. */
const MAX_USER_TAGS = 49;
/** No control characters, no surrounding blanks (the API trims nothing and shows names as given). */
const NAME_PATTERN = /^(?!\s)[^\u0000-\u001f\u007f]*(?<!\s)$/;
/** base64 of a 32-byte SHA-256 digest. */
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const SHA1_HEX = /^[0-9a-fA-F]{40}$/;

/** Tag the provider puts on every service it creates, to find it again after an interrupted create. */
export const SERVICE_CREATION_TAG_KEY = "pulumi-creation";

/** States in which a service can be used or changed. */
const STABLE_STATES: ServiceState[] = ["running", "idle", "stopped"];
const GONE_STATES: ServiceState[] = ["terminated", "softdeleted"];
const TERMINATING_STATES: ServiceState[] = ["terminating", "softdeleting"];
const STOPPED_LIKE: ServiceState[] = ["stopped", "stopping", ...TERMINATING_STATES, ...GONE_STATES];

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/** Every argument name, for unknown-key detection and input reconstruction. */
const INPUT_KEYS = [
    "name", "provider", "region", "tier", "ipAccessList", "minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas",
    "idleScaling", "idleTimeoutMinutes", "releaseChannel", "endpoints", "privateEndpointIds", "dataWarehouseId",
    "isReadonly", "backupId", "encryptionKey", "encryptionAssumedRoleIdentifier", "byocId", "tags", "state",
    "password", "passwordHash", "doubleSha1PasswordHash", "timeouts", "organizationId", "adoptServiceId",
] as const;

/** Arguments whose change replaces the service: the API cannot change them. */
const REPLACING_KEYS = [
    "provider", "region", "tier", "dataWarehouseId", "isReadonly", "backupId", "byocId", "encryptionKey",
    "encryptionAssumedRoleIdentifier", "organizationId",
] as const;

/** Arguments the API has no value for: the outputs keep what was given. */
const INPUT_ONLY_KEYS = ["backupId", "password", "passwordHash", "doubleSha1PasswordHash", "timeouts", "organizationId", "adoptServiceId"] as const;

/** Argument names as written into outputs when they hold secrets (see the resource class). */
const SECRET_OUTPUTS = ["password", "passwordHash", "doubleSha1PasswordHash", "encryptionKey"];

// ---------------------------------------------------------------------------------------------
// check

/**
 * Validates the arguments of a service without calling the API: every rule of the OpenAPI
 * document and of api-facts.md that can be decided locally. Unknown (preview) values are skipped.
 * Returns the inputs unchanged: defaults are left to the API so they never diff against its choices.
 */
export function checkService(olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    void olds;
    const v = new Validator(RESOURCE, news);
    const known = (p: string) => (v.skip(p) ? undefined : v.value(p));

    v.knownKeys(undefined, INPUT_KEYS);
    v.string("name", { required: true, maxLength: 50 });
    if (typeof v.value("name") === "string" && !NAME_PATTERN.test(v.value("name") as string)) v.warn("name", `"name" is ${show(v.value("name"))}; expected 1–50 characters without control characters or leading/trailing blanks.`);
    v.oneOf("provider", PROVIDERS, true);
    v.oneOf("region", ALL_REGIONS, true);
    const provider = known("provider");
    const region = known("region");
    if (typeof provider === "string" && typeof region === "string" && PROVIDERS.includes(provider as CloudProvider) && ALL_REGIONS.includes(region as Region)) {
        const regions = SERVICE_REGIONS[provider as CloudProvider];
        if (!regions.includes(region as Region)) v.fail("region", `"region" is ${show(region)}, which is not a region of ${provider}; accepted for ${provider}: ${regions.join(", ")}.`);
    }
    v.oneOf("tier", TIERS);
    const tier = known("tier");
    if (tier === "development" && provider === "azure") v.fail("tier", `"tier" is "development", which Azure services do not support; use another tier or provider aws or gcp.`);

    // Scaling
    v.number("minReplicaMemoryGb", REPLICA_MEMORY);
    v.number("maxReplicaMemoryGb", REPLICA_MEMORY);
    v.number("numReplicas", { min: 1, max: 20, integer: true });
    v.boolean("idleScaling");
    v.number("idleTimeoutMinutes", { min: 5, unit: "minutes" });
    const minMem = known("minReplicaMemoryGb");
    const maxMem = known("maxReplicaMemoryGb");
    if (typeof minMem === "number" && typeof maxMem === "number" && minMem > maxMem) {
        v.fail("minReplicaMemoryGb", `"minReplicaMemoryGb" is ${minMem} GiB, more than "maxReplicaMemoryGb" (${maxMem} GiB); the minimum must be at most the maximum.`);
    }
    if (known("idleTimeoutMinutes") !== undefined && known("idleScaling") === false) {
        v.fail("idleTimeoutMinutes", `"idleTimeoutMinutes" is set but "idleScaling" is false; the idle timeout only applies with idleScaling true (remove one of them).`);
    }
    v.oneOf("releaseChannel", RELEASE_CHANNELS);
    if (tier === "development") {
        for (const p of ["minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "releaseChannel"]) {
            if (v.value(p) !== undefined && v.value(p) !== null) {
                v.fail(p, `"${p}" is ${show(v.value(p))}, but a "development" tier service has a fixed size and takes no memory, replica or release-channel settings; remove it or use tier "production".`);
            }
        }
    }
    v.string("byocId", { minLength: 1 });
    if (known("byocId") !== undefined) {
        for (const p of ["minReplicaMemoryGb", "maxReplicaMemoryGb"]) {
            const mem = v.value(p);
            if (isUnknown(mem)) continue;
            if (!BYOC_SIZES.includes(mem as number)) {
                v.fail(p, `"${p}" is ${mem === undefined ? "not set" : show(mem)}; with "byocId" both replica memory settings are required, each one of ${BYOC_SIZES.join(", ")} GiB.`);
            }
        }
    }

    // Warehouse, backup, encryption
    v.string("dataWarehouseId", { minLength: 1 });
    v.boolean("isReadonly");
    if (known("isReadonly") === true && v.value("dataWarehouseId") === undefined) {
        v.fail("isReadonly", `"isReadonly" is true but "dataWarehouseId" is not set; only a service joining an existing data warehouse can be read-only.`);
    }
    v.string("backupId", { pattern: UUID, patternText: "a backup id (a UUID)" });
    if (v.value("encryptionKey") === "") v.warn("encryptionKey", `"encryptionKey" is an empty string; expected the ARN of a KMS key.`);
    else secretString(v, "encryptionKey", "a non-empty key");
    v.string("encryptionAssumedRoleIdentifier", { minLength: 1 });

    // Lists
    checkIpAccessList(v);
    v.array("privateEndpointIds", (path, id) => {
        if (typeof id !== "string") v.fail(path, `"${path}" is ${show(id)}; expected a private endpoint id (a non-empty string).`);
        else if (id === "") v.warn(path, `"${path}" is ${show(id)}; expected a private endpoint id (a non-empty string).`);
    });
    duplicates(v, "privateEndpointIds", (id) => String(id), "private endpoint id");
    checkTags(v);
    checkEndpoints(v);

    // State, password, timeouts, identity
    v.oneOf("state", DESIRED_STATES);
    checkPasswords(v);
    if (!v.skip("timeouts") && (typeof v.value("timeouts") !== "object" || Array.isArray(v.value("timeouts")))) {
        v.fail("timeouts", `"timeouts" is ${show(v.value("timeouts"))}; expected an object like { create: "45m", update: "30m", delete: "30m" }.`);
    } else checkTimeouts(v);
    v.string("organizationId", { pattern: UUID, patternText: "an organization id (a UUID)" });
    v.string("adoptServiceId", { pattern: UUID, patternText: "the id (a UUID) of an existing service" });

    return { inputs: news, failures: v.failures };
}

/** A string whose value must never appear in a message. */
function secretString(v: Validator, p: string, accepted: string): boolean {
    if (v.skip(p)) return false;
    const value = v.value(p);
    if (typeof value !== "string" || value === "") {
        v.fail(p, `"${p}" must be ${accepted}, got ${typeof value === "string" ? "an empty string" : `a ${typeof value}`}.`);
        return false;
    }
    return true;
}

function checkPasswords(v: Validator): void {
    const has = (p: string) => v.value(p) !== undefined && v.value(p) !== null;
    secretString(v, "password", "a non-empty string");
    if (secretString(v, "passwordHash", "base64(sha256(password))")) {
        const hash = v.value("passwordHash") as string;
        if (!SHA256_BASE64.test(hash)) {
            v.fail("passwordHash", `"passwordHash" (value hidden, ${hash.length} characters) is not base64(sha256(password)); expected 44 base64 characters ending in "=", e.g. from: echo -n "$PASSWORD" | sha256sum | xxd -r -p | base64.`);
        }
    }
    if (secretString(v, "doubleSha1PasswordHash", "hex(sha1(sha1(password)))")) {
        const hash = v.value("doubleSha1PasswordHash") as string;
        if (!SHA1_HEX.test(hash)) {
            v.fail("doubleSha1PasswordHash", `"doubleSha1PasswordHash" (value hidden, ${hash.length} characters) is not hex(sha1(sha1(password))); expected 40 hexadecimal digits.`);
        }
    }
    if (has("password") && has("passwordHash")) {
        v.fail("password", `"password" and "passwordHash" are both set; give one of them (the hash keeps the plaintext out of the program).`);
    }
    if (has("doubleSha1PasswordHash") && !has("passwordHash")) {
        v.fail("doubleSha1PasswordHash", `"doubleSha1PasswordHash" is set without "passwordHash"; the API ignores the MySQL hash unless passwordHash is given (with "password" both hashes are computed for you).`);
    }
}

function checkIpAccessList(v: Validator): void {
    v.array("ipAccessList", (path, entry) => {
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            v.fail(path, `"${path}" is ${show(entry)}; expected { source: "<IP or CIDR>", description?: "<text>" }.`);
            return;
        }
        const e = entry as Record<string, unknown>;
        for (const key of Object.keys(e)) {
            if (key !== "source" && key !== "description") v.fail(`${path}.${key}`, `unknown property "${path}.${key}"; accepted properties of an ipAccessList entry: source, description.`);
        }
        if (isUnknown(e.source)) {
            // known at apply time
        } else if (typeof e.source !== "string" || !isIpOrCidr(e.source)) {
            v.fail(`${path}.source`, `"${path}.source" is ${show(e.source)}; expected an IPv4 or IPv6 address or CIDR block such as "203.0.113.7" or "10.0.0.0/8".`);
        }
        if (e.description !== undefined && e.description !== null && !isUnknown(e.description) && typeof e.description !== "string") {
            v.fail(`${path}.description`, `"${path}.description" must be a string, got ${show(e.description)}.`);
        }
    });
    duplicates(v, "ipAccessList", (e) => (e && typeof e === "object" ? normalSource((e as Record<string, unknown>).source) : undefined), "source");
}

function checkTags(v: Validator): void {
    v.array("tags", (path, tag) => {
        if (tag === null || typeof tag !== "object" || Array.isArray(tag)) {
            v.fail(path, `"${path}" is ${show(tag)}; expected { key: "<key>", value?: "<value>" }.`);
            return;
        }
        const t = tag as Record<string, unknown>;
        for (const key of Object.keys(t)) {
            if (key !== "key" && key !== "value") v.fail(`${path}.${key}`, `unknown property "${path}.${key}"; accepted properties of a tag: key, value.`);
        }
        if (!isUnknown(t.key)) {
            if (typeof t.key !== "string" || t.key.length < 1 || t.key.length > 128 || !TAG_PATTERN.test(t.key)) {
                v.fail(`${path}.key`, `"${path}.key" is ${show(t.key)}; expected 1–128 letters, digits, ".", "_" or "-".`);
            } else if (t.key === SERVICE_CREATION_TAG_KEY) {
                v.fail(`${path}.key`, `"${path}.key" is "${SERVICE_CREATION_TAG_KEY}", which this provider reserves for finding interrupted creates; use another key.`);
            }
        }
        if (t.value !== undefined && t.value !== null && !isUnknown(t.value)) {
            if (typeof t.value !== "string" || t.value.length < 1 || t.value.length > 256 || !TAG_PATTERN.test(t.value)) {
                v.fail(`${path}.value`, `"${path}.value" is ${show(t.value)}; expected 1–256 letters, digits, ".", "_" or "-" (omit "value" for a key-only tag).`);
            }
        }
    }, { maxItems: MAX_USER_TAGS });
    duplicates(v, "tags", (t) => (t && typeof t === "object" ? (t as Record<string, unknown>).key : undefined), "key");
}

function checkEndpoints(v: Validator): void {
    v.array("endpoints", (path, entry) => {
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
            v.fail(path, `"${path}" is ${show(entry)}; expected { protocol: "mysql", enabled: true | false }.`);
            return;
        }
        const e = entry as Record<string, unknown>;
        for (const key of Object.keys(e)) {
            if (key !== "protocol" && key !== "enabled") v.fail(`${path}.${key}`, `unknown property "${path}.${key}"; accepted properties of an endpoint: protocol, enabled.`);
        }
        if (!isUnknown(e.protocol) && e.protocol !== "mysql") {
            v.fail(`${path}.protocol`, `"${path}.protocol" is ${show(e.protocol)}; only "mysql" can be switched (https and nativesecure are always on).`);
        }
        if (!isUnknown(e.enabled) && typeof e.enabled !== "boolean") {
            v.fail(`${path}.enabled`, `"${path}.enabled" is ${show(e.enabled)}; expected true or false.`);
        }
    });
    duplicates(v, "endpoints", (e) => (e && typeof e === "object" ? (e as Record<string, unknown>).protocol : undefined), "protocol");
}

/** Fails when two known entries of a list share the same identifying value. */
function duplicates(v: Validator, property: string, idOf: (entry: unknown) => unknown, what: string): void {
    const list = v.value(property);
    if (!Array.isArray(list)) return;
    const seen = new Set<string>();
    for (const entry of list) {
        const id = idOf(entry);
        if (id === undefined || isUnknown(id) || isUnknown(entry)) continue;
        const text = String(id);
        if (seen.has(text)) v.warn(property, `"${property}" lists ${what} ${show(id)} more than once; each ${what} may appear once.`);
        seen.add(text);
    }
}

// ---------------------------------------------------------------------------------------------
// diff

const DIFF_SPEC: DiffSpec = {
    replace: REPLACING_KEYS,
    update: [
        "name", "ipAccessList", "minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "idleScaling",
        "idleTimeoutMinutes", "releaseChannel", "endpoints", "privateEndpointIds", "tags", "state", "password",
        "passwordHash", "doubleSha1PasswordHash", "timeouts",
    ],
    sets: ["ipAccessList", "privateEndpointIds", "tags", "endpoints"],
    // Unset means "whatever the service has": the API chooses these, or the user stopped managing them.
    optionalComputed: [
        "tier", "dataWarehouseId", "isReadonly", "backupId", "byocId", "encryptionKey", "encryptionAssumedRoleIdentifier",
        "organizationId", "ipAccessList", "minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "idleScaling",
        "idleTimeoutMinutes", "releaseChannel", "endpoints", "privateEndpointIds", "tags", "state", "password",
        "passwordHash", "doubleSha1PasswordHash",
    ],
};

/** An ipAccessList entry as compared: an empty description is no description. */
function normalIp(e: unknown): unknown {
    if (isUnknown(e) || e === null || typeof e !== "object") return e;
    const { description } = e as IpAccessListEntry;
    const source = normalSource((e as IpAccessListEntry).source);
    return description === undefined || description === null || description === "" ? { source } : { source, description };
}

/** `1.2.3.4/32` is `1.2.3.4`, IPv6 is case-insensitive: spellings an API may normalize. */
function normalSource(source: unknown): unknown {
    if (typeof source !== "string" || isUnknown(source)) return source;
    const text = source.trim().toLowerCase();
    return text.includes(":") ? text.replace(/\/128$/, "") : text.replace(/\/32$/, "");
}

/** A tag as compared: an empty value is no value. */
function normalTag(t: unknown): unknown {
    if (isUnknown(t) || t === null || typeof t !== "object") return t;
    const { key, value } = t as ResourceTagsV1;
    return value === undefined || value === null || value === "" ? { key } : { key, value };
}

function isCreationTag(t: unknown): boolean {
    return t !== null && typeof t === "object" && (t as ResourceTagsV1).key === SERVICE_CREATION_TAG_KEY;
}

/** The API's endpoint list reduced to what can be set: `[{protocol: "mysql", enabled}]`. */
function endpointSettingsOf(endpoints: unknown): ServiceEndpointSetting[] | undefined {
    if (!Array.isArray(endpoints)) return undefined;
    // Already in the input shape (an older state, or a reconstructed input)?
    if (endpoints.some((e) => e && typeof e === "object" && "enabled" in e)) {
        return (endpoints as ServiceEndpointSetting[]).filter((e) => e.protocol === "mysql").map((e) => ({ protocol: "mysql", enabled: !!e.enabled }));
    }
    return [{ protocol: "mysql", enabled: (endpoints as ServiceEndpoint[]).some((e) => e.protocol === "mysql") }];
}

/** The desired-state word an API state counts as: `idle`, `provisioning`... count as running. */
export function serviceRunState(state: unknown): ServiceDesiredState | undefined {
    if (typeof state !== "string") return undefined;
    if (state === "running" || state === "stopped") return state;
    return STOPPED_LIKE.includes(state as ServiceState) ? "stopped" : "running";
}

/** Old outputs in the shape of inputs, for comparison. */
function comparableOutputs(olds: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...olds };
    if (Array.isArray(olds.ipAccessList)) out.ipAccessList = olds.ipAccessList.map(normalIp);
    if (Array.isArray(olds.tags)) out.tags = olds.tags.filter((t) => !isCreationTag(t)).map(normalTag);
    out.endpoints = endpointSettingsOf(olds.endpoints);
    out.state = serviceRunState(olds.state);
    // Settings that cannot change compare with what the user wrote, not with the API's spelling
    // of it (a warehouse given by its primary's id, a deprecated tier reported differently):
    // otherwise such a difference would replace the service on every run.
    const written = olds.__replacingInputs;
    if (written !== null && typeof written === "object") {
        for (const [k, v] of Object.entries(written)) if (v !== undefined && v !== null) out[k] = v;
    }
    return out;
}

/** New inputs normalized like {@link comparableOutputs}; unknown values stay unknown. */
function comparableInputs(news: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...news };
    const list = (p: string, f: (x: unknown) => unknown) => {
        if (Array.isArray(news[p]) && !isUnknown(news[p])) out[p] = (news[p] as unknown[]).map(f);
    };
    list("ipAccessList", normalIp);
    list("tags", normalTag);
    if (Array.isArray(news.endpoints) && !isUnknown(news.endpoints)) {
        // An empty list expresses no wish about the MySQL endpoint.
        out.endpoints = news.endpoints.length === 0 ? undefined : endpointSettingsOf(news.endpoints);
    }
    return out;
}

/**
 * Compares the recorded outputs with new inputs. Replaces for what the API cannot change
 * ({@link REPLACING_KEYS}); everything else updates in place. Lists are sets; unset scaling,
 * list and optional settings mean "not managed" and never differ, except that a `state`,
 * `releaseChannel`, `endpoints` or `tags` an earlier run set and this one removed goes back to the
 * API's default (serviceDefaults.ts); the creation tag, hidden keys
 * (`__creation`, `__provider`) and `adoptServiceId` are ignored. Pure.
 */
export function diffService(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    void id;
    return diffBySpec(comparableOutputs(olds), comparableInputs(withRemovedDefaults(olds, news)), DIFF_SPEC);
}

// ---------------------------------------------------------------------------------------------
// Outputs and inputs

const API_FIELDS = [
    "name", "provider", "region", "state", "clickhouseVersion", "endpoints", "tier", "minTotalMemoryGb", "maxTotalMemoryGb",
    "minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "minReplicas", "maxReplicas", "autoscalingMode", "replicaMemoryGb",
    "idleScaling", "idleTimeoutMinutes", "ipAccessList", "createdAt", "encryptionKey", "encryptionAssumedRoleIdentifier",
    "iamRole", "privateEndpointIds", "availablePrivateEndpointIds", "dataWarehouseId", "isPrimary", "isReadonly",
    "releaseChannel", "byocId", "hasTransparentDataEncryption", "profile", "transparentDataEncryptionKeyId",
    "encryptionRoleId", "complianceType", "tags", "enableCoreDumps", "scalingSchedule", "currentScaling",
] as const;

/** What the outputs keep that the API does not return. */
interface Kept {
    password?: string;
    passwordHash?: string;
    doubleSha1PasswordHash?: string;
}

/**
 * Outputs from an API service object: every API field, input values where the API has none
 * (tier, encryption, warehouse settings the API may omit), the input-only settings and the kept
 * secrets. `src` is the inputs (create, update) or the previous outputs (read).
 */
function outputsFrom(svc: ApiService, src: Record<string, unknown>, kept: Kept, organizationId: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of API_FIELDS) {
        const value = (svc as unknown as Record<string, unknown>)[f];
        if (value !== undefined) out[f] = value;
    }
    if (Array.isArray(svc.tags)) out.tags = svc.tags.filter((t) => !isCreationTag(t));
    for (const f of ["tier", "encryptionAssumedRoleIdentifier", "byocId", "dataWarehouseId", "isReadonly"]) {
        if (out[f] === undefined && src[f] !== undefined && !isUnknown(src[f])) out[f] = src[f];
    }
    // The key as given: an API that masks it must not look like a change (which would replace).
    if (src.encryptionKey !== undefined) out.encryptionKey = src.encryptionKey;
    out.__replacingInputs = isPlainObject(src.__replacingInputs) ? src.__replacingInputs : replacingInputsOf(src);
    for (const f of ["backupId", "timeouts", "adoptServiceId", CREATION_KEY, OWNER_KEY]) {
        if (src[f] !== undefined && !isUnknown(src[f])) out[f] = src[f];
    }
    out.organizationId = organizationId;
    out.__inputKeys = Array.isArray(src.__inputKeys) ? src.__inputKeys : inputKeysOf(src);
    return compact({ ...out, ...kept });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The replacing settings the user wrote (the encryption key is kept in its own secret output). */
function replacingInputsOf(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of REPLACING_KEYS) {
        if (k !== "encryptionKey" && inputs[k] !== undefined && inputs[k] !== null && !isUnknown(inputs[k])) out[k] = inputs[k];
    }
    return out;
}

function inputKeysOf(inputs: Record<string, unknown>): string[] {
    return INPUT_KEYS.filter((k) => inputs[k] !== undefined && inputs[k] !== null);
}

/**
 * The inputs as the user wrote them, with the API's current values for every setting the user
 * manages: after a refresh, a real drift shows as a diff and nothing else does. Secrets and
 * input-only settings come from the previous outputs.
 */
function inputsFrom(outs: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
    const c = comparableOutputs(outs);
    const inputs: Record<string, unknown> = {};
    for (const k of keys) {
        if (!(INPUT_KEYS as readonly string[]).includes(k)) continue;
        const value = (INPUT_ONLY_KEYS as readonly string[]).includes(k) ? outs[k] : c[k];
        if (value !== undefined) inputs[k] = value;
    }
    for (const k of [CREATION_KEY, OWNER_KEY]) if (outs[k] !== undefined) inputs[k] = outs[k];
    return inputs;
}

// ---------------------------------------------------------------------------------------------
// Helpers for CRUD

/** `base64(sha256(password))`, the API's `newPasswordHash`. */
export function sha256PasswordHash(password: string): string {
    return crypto.createHash("sha256").update(password, "utf8").digest("base64");
}

/** `hex(sha1(sha1(password)))`, the API's MySQL `newDoubleSha1Hash`. */
export function mysqlDoubleSha1Hash(password: string): string {
    const once = crypto.createHash("sha1").update(password, "utf8").digest();
    return crypto.createHash("sha1").update(once).digest("hex");
}

function sha256Hex(text: string): string {
    return crypto.createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The creation tag of a new service: readable `<project>.<stack>.<name>`, then the stack's
 * ownership id and the attempt id (`….o-<owner>.a-<attempt>`). The attempt is recorded in the
 * local attempts file before the POST (see `journal.ts`), so only a create of this stack
 * instance that was interrupted before the engine recorded it is ever found by it; the owner
 * lets `pulumi-clickhouse-cloud orphans` and the stack's destroy list what the stack left.
 */
export function serviceCreationTag(inputs: Record<string, unknown>, attempt: string): ResourceTagsV1 | undefined {
    const creation = inputs[CREATION_KEY];
    if (typeof creation !== "string" || creation === "") return undefined;
    const readable = creation.replace(/\//g, ".").replace(/[^a-zA-Z0-9._-]/g, "_").slice(0, 200);
    const owner = ownerOf(inputs);
    return { key: SERVICE_CREATION_TAG_KEY, value: owner ? `${readable}.o-${owner}.a-${attempt}` : `${readable}.a-${attempt}` };
}

/** The ownership id and attempt a service's creation tag carries, if it has one of this form. */
export function creationMarkOf(svc: { tags?: ResourceTagsV1[] }): { owner: string; attempt: string } | undefined {
    for (const t of svc.tags ?? []) {
        if (t.key !== SERVICE_CREATION_TAG_KEY || typeof t.value !== "string") continue;
        const m = /\.o-([0-9a-f]{16})\.a-([0-9a-f]{12})$/.exec(t.value);
        if (m) return { owner: m[1], attempt: m[2] };
    }
    return undefined;
}

/** The stack's ownership id from the hidden input, when known (it is unknown during a first preview). */
function ownerOf(inputs: Record<string, unknown>): string | undefined {
    const owner = inputs[OWNER_KEY];
    return typeof owner === "string" && OWNER_ID.test(owner) ? owner : undefined;
}

/** True when an existing service agrees with every replacing argument the user gave. */
function matchesReplacingInputs(svc: ApiService, inputs: Record<string, unknown>): boolean {
    if (svc.provider !== inputs.provider || svc.region !== inputs.region) return false;
    const given = (k: string) => inputs[k] !== undefined && inputs[k] !== null;
    const api = svc as unknown as Record<string, unknown>;
    for (const k of ["tier", "dataWarehouseId", "byocId", "encryptionAssumedRoleIdentifier"]) {
        if (given(k) && api[k] !== undefined && api[k] !== inputs[k]) return false;
    }
    if (given("isReadonly") && (svc.isReadonly ?? false) !== inputs.isReadonly) return false;
    return true;
}

/** True while a service is neither gone nor on its way out. */
export function isLiveService(s: ApiService): boolean {
    return !s.state || (!GONE_STATES.includes(s.state) && !TERMINATING_STATES.includes(s.state));
}

/** The service a POST whose answer was lost created, asked for by its (unique) creation tag, now. */
async function findByCreationTag(client: ApiClient, tag: ResourceTagsV1): Promise<ApiService | undefined> {
    const list = await client.get<ApiService[]>("/services", { query: { filter: `tag:${tag.key}=${tag.value}` } });
    return (list ?? []).find((s) => isLiveService(s) && (s.tags ?? []).some((t) => t.key === tag.key && t.value === tag.value));
}

/**
 * What interrupted earlier creates of this resource left, found through the attempts file:
 * nothing is looked up (no request) unless an earlier run of this stack began a create of this
 * resource and never handed it to the engine. The one that agrees with every replacing argument
 * is resumed; any other is this stack's as well, never recorded and its password never returned,
 * and is deleted (see docs/ownership.md, "Interrupted, then edited"). Attempts that created
 * nothing are dropped.
 */
async function interruptedServices(
    client: ApiClient,
    inputs: Record<string, unknown>,
): Promise<{ resume?: { svc: ApiService; attempt: string }; discard: Array<{ svc: ApiService; attempt: string }>; nothing: string[] }> {
    const owner = ownerOf(inputs);
    const resource = inputs[CREATION_KEY];
    if (!owner || typeof resource !== "string") return { discard: [], nothing: [] };
    const attempts = interruptedAttempts(owner, "Service", resource);
    if (attempts.length === 0) return { discard: [], nothing: [] };
    const ids = new Set(attempts.map((a) => a.attempt));
    const list = (await client.get<ApiService[]>("/services")) ?? [];
    const found = list
        .filter(isLiveService)
        .map((svc) => ({ svc, mark: creationMarkOf(svc) }))
        .filter((x) => x.mark !== undefined && x.mark.owner === owner && ids.has(x.mark.attempt))
        .map((x) => ({ svc: x.svc, attempt: x.mark!.attempt }))
        .sort((a, b) => String(a.svc.createdAt ?? "").localeCompare(String(b.svc.createdAt ?? "")));
    const resume = found.find((x) => matchesReplacingInputs(x.svc, inputs));
    const seen = new Set(found.map((x) => x.attempt));
    return { resume, discard: found.filter((x) => x !== resume), nothing: attempts.map((a) => a.attempt).filter((a) => !seen.has(a)) };
}

/** How a service differs from the replacing arguments, for messages: `region us-east-1 (the program says eu-central-1)`. */
function replacingDifferences(svc: ApiService, inputs: Record<string, unknown>): string {
    const api = svc as unknown as Record<string, unknown>;
    const diffs: string[] = [];
    for (const k of ["provider", "region", "tier", "dataWarehouseId", "byocId", "encryptionAssumedRoleIdentifier", "isReadonly"]) {
        const given = inputs[k];
        if (given === undefined || given === null) continue;
        const actual = k === "isReadonly" ? (svc.isReadonly ?? false) : api[k];
        if (actual !== undefined && actual !== given) diffs.push(`${k} ${show(actual)} (the program says ${show(given)})`);
    }
    return diffs.join(", ") || "other replacing settings";
}

/** The provider configuration, refusing an `organizationId` other than the key's. */
function configFor(organizationId: unknown): ProviderConfig {
    const cfg = currentConfig();
    if (typeof organizationId === "string" && organizationId !== "" && !isUnknown(organizationId) && organizationId !== cfg.organizationId) {
        throw new Error(
            `${RESOURCE}: "organizationId" is ${organizationId}, but the provider is configured for organization ${cfg.organizationId} ` +
                `(clickhouse:organizationId or CLICKHOUSE_ORG_ID), and an API key belongs to one organization. ` +
                `Configure a key of organization ${organizationId}, or remove "organizationId".`,
        );
    }
    return cfg;
}

function labelOf(src: Record<string, unknown>, id?: string): string {
    return typeof src.name === "string" ? src.name : id ?? "service";
}

function remaining(deadline: number): number {
    return Math.max(1, deadline - Date.now());
}

/** A pause between retries of a conflicting change; ends at once when the engine cancels the run. */
function sleep(ms: number, what: string): Promise<void> {
    return cancellableSleep(ms, what);
}

async function getService(client: ApiClient, id: string): Promise<ApiService | undefined> {
    try {
        return await client.get<ApiService>(`/services/${id}`);
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** Set difference of two lists compared by canonical form (after `normal`). */
function setChanges<T>(before: readonly T[], after: readonly T[], normal: (x: T) => unknown = (x) => x): { add: T[]; remove: T[] } {
    const b = new Set(before.map((x) => canonical(normal(x))));
    const a = new Set(after.map((x) => canonical(normal(x))));
    return { add: after.filter((x) => !b.has(canonical(normal(x)))), remove: before.filter((x) => !a.has(canonical(normal(x)))) };
}

/** The secrets and password state while converging, so a failure midway records what is true. */
interface PasswordState {
    password?: string;
    passwordHash?: string;
    doubleSha1PasswordHash?: string;
}

interface ConvergeContext {
    client: ApiClient;
    id: string;
    label: string;
    deadline: number;
    /** The latest service object seen, updated as the converge proceeds. */
    svc: ApiService;
    secrets: PasswordState;
}

async function changeState(ctx: ConvergeContext, command: "start" | "stop"): Promise<void> {
    await ctx.client.patch(`/services/${ctx.id}/state`, { command });
    const until: ServiceState[] = command === "stop" ? ["stopped"] : ["running", "idle"];
    const svc = await waitForService(ctx.client, ctx.id, { until, timeoutMs: remaining(ctx.deadline), label: ctx.label });
    if (svc) ctx.svc = svc;
}

/**
 * Brings an existing service from `olds` (outputs, or outputs built from the API object) to
 * `news`, each change through its own endpoint, then waits for a stable state. Used by update,
 * by adoption and after a create. Mutates `ctx` so a caller can report what was reached.
 */
async function converge(ctx: ConvergeContext, olds: Record<string, unknown>, news: Record<string, unknown>, opts: { rotateUnknownPassword?: boolean } = {}): Promise<void> {
    const { client, id } = ctx;
    const before = comparableOutputs(olds);
    const after = comparableInputs(news);
    const changed = (p: string) => {
        const a = after[p];
        if (a === undefined || a === null) return false;
        return DIFF_SPEC.sets?.includes(p) ? !sameSet(before[p] as unknown[] | undefined, a as unknown[]) : !sameValue(before[p], a);
    };
    let touched = false;

    // Start first, so the other changes reach a running service.
    if (news.state === "running" && serviceRunState(ctx.svc.state) === "stopped") {
        if (ctx.svc.state === "stopping") {
            const svc = await waitForService(client, id, { until: ["stopped"], timeoutMs: remaining(ctx.deadline), label: ctx.label });
            if (svc) ctx.svc = svc;
        }
        await changeState(ctx, "start");
    }

    // PATCH /services/{id}: name, lists, release channel, endpoints, tags.
    const patch: ServicePatchRequest = {};
    if (changed("name")) patch.name = news.name as string;
    if (changed("ipAccessList")) {
        const { add, remove } = setChanges((olds.ipAccessList as IpAccessListEntry[] | undefined) ?? [], news.ipAccessList as IpAccessListEntry[], normalIp);
        // The API matches removals by source; an entry whose description changed is removed and re-added.
        patch.ipAccessList = compact({ remove: remove.length ? remove.map((e) => ({ source: e.source })) : undefined, add: add.length ? add.map((e) => normalIp(e) as IpAccessListEntry) : undefined });
    }
    if (changed("privateEndpointIds")) {
        const { add, remove } = setChanges((olds.privateEndpointIds as string[] | undefined) ?? [], news.privateEndpointIds as string[]);
        patch.privateEndpointIds = compact({ remove: remove.length ? remove : undefined, add: add.length ? add : undefined });
    }
    if (changed("releaseChannel")) patch.releaseChannel = news.releaseChannel as ServicePatchRequest["releaseChannel"];
    if (changed("endpoints")) patch.endpoints = after.endpoints as ServiceEndpointSetting[];
    if (changed("tags")) {
        const oldTags = ((olds.tags as ResourceTagsV1[] | undefined) ?? []).filter((t) => !isCreationTag(t));
        const { add, remove } = setChanges(oldTags, news.tags as ResourceTagsV1[], normalTag);
        patch.tags = compact({ remove: remove.length ? remove.map((t) => normalTag(t) as ResourceTagsV1) : undefined, add: add.length ? add.map((t) => normalTag(t) as ResourceTagsV1) : undefined });
    }
    if (Object.keys(patch).length > 0) {
        ctx.svc = await client.patch<ApiService>(`/services/${id}`, patch);
        touched = true;
    }

    // PATCH /replicaScaling: memory, replicas, idle scaling.
    const scaling: ServiceReplicaScalingPatchRequest = {};
    const memoryChanged = changed("minReplicaMemoryGb") || changed("maxReplicaMemoryGb");
    for (const p of ["minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "idleScaling", "idleTimeoutMinutes"] as const) {
        const isMemory = p === "minReplicaMemoryGb" || p === "maxReplicaMemoryGb";
        // Both memory bounds travel together so the API never sees min > max halfway.
        if (news[p] !== undefined && news[p] !== null && (changed(p) || (isMemory && memoryChanged))) {
            (scaling as Record<string, unknown>)[p] = news[p];
        }
    }
    if (Object.keys(scaling).length > 0) {
        ctx.svc = await client.patch<ApiService>(`/services/${id}/replicaScaling`, scaling);
        touched = true;
    }

    // PATCH /password: hashes only, never the plaintext.
    if (typeof news.passwordHash === "string" && (changed("passwordHash") || changed("doubleSha1PasswordHash"))) {
        const body: ServicePasswordPatchRequest = compact({ newPasswordHash: news.passwordHash, newDoubleSha1Hash: news.doubleSha1PasswordHash as string | undefined });
        await client.patch<ServicePasswordPatchResponse>(`/services/${id}/password`, body);
        ctx.secrets = compact({ passwordHash: news.passwordHash, doubleSha1PasswordHash: news.doubleSha1PasswordHash as string | undefined });
    } else if (typeof news.password === "string" && news.password !== olds.password) {
        const body: ServicePasswordPatchRequest = { newPasswordHash: sha256PasswordHash(news.password), newDoubleSha1Hash: mysqlDoubleSha1Hash(news.password) };
        await client.patch<ServicePasswordPatchResponse>(`/services/${id}/password`, body);
        ctx.secrets = { password: news.password };
    } else if (opts.rotateUnknownPassword && ctx.secrets.password === undefined && news.passwordHash === undefined) {
        // A service found again after an interrupted create: its generated password was lost with
        // the POST's answer, so have the API generate a new one.
        const res = await client.patch<ServicePasswordPatchResponse>(`/services/${id}/password`, {});
        ctx.secrets = compact({ password: res?.password });
    }

    if (news.state === "stopped" && serviceRunState(ctx.svc.state) !== "stopped") {
        await changeState(ctx, "stop");
    } else if (news.state === "stopped" && ctx.svc.state === "stopping") {
        const svc = await waitForService(client, id, { until: ["stopped"], timeoutMs: remaining(ctx.deadline), label: ctx.label });
        if (svc) ctx.svc = svc;
    } else if (touched) {
        const svc = await waitForService(client, id, { until: STABLE_STATES, timeoutMs: remaining(ctx.deadline), label: ctx.label });
        if (svc) ctx.svc = svc;
    }
}

// ---------------------------------------------------------------------------------------------
// CRUD

async function createService(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
    const cfg = configFor(inputs.organizationId);
    const client = getClient(cfg);
    const label = labelOf(inputs);
    const deadline = Date.now() + timeoutFor(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUT_MS);

    if (typeof inputs.adoptServiceId === "string") return adoptService(client, cfg, inputs, inputs.adoptServiceId, deadline);

    const owner = ownerOf(inputs);
    const interrupted = await interruptedServices(client, inputs);
    if (owner) finishAttempts(owner, interrupted.nothing);
    /** Deleting what interrupted creates left with other replacing settings; each settles with its error. */
    const discards = interrupted.discard.map(({ svc, attempt }) => {
        warn(
            `${RESOURCE} ${label}: service ${svc.id} ("${svc.name}") was created by an interrupted earlier run of this resource and never recorded, ` +
                `but has ${replacingDifferences(svc, inputs)}: deleting it (its password was never returned, so it holds nothing of yours).`,
        );
        return deleteService(svc.id as string, { state: svc.state, name: svc.name, organizationId: cfg.organizationId, timeouts: inputs.timeouts }).then(
            () => {
                if (owner) finishAttempts(owner, [attempt]);
                return undefined;
            },
            (e: Error) =>
                new Error(
                    `${RESOURCE} ${label}: could not delete service ${svc.id}, left by an interrupted earlier create of this resource: ${e.message}. ` +
                        `Delete it with "npx pulumi-clickhouse-cloud orphans --delete" or in the ClickHouse Cloud console.`,
                ),
        );
    });

    let ctx: ConvergeContext;
    let attempt: string;
    const resumed = interrupted.resume;
    if (resumed) {
        attempt = resumed.attempt;
        warn(
            `${RESOURCE} ${label}: resuming service ${resumed.svc.id}, which an interrupted earlier run of this stack created for this resource ` +
                `and never recorded; no new service is created.`,
        );
        ctx = { client, id: resumed.svc.id as string, label, deadline, svc: resumed.svc, secrets: {} };
    } else {
        attempt = newAttemptId();
        const tag = serviceCreationTag(inputs, attempt);
        // Recorded before the POST: from here until the engine has the answer, a kill leaves an
        // attempt the next run of this stack can resume, and nobody else's run can.
        if (owner && typeof inputs[CREATION_KEY] === "string") beginAttempt(owner, { attempt, kind: "Service", resource: inputs[CREATION_KEY] as string });
        let res: ServicePostResponse;
        try {
            // `start`: the POST begins minutes of provisioning, so it may take the slot the poller keeps.
            res = await withPriority("start", () =>
                client.post<ServicePostResponse>("/services", postBody(inputs, tag), {
                    reconcile: tag
                        ? async () => {
                              const s = await findByCreationTag(client, tag);
                              return s ? ({ service: s } as ServicePostResponse) : undefined;
                          }
                        : undefined,
                }),
            );
        } catch (e) {
            // A refusal created nothing; a lost answer may have, so its attempt stays for the next run.
            if (owner && isApiError(e) && e.status < 500 && e.status !== 429) finishAttempts(owner, [attempt]);
            await Promise.all(discards);
            throw e;
        }
        if (!res.service?.id) throw new Error(`${RESOURCE} ${label}: the API accepted the create but returned no service id; look for a service named "${label}"${tag ? ` tagged ${tag.key}=${tag.value}` : ""}.`);
        ctx = { client, id: res.service.id, label, deadline, svc: res.service, secrets: compact({ password: res.password }) };
    }

    try {
        if (!ctx.svc.state || !STABLE_STATES.includes(ctx.svc.state)) {
            const stable = await waitForService(client, ctx.id, { until: STABLE_STATES, timeoutMs: remaining(deadline), label });
            if (stable) ctx.svc = stable;
        }
        const olds = outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId);
        await converge(ctx, olds, inputs, { rotateUnknownPassword: resumed !== undefined });
        const failed = (await Promise.all(discards)).find((e) => e !== undefined);
        if (failed) throw failed;
    } catch (err) {
        await Promise.all(discards);
        // The engine records the service with this answer: the attempt is no longer interrupted.
        if (owner) finishAttempts(owner, [attempt]);
        throw partialFailure(ctx.id, outputsFrom(lastSeen(err, ctx.svc), inputs, ctx.secrets, cfg.organizationId), inputs, withFailedAdvice(err, label, ctx.id));
    }
    if (owner) finishAttempts(owner, [attempt]);
    return { id: ctx.id, outs: outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId) };
}

function lastSeen(err: unknown, fallback: ApiService): ApiService {
    return err instanceof WaitError && err.lastSeen && typeof err.lastSeen === "object" ? (err.lastSeen as ApiService) : fallback;
}

function postBody(inputs: Record<string, unknown>, tag: ResourceTagsV1 | undefined): ServicePostRequest {
    const pick = <K extends keyof ServicePostRequest>(k: K) => inputs[k] as ServicePostRequest[K];
    const tags = [...((inputs.tags as ResourceTagsV1[] | undefined) ?? []).map((t) => normalTag(t) as ResourceTagsV1), ...(tag ? [tag] : [])];
    return compact({
        name: pick("name"),
        provider: pick("provider"),
        region: pick("region"),
        tier: pick("tier"),
        ipAccessList: inputs.ipAccessList ? (inputs.ipAccessList as IpAccessListEntry[]).map((e) => normalIp(e) as IpAccessListEntry) : undefined,
        minReplicaMemoryGb: pick("minReplicaMemoryGb"),
        maxReplicaMemoryGb: pick("maxReplicaMemoryGb"),
        numReplicas: pick("numReplicas"),
        idleScaling: pick("idleScaling"),
        idleTimeoutMinutes: pick("idleTimeoutMinutes"),
        isReadonly: pick("isReadonly"),
        dataWarehouseId: pick("dataWarehouseId"),
        backupId: pick("backupId"),
        encryptionKey: pick("encryptionKey"),
        encryptionAssumedRoleIdentifier: pick("encryptionAssumedRoleIdentifier"),
        releaseChannel: pick("releaseChannel"),
        byocId: pick("byocId"),
        endpoints: pick("endpoints"),
        tags: tags.length ? tags : undefined,
        // privateEndpointIds: attached by PATCH afterwards (deprecated on POST by the API).
    });
}

/** Takes over an existing service by id and converges it to the arguments. */
async function adoptService(client: ApiClient, cfg: ProviderConfig, inputs: Record<string, unknown>, id: string, deadline: number): Promise<{ id: string; outs: Record<string, unknown> }> {
    const label = labelOf(inputs, id);
    const existing = await getService(client, id);
    if (!existing || (existing.state && (GONE_STATES.includes(existing.state) || TERMINATING_STATES.includes(existing.state)))) {
        throw new Error(`${RESOURCE} ${label}: "adoptServiceId" is ${id}, but organization ${cfg.organizationId} has no such service${existing ? ` (it is ${existing.state})` : ""}.`);
    }
    for (const k of ["provider", "region"] as const) {
        if (existing[k] !== inputs[k]) {
            throw new Error(`${RESOURCE} ${label}: service ${id} to adopt has ${k} ${show(existing[k])}, but the arguments say ${show(inputs[k])}; a ${k} cannot be changed: set "${k}" to ${show(existing[k])}.`);
        }
    }
    const ctx: ConvergeContext = { client, id, label, deadline, svc: existing, secrets: {} };
    try {
        if (!existing.state || !STABLE_STATES.includes(existing.state)) {
            const stable = await waitForService(client, id, { until: STABLE_STATES, timeoutMs: remaining(deadline), label });
            if (stable) ctx.svc = stable;
        }
        await converge(ctx, outputsFrom(ctx.svc, {}, {}, cfg.organizationId), inputs);
    } catch (err) {
        throw partialFailure(id, outputsFrom(lastSeen(err, ctx.svc), inputs, ctx.secrets, cfg.organizationId), inputs, err);
    }
    return { id, outs: outputsFrom(ctx.svc, inputs, ctx.secrets, cfg.organizationId) };
}

async function readService(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const cfg = configFor(props.organizationId);
    const client = getClient(cfg);
    // Through the poller: the reads of a refresh share list calls instead of one GET each.
    const svc = await observeService(client, id, { timeoutMs: DEFAULT_TIMEOUT_MS, label: labelOf(props, id) });
    if (!svc || (svc.state && GONE_STATES.includes(svc.state))) return { id: "" };
    const kept: Kept = {
        password: props.password as string | undefined,
        passwordHash: props.passwordHash as string | undefined,
        doubleSha1PasswordHash: props.doubleSha1PasswordHash as string | undefined,
    };
    const outs = outputsFrom(svc, props, kept, cfg.organizationId);
    const keys = props.__inputKeys;
    return Array.isArray(keys) ? { id, props: outs, inputs: inputsFrom(outs, keys as string[]) } : { id, props: outs };
}

async function updateService(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: Record<string, unknown> }> {
    const cfg = configFor(news.organizationId ?? olds.organizationId);
    const client = getClient(cfg);
    const label = labelOf(news, id);
    const deadline = Date.now() + timeoutFor(news.timeouts as Timeouts | undefined, "update", DEFAULT_TIMEOUT_MS);
    const current = await getService(client, id);
    if (!current) throw new Error(`${RESOURCE} ${label}: service ${id} no longer exists (404); run "pulumi refresh" to drop it from the state, then "pulumi up" to create it again.`);
    const ctx: ConvergeContext = {
        client,
        id,
        label,
        deadline,
        svc: current,
        secrets: compact({ password: olds.password as string | undefined, passwordHash: olds.passwordHash as string | undefined, doubleSha1PasswordHash: olds.doubleSha1PasswordHash as string | undefined }),
    };
    const kept = () => ({ ...ctx.secrets });
    // The recorded outputs, refreshed with what the API reports now, are the starting point.
    const before = { ...olds, ...outputsFrom(current, olds, {}, cfg.organizationId) };
    try {
        if (!current.state || (!STABLE_STATES.includes(current.state) && current.state !== "stopping")) {
            const stable = await waitForService(client, id, { until: STABLE_STATES, timeoutMs: remaining(deadline), label });
            if (stable) ctx.svc = stable;
        }
        await converge(ctx, before, withRemovedDefaults(olds, news));
    } catch (err) {
        const latest = (await getService(client, id).catch(() => undefined)) ?? lastSeen(err, ctx.svc);
        throw partialFailure(id, outputsFrom(latest, news, kept(), cfg.organizationId), news, withFailedAdvice(err, label, id));
    }
    return { outs: outputsFrom(ctx.svc, news, kept(), cfg.organizationId) };
}

/** Stops (when needed) and deletes a service, waiting until it is gone; `props` are its outputs. */
export async function deleteService(id: string, props: Record<string, unknown>): Promise<void> {
    const cfg = configFor(props.organizationId);
    const client = getClient(cfg);
    const label = labelOf(props, id);
    const start = Date.now();
    const deadline = start + timeoutFor(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUT_MS);
    let conflictDelayMs = 1000;
    let lastState: string | undefined;
    /** The service once stopped (or failed, degraded), or undefined once it no longer exists. */
    const waitStoppedOrGone = async (): Promise<ApiService | undefined> => {
        const until = (s: ApiService) => s.state === "stopped" || s.state === "failed" || s.state === "degraded";
        try {
            return await waitForService(client, id, { until, failOn: [], timeoutMs: remaining(deadline), label, targetDescription: "stopped" });
        } catch (e) {
            if (e instanceof WaitError && e.reason === "gone") return undefined;
            throw e;
        }
    };
    // Gone is a 404, or a state that only reports the end (terminated, softdeleted).
    const waitUntilDeleted = async (): Promise<void> => {
        const until = (s: ApiService) => !!s.state && GONE_STATES.includes(s.state);
        try {
            await waitForService(client, id, { until, failOn: [], timeoutMs: remaining(deadline), label, targetDescription: "deleted" });
        } catch (e) {
            if (!(e instanceof WaitError && e.reason === "gone")) throw e;
        }
    };
    // The state the last wait ended on, so the next step does not read it again. The first step
    // trusts the recorded state when it is a settled one (a destroy of ten services then starts
    // with ten stops, not with a read): a stale record only makes the first request fail, and
    // that failure sends us to read the service.
    const recorded = typeof props.state === "string" && ["running", "idle", "stopped"].includes(props.state) ? (props.state as ServiceState) : undefined;
    let seen: ApiService | undefined | null = recorded ? ({ id, state: recorded } as ApiService) : null;
    let presumed = recorded !== undefined;
    await warnUnmanagedClickPipes(client, RESOURCE, label, id);
    for (;;) {
        if (Date.now() >= deadline) {
            throw new Error(`${RESOURCE}: timed out after ${formatDuration(Date.now() - start)} deleting service "${label}" (${id}); last state: ${lastState ?? "unknown"}.`);
        }
        // Through the poller: the deletes of a destroy share list calls instead of one GET each.
        const svc = seen !== null ? seen : await observeService(client, id, { timeoutMs: remaining(deadline), label });
        const guessed = presumed;
        seen = null;
        presumed = false;
        if (!svc || (svc.state && GONE_STATES.includes(svc.state))) return;
        lastState = svc.state;
        if (svc.state && TERMINATING_STATES.includes(svc.state)) {
            await waitUntilDeleted();
            return;
        }
        if (svc.state === "running" || svc.state === "idle" || svc.state === "partially_running" || svc.state === "stopping") {
            if (svc.state !== "stopping") {
                try {
                    await client.patch(`/services/${id}/state`, { command: "stop" });
                } catch (e) {
                    if (isNotFound(e)) return;
                    if (guessed && isApiError(e) && e.status >= 400 && e.status < 500) continue;
                    if (!isConflict(e)) throw e;
                    await sleep(Math.min(conflictDelayMs, remaining(deadline)), `waiting to retry stopping service "${label}" (${id}) before deleting it`);
                    conflictDelayMs = Math.min(conflictDelayMs * 2, 10_000);
                    continue;
                }
            }
            seen = await waitStoppedOrGone();
            if (!seen) return;
            continue;
        }
        // stopped, provisioning, starting, awaking, degraded, failed: the API accepts DELETE.
        try {
            await client.delete(`/services/${id}`);
        } catch (e) {
            if (isNotFound(e)) return;
            if (guessed && isApiError(e) && e.status >= 400 && e.status < 500) continue;
            if (!isConflict(e)) throw e;
            // Right after `stopped` the API may still report a transition: retry, bounded by the deadline.
            await sleep(Math.min(conflictDelayMs, remaining(deadline)), `waiting to retry deleting service "${label}" (${id})`);
            conflictDelayMs = Math.min(conflictDelayMs * 2, 10_000);
            continue;
        }
        await waitUntilDeleted();
        return;
    }
}

/** The `clickhouse:Service` provider methods, dispatched to by the runtime. */
export const serviceHandlers: Handlers = {
    check: async (olds, news) => checkService(olds ?? {}, news ?? {}),
    diff: async (id, olds, news) => diffService(id, olds ?? {}, news ?? {}),
    create: async (inputs) => createService(inputs),
    read: async (id, props) => readService(id, props ?? {}),
    update: async (id, olds, news) => updateService(id, olds ?? {}, news ?? {}),
    delete: async (id, props) => deleteService(id, props ?? {}),
};

// ---------------------------------------------------------------------------------------------
// Resource class

/**
 * The secret arguments (password, its hashes, the encryption key) marked secret, so that neither
 * the state's inputs, nor `preview --diff`, nor the engine's check messages show them when the
 * program passes plain strings (for example read from its environment).
 */
export function secretInputs(args: ServiceArgs): Record<string, pulumi.Input<unknown>> {
    const out: Record<string, pulumi.Input<unknown>> = {};
    for (const key of SECRET_OUTPUTS) {
        const value = (args as unknown as Record<string, unknown>)[key];
        if (value !== undefined && value !== null) out[key] = pulumi.secret(value as pulumi.Input<unknown>);
    }
    return out;
}

/**
 * A ClickHouse Cloud service. Creating it waits until the service is running (or stopped, if
 * `state: "stopped"`); deleting it stops it first and waits until it is gone.
 *
 * A create interrupted with its run is resumed by the next `up` of the same stack instance (its
 * `pulumi-creation` tag carries the stack's ownership id and an attempt recorded before the
 * POST); no other service is ever taken without `adoptServiceId` (see docs/ownership.md).
 * `pulumi up --replace` creates a new service, then the old one is deleted.
 *
 * ```ts
 * const svc = new Service("warehouse", {
 *     name: "warehouse", provider: "aws", region: "eu-central-1",
 *     ipAccessList: [{ source: "203.0.113.0/24", description: "office" }],
 *     minReplicaMemoryGb: 8, maxReplicaMemoryGb: 32,
 * });
 * export const host = svc.endpoints.apply((e) => e?.find((x) => x.protocol === "https")?.host);
 * export const password = svc.password; // secret
 * ```
 */
export class Service extends ClickHouseResource {
    /** Name of the service. */
    declare readonly name: pulumi.Output<string>;
    /** Cloud provider. */
    declare readonly provider: pulumi.Output<CloudProvider>;
    /** Region. */
    declare readonly region: pulumi.Output<Region>;
    /** Current API state (`running`, `idle`, `stopped`, ...). */
    declare readonly state: pulumi.Output<ServiceState>;
    /** ClickHouse version. */
    declare readonly clickhouseVersion: pulumi.Output<string | undefined>;
    /** Endpoints: `[{protocol, host, port, username}]` for https, nativesecure and (when enabled) mysql. */
    declare readonly endpoints: pulumi.Output<ServiceEndpoint[]>;
    /** Tier on legacy organizations; undefined on the current tiers unless the program gave one. */
    declare readonly tier: pulumi.Output<ServiceTier | undefined>;
    /** Deprecated total memory of three workers, minimum, GiB. */
    declare readonly minTotalMemoryGb: pulumi.Output<number | undefined>;
    /** Deprecated total memory of three workers, maximum, GiB. */
    declare readonly maxTotalMemoryGb: pulumi.Output<number | undefined>;
    /** Minimum memory per replica, GiB. */
    declare readonly minReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Maximum memory per replica, GiB. */
    declare readonly maxReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Number of replicas (vertical autoscaling). */
    declare readonly numReplicas: pulumi.Output<number | undefined>;
    /** Minimum replicas (horizontal autoscaling). */
    declare readonly minReplicas: pulumi.Output<number | undefined>;
    /** Maximum replicas (horizontal autoscaling). */
    declare readonly maxReplicas: pulumi.Output<number | undefined>;
    /** `vertical` or `horizontal`. */
    declare readonly autoscalingMode: pulumi.Output<"vertical" | "horizontal">;
    /** Fixed memory per replica in horizontal autoscaling, GiB. */
    declare readonly replicaMemoryGb: pulumi.Output<number | undefined>;
    /** Whether idle scaling is on. */
    declare readonly idleScaling: pulumi.Output<boolean | undefined>;
    /** Idle timeout, minutes. */
    declare readonly idleTimeoutMinutes: pulumi.Output<number | undefined>;
    /** Allowed addresses. */
    declare readonly ipAccessList: pulumi.Output<ServiceIpAccessEntry[]>;
    /** Creation time, ISO-8601. */
    declare readonly createdAt: pulumi.Output<string | undefined>;
    /** Customer disk encryption key (secret). */
    declare readonly encryptionKey: pulumi.Output<string | undefined>;
    /** Role used for disk encryption. */
    declare readonly encryptionAssumedRoleIdentifier: pulumi.Output<string | undefined>;
    /** IAM role for S3 access. */
    declare readonly iamRole: pulumi.Output<string | undefined>;
    /** Attached private endpoint ids. */
    declare readonly privateEndpointIds: pulumi.Output<string[]>;
    /** Private endpoint ids that could be attached. */
    declare readonly availablePrivateEndpointIds: pulumi.Output<string[] | undefined>;
    /** Data warehouse of the service. */
    declare readonly dataWarehouseId: pulumi.Output<string | undefined>;
    /** Whether this is its warehouse's primary service. */
    declare readonly isPrimary: pulumi.Output<boolean | undefined>;
    /** Whether the service is read-only. */
    declare readonly isReadonly: pulumi.Output<boolean | undefined>;
    /** Release channel. */
    declare readonly releaseChannel: pulumi.Output<string | undefined>;
    /** BYOC region id. */
    declare readonly byocId: pulumi.Output<string | undefined>;
    /** Whether Transparent Data Encryption is on. */
    declare readonly hasTransparentDataEncryption: pulumi.Output<boolean | undefined>;
    /** Instance profile (ENTERPRISE). */
    declare readonly profile: pulumi.Output<string | undefined>;
    /** TDE key id. */
    declare readonly transparentDataEncryptionKeyId: pulumi.Output<string | undefined>;
    /** IAM role id used for encryption. */
    declare readonly encryptionRoleId: pulumi.Output<string | undefined>;
    /** Compliance type (`hipaa`, `pci`). */
    declare readonly complianceType: pulumi.Output<string | undefined>;
    /** Tags (without the provider's `pulumi-creation` tag). */
    declare readonly tags: pulumi.Output<ServiceTag[]>;
    /** Whether core dumps are collected. */
    declare readonly enableCoreDumps: pulumi.Output<boolean | undefined>;
    /** Autoscaling schedule, when configured. */
    declare readonly scalingSchedule: pulumi.Output<unknown>;
    /** Scaling currently in effect. */
    declare readonly currentScaling: pulumi.Output<unknown>;
    /** Password of the `default` user (secret): the given one or the generated one; unknown with `passwordHash`. */
    declare readonly password: pulumi.Output<string | undefined>;
    /** The `passwordHash` argument (secret). */
    declare readonly passwordHash: pulumi.Output<string | undefined>;
    /** The `doubleSha1PasswordHash` argument (secret). */
    declare readonly doubleSha1PasswordHash: pulumi.Output<string | undefined>;
    /** Backup the service was restored from. */
    declare readonly backupId: pulumi.Output<string | undefined>;
    /** Organization of the service. */
    declare readonly organizationId: pulumi.Output<string>;
    /** Time limits in force. */
    declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
    /** The service id this resource adopted, if any. */
    declare readonly adoptServiceId: pulumi.Output<string | undefined>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<string, undefined> = {};
        for (const key of [...API_FIELDS, ...INPUT_ONLY_KEYS]) outputs[key] = undefined;
        super(
            "Service",
            name,
            { ...outputs, ...args, ...secretInputs(args) },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] },
        );
    }
}
