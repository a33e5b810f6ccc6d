/**
 * The arguments and outputs of a Service, with their TSDoc: what a user reads in the editor.
 */
import type { CloudProvider, Region, Service as ApiService, ServiceTier } from "../../api/types";
import type { Timeouts } from "../timeouts";
import type { ArgsOf } from "../shape";
import type { ServiceArgumentKey } from "./properties";

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

/**
 * The arguments of a {@link Service} with every value resolved, as `check`, `create` and `update`
 * receive them; {@link ServiceArgs} is derived from it. Each argument's TSDoc says what it means,
 * its default, its unit and whether a change updates in place or replaces the service.
 */
export type ServiceArguments = {
    /**
     * Name of the service: 1–50 characters (the API describes it as letters, digits and spaces).
     * Updated in place.
     */
    name: string;
    /** Cloud provider: `aws`, `gcp` or `azure`. Changing this replaces the service. */
    provider: CloudProvider;
    /**
     * Region of the chosen cloud provider, e.g. `us-east-1` (aws), `us-central1` (gcp), `eastus2`
     * (azure). Changing this replaces the service.
     */
    region: Region;
    /**
     * Tier of the service, for organizations on the legacy ClickHouse Cloud tiers only:
     * `development` (fixed size, not on Azure) or `production`. Organizations on the current
     * tiers (BASIC, SCALE, ENTERPRISE) have no service tier: leave it unset there (the API
     * deprecates it and leaves it out of its answers; a value given is kept in the outputs as
     * written, so it never shows as a change) and size the service with the replica settings.
     * @default none on the current tiers; `production` on legacy organizations (the API's choice);
     * unset or removed, not managed (going back would replace the service)
     * Changing this replaces the service; removing it keeps the service as it is.
     */
    tier?: ServiceTier;
    /**
     * Addresses allowed to connect. Compared as a set (order does not matter); changes are
     * applied as additions and removals. Leaving it unset, or removing it later, keeps whatever
     * the service has (the API documents no default); set `[]` to allow no address. Updated in place.
     */
    ipAccessList?: ServiceIpAccessEntry[];
    /**
     * Minimum memory of each replica during autoscaling, in GiB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations). Not for `development` services.
     * @default chosen by the API; unset or removed, not managed; unset or removed, the service's value is not managed
     * Updated in place (`PATCH /replicaScaling`).
     */
    minReplicaMemoryGb?: number;
    /**
     * Maximum memory of each replica during autoscaling, in GiB: a multiple of 4 between 8 and
     * 356 (120 for unpaid organizations), at least {@link minReplicaMemoryGb}.
     * @default chosen by the API; unset or removed, the service's value is not managed
     * Updated in place (`PATCH /replicaScaling`).
     */
    maxReplicaMemoryGb?: number;
    /**
     * Number of replicas, 1–20 (the API may ask for more on the first service of a warehouse). Not for
     * `development` services.
     * @default chosen by the API (1 for BASIC, 3 for SCALE and ENTERPRISE organizations); unset
     * or removed, not managed
     * Updated in place (`PATCH /replicaScaling`).
     */
    numReplicas?: number;
    /**
     * Whether the service may scale down to zero (state `idle`) when unused.
     * @default true (the API's default); unset or removed, not managed (a {@link ServiceScaling}
     * resource may take it over)
     * Updated in place.
     */
    idleScaling?: boolean;
    /**
     * Minutes without queries before an idle-scaling service goes idle; at least 5. Refused
     * together with `idleScaling: false`.
     * @default chosen by the API; unset or removed, not managed
     * Updated in place.
     */
    idleTimeoutMinutes?: number;
    /**
     * ClickHouse release channel: `slow`, `default` or `fast`. Not for `development` services.
     * @default "default" (chosen by the API). Never set: not managed. Removed after an earlier run
     * set it: back to `"default"`.
     * Updated in place.
     */
    releaseChannel?: "slow" | "default" | "fast";
    /**
     * Endpoints to switch on or off, in the API's shape: `[{ protocol: "mysql", enabled: true }]`
     * enables the MySQL interface. HTTPS and native endpoints are always on.
     * @default MySQL disabled. Never set: not managed. Removed after an earlier run set it: MySQL
     * is switched off again.
     * Updated in place.
     */
    endpoints?: ServiceEndpointSetting[];
    /**
     * Ids of organization private endpoints attached to the service, compared as a set. Attached
     * after the service exists (the API deprecates passing them at creation).
     * @default none; unset or removed, the attached endpoints are not managed (a
     * {@link PrivateEndpoint} resource may own the attachment)
     * Updated in place.
     */
    privateEndpointIds?: string[];
    /**
     * Data warehouse to join: the `dataWarehouseId` of an existing service (same provider and
     * region). Without it the service starts its own warehouse and is its primary.
     * Changing this replaces the service; removing it keeps the service as it is.
     */
    dataWarehouseId?: string;
    /**
     * Makes the service read-only; only together with `dataWarehouseId`.
     * @default false
     * Changing this replaces the service; removing it keeps the service.
     */
    isReadonly?: boolean;
    /**
     * Id (UUID) of a backup to restore into the new service; its region and tier must match the
     * backup's service. Only used at creation. Changing this replaces the service; removing it
     * keeps the service.
     */
    backupId?: string;
    /**
     * Customer-provided disk encryption key: the ARN of a KMS key (the API answers it on the
     * service; the state still keeps it as a secret). Changing this replaces the service; removing
     * it keeps the service as it is.
     */
    encryptionKey?: string;
    /** Role the service assumes to use {@link encryptionKey}. Changing this replaces the service; removing it keeps the service. */
    encryptionAssumedRoleIdentifier?: string;
    /**
     * Bring-Your-Own-Cloud region id. Requires `minReplicaMemoryGb` and `maxReplicaMemoryGb`,
     * each one of 48, 116, 172, 232. Changing this replaces the service; removing it keeps the
     * service as it is.
     */
    byocId?: string;
    /**
     * Tags in the API's shape, `[{ key, value? }]`, compared as a set; at most 49 (the provider
     * keeps one tag, `pulumi-creation`, to find a service whose creation was interrupted).
     * @default none. Never set: not managed. Removed after an earlier run set it: the service's
     * tags are removed (the provider's own `pulumi-creation` tag stays).
     * Updated in place (additions and removals).
     */
    tags?: ServiceTag[];
    /**
     * Desired state: `running` (an `idle` service counts as running) or `stopped`.
     * @default running. Never set: not managed (a new service ends up running; one stopped in the
     * console stays stopped). Removed after an earlier run set it: the service is started again.
     * Updated in place (`PATCH /state` start or stop).
     */
    state?: ServiceDesiredState;
    /**
     * Password of the `default` user. Sent to the API only as hashes (SHA-256 and double SHA-1,
     * computed here). Changing it rotates the password in place; removing it keeps the current
     * password. Mutually exclusive with `passwordHash`.
     * @default a password generated by the API, exposed as the secret output `password`
     */
    password?: string;
    /**
     * Password of the `default` user as `base64(sha256(password))` (44 characters), so the
     * plaintext never reaches the program. Mutually exclusive with `password`. Updated in place;
     * removing it keeps the current password.
     */
    passwordHash?: string;
    /**
     * MySQL-protocol password hash, `hex(sha1(sha1(password)))` (40 hex digits); only together
     * with `passwordHash`. Updated in place; removing it keeps the current password.
     */
    doubleSha1PasswordHash?: string;
    /**
     * Time limits, e.g. `{ create: "45m" }`. Pulumi's `customTimeouts` do not apply to dynamic
     * resources; these do. Updated in place (kept in the state only); removed, the defaults apply.
     * @default 30m for each of create, update and delete
     */
    timeouts?: Timeouts;
    /**
     * Organization the service belongs to. Must equal the organization of the configured API key
     * (`clickhouse:organizationId` / `CLICKHOUSE_ORG_ID`): a key belongs to one organization.
     * @default the configured organization
     * Changing this replaces the service; removing it keeps the service.
     */
    organizationId?: string;
    /**
     * Id of an existing service to take over instead of creating one (`pulumi import` does not
     * work for dynamic resources). At creation the service is read, must have the given
     * `provider` and `region`, and is then changed to match these arguments; from then on Pulumi
     * manages it and `pulumi destroy` deletes it. Its password is not known unless `password` or
     * `passwordHash` is given. Only read at creation; later changes and removing it are ignored.
     */
    adoptServiceId?: string;
};

