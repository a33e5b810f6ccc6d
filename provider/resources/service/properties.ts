/**
 * What a Service is made of: its property table (from which the key lists, the diff spec, the
 * secret outputs, the API mapping and the class's outputs derive) and the vocabulary its checks
 * use, with the sources of each limit.
 */
import { ALL_REGIONS, CLOUD_PROVIDERS, RELEASE_CHANNELS, SERVICE_REGIONS, SERVICE_TIERS } from "../../api/catalog";
import type { ServiceState } from "../../api/types";
import type { DiffSpec } from "../compare";
import { apiFields, argumentKeys, diffSpecOf, inputOnlyKeys, outputKeys, PropertyTable, replacingKeys, secretKeys } from "../properties";

export const RESOURCE = "clickhouse:Service";

export { SERVICE_REGIONS };
/** The cloud providers (`Service.provider`). */
export const PROVIDERS = CLOUD_PROVIDERS;
export { ALL_REGIONS, RELEASE_CHANNELS };
/** Service tiers (`Service.tier`). */
export const TIERS = SERVICE_TIERS;

export const DESIRED_STATES = ["running", "stopped"] as const;

/** Per-replica memory: `ServiceReplicaScalingPatchRequest.minReplicaMemoryGb` (minimum 8, maximum 356, multipleOf 4). */
export const REPLICA_MEMORY = { min: 8, max: 356, multipleOf: 4, unit: "GiB" } as const;

/** With `byocId` the spec allows only these replica sizes. */
export const BYOC_SIZES = [48, 116, 172, 232];

export const TAG_PATTERN = /^[a-zA-Z0-9._-]+$/;

/** The API allows 50 tags; one is the creation tag. */
export const MAX_USER_TAGS = 49;

/** No control characters, no surrounding blanks (the API trims nothing and shows names as given). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NAME_PATTERN = /^(?!\s)[^\u0000-\u001f\u007f]*(?<!\s)$/;

/** base64 of a 32-byte SHA-256 digest. */
export const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export const SHA1_HEX = /^[0-9a-fA-F]{40}$/;

/** Tag the provider puts on every service it creates, to find it again after an interrupted create. */
export const SERVICE_CREATION_TAG_KEY = "pulumi-creation";

/** States in which a service can be used or changed. */
export const STABLE_STATES: ServiceState[] = ["running", "idle", "stopped"];

export const GONE_STATES: ServiceState[] = ["terminated", "softdeleted"];

export const TERMINATING_STATES: ServiceState[] = ["terminating", "softdeleting"];

export const STOPPED_LIKE: ServiceState[] = ["stopped", "stopping", ...TERMINATING_STATES, ...GONE_STATES];

export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/**
 * Every argument and output of a Service, one row each, in the order of docs/resources.md: how a
 * change applies (`replace`, `update`, `createOnly`), whether the API object has the field
 * (`api`), whether the outputs keep the argument as given because the API never returns it
 * (`inputOnly`), whether it is secret, whether a list compares as a set, and what leaving it
 * unset means. Adding an argument: a row here, its TSDoc in args.ts, its check in check.ts and a
 * test (see CONTRIBUTING.md).
 */
export const SERVICE_PROPERTIES = {
    name: { change: "update", api: true, unset: "required" },
    provider: { change: "replace", api: true, unset: "required" },
    region: { change: "replace", api: true, unset: "required" },
    tier: { change: "replace", api: true },
    ipAccessList: { change: "update", api: true, set: true },
    minReplicaMemoryGb: { change: "update", api: true },
    maxReplicaMemoryGb: { change: "update", api: true },
    numReplicas: { change: "update", api: true },
    idleScaling: { change: "update", api: true },
    idleTimeoutMinutes: { change: "update", api: true },
    releaseChannel: { change: "update", api: true },
    endpoints: { change: "update", api: true, set: true },
    privateEndpointIds: { change: "update", api: true, set: true },
    dataWarehouseId: { change: "replace", api: true },
    isReadonly: { change: "replace", api: true },
    backupId: { change: "replace", inputOnly: true },
    encryptionKey: { change: "replace", api: true, secret: true },
    encryptionAssumedRoleIdentifier: { change: "replace", api: true },
    byocId: { change: "replace", api: true },
    tags: { change: "update", api: true, set: true },
    state: { change: "update", api: true },
    password: { change: "update", inputOnly: true, secret: true },
    passwordHash: { change: "update", inputOnly: true, secret: true },
    doubleSha1PasswordHash: { change: "update", inputOnly: true, secret: true },
    timeouts: { change: "update", inputOnly: true, unset: "change" },
    organizationId: { change: "replace", inputOnly: true },
    adoptServiceId: { change: "createOnly", inputOnly: true },
    // Outputs only: what the API reports and nobody sets.
    clickhouseVersion: { api: true },
    minTotalMemoryGb: { api: true },
    maxTotalMemoryGb: { api: true },
    minReplicas: { api: true },
    maxReplicas: { api: true },
    autoscalingMode: { api: true },
    replicaMemoryGb: { api: true },
    createdAt: { api: true },
    iamRole: { api: true },
    availablePrivateEndpointIds: { api: true },
    isPrimary: { api: true },
    hasTransparentDataEncryption: { api: true },
    profile: { api: true },
    transparentDataEncryptionKeyId: { api: true },
    encryptionRoleId: { api: true },
    complianceType: { api: true },
    enableCoreDumps: { api: true },
    scalingSchedule: { api: true },
    currentScaling: { api: true },
} as const satisfies PropertyTable;

/** An argument name of a Service. */
export type ServiceArgumentKey = {
    [K in keyof typeof SERVICE_PROPERTIES]: (typeof SERVICE_PROPERTIES)[K] extends { change: string } ? K : never;
}[keyof typeof SERVICE_PROPERTIES];

/** Every argument name, for unknown-key detection and input reconstruction. */
export const INPUT_KEYS = argumentKeys(SERVICE_PROPERTIES) as ServiceArgumentKey[];

/** Arguments whose change replaces the service: the API cannot change them. */
export const REPLACING_KEYS = replacingKeys(SERVICE_PROPERTIES) as ServiceArgumentKey[];

/** Arguments the API has no value for: the outputs keep what was given. */
export const INPUT_ONLY_KEYS = inputOnlyKeys(SERVICE_PROPERTIES) as ServiceArgumentKey[];

/** Outputs marked secret by the resource class. */
export const SECRET_OUTPUTS = secretKeys(SERVICE_PROPERTIES);

/** How `diff` treats each argument. */
export const DIFF_SPEC: DiffSpec = diffSpecOf(SERVICE_PROPERTIES);

/** Fields copied from the API's service object into the outputs. */
export const API_FIELDS = apiFields(SERVICE_PROPERTIES);

/** Every output the resource class declares. */
export const OUTPUT_KEYS = outputKeys(SERVICE_PROPERTIES);