/** {@link ServiceArguments} plus the hidden inputs the resource class adds. */
export type ServiceInputs = ServiceArguments & {
    /** Hidden: `<project>/<stack>/<resource name>`, set by the resource class. */
    __creation?: string;
    /** Hidden: the stack's ownership id (docs/ownership.md), set by the resource class. */
    __owner?: string;
};

/** Arguments of a {@link Service}: {@link ServiceArguments}, each value a `pulumi.Input`. */
export type ServiceArgs = ArgsOf<ServiceArguments>;

/**
 * What the engine records for a service: every field of the API's `Service` object (tags
 * without the creation tag), the password (secret) and the input-only settings `diff` and
 * `read` need.
 */
export type ServiceOutputs = Partial<Omit<ApiService, "id" | "tags">> & {
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
    __owner?: string;
    /** Hidden: the argument names the user set, so `read` can rebuild the inputs. */
    __inputKeys?: string[];
    /** Hidden: the replacing arguments as written, which `diff` compares new arguments with. */
    __replacingInputs?: Record<string, unknown>;
    /** Hidden: brought in by `pulumi import`, no password recorded yet (see importId.ts). */
    __imported?: boolean;
};

/** Compile-time check: every argument has a row in the property table, and every row with a `change` is an argument. */
type Missing = Exclude<keyof ServiceArguments, ServiceArgumentKey> | Exclude<ServiceArgumentKey, keyof ServiceArguments>;
const everyArgumentHasARow: [Missing] extends [never] ? true : Missing = true;
void everyArgumentHasARow;
