import type { CloudProvider, Region, ServiceReplicaScalingPatchRequest, ServiceState, ServiceTier } from "../../api/types";
import { DiffSpec } from "../common";
import * as pulumi from "@pulumi/pulumi";
import { Service } from "./index";

export const RESOURCE = "clickhouse:Service";

/** Regions of each cloud provider (`Service.region`, grouped by the naming of each cloud). */
export const SERVICE_REGIONS: Readonly<Record<CloudProvider, readonly Region[]>> = {
    aws: ["ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "il-central-1", "us-east-1", "us-east-2", "us-west-2"],
    gcp: ["us-east1", "us-central1", "europe-west2", "europe-west4", "asia-southeast1", "asia-northeast1"],
    azure: ["eastus", "eastus2", "westus3", "germanywestcentral", "centralus"],
};

export const PROVIDERS = Object.keys(SERVICE_REGIONS) as CloudProvider[];

export const ALL_REGIONS = PROVIDERS.flatMap((p) => SERVICE_REGIONS[p]);

export const TIERS: readonly ServiceTier[] = [
    "development", "production", "dedicated_high_mem", "dedicated_high_cpu", "dedicated_standard",
    "dedicated_standard_n2d_standard_4", "dedicated_standard_n2d_standard_8", "dedicated_standard_n2d_standard_32",
    "dedicated_standard_n2d_standard_128", "dedicated_standard_n2d_standard_32_16SSD", "dedicated_standard_n2d_standard_64_24SSD",
];

export const RELEASE_CHANNELS = ["slow", "default", "fast"] as const;

export const DESIRED_STATES = ["running", "stopped"] as const;

/** Per-replica memory: `ServiceReplicaScalingPatchRequest.minReplicaMemoryGb` (minimum 8, maximum 356, multipleOf 4). */
export const REPLICA_MEMORY = { min: 8, max: 356, multipleOf: 4, unit: "GiB" } as const;

/** With `byocId` the spec allows only these replica sizes. */
export const BYOC_SIZES = [48, 116, 172, 232];

export const TAG_PATTERN = /^[a-zA-Z0-9._-]+$/;

/** The API allows 50 tags; one is the creation tag. */
export const MAX_USER_TAGS = 49;

/** No control characters, no surrounding blanks (the API trims nothing and shows names as given). */
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

/** Every argument name, for unknown-key detection and input reconstruction. */
export const INPUT_KEYS = [
    "name", "provider", "region", "tier", "ipAccessList", "minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas",
    "idleScaling", "idleTimeoutMinutes", "releaseChannel", "endpoints", "privateEndpointIds", "dataWarehouseId",
    "isReadonly", "backupId", "encryptionKey", "encryptionAssumedRoleIdentifier", "byocId", "tags", "state",
    "password", "passwordHash", "doubleSha1PasswordHash", "timeouts", "organizationId", "adoptServiceId",
] as const;

/** Arguments whose change replaces the service: the API cannot change them. */
export const REPLACING_KEYS = [
    "provider", "region", "tier", "dataWarehouseId", "isReadonly", "backupId", "byocId", "encryptionKey",
    "encryptionAssumedRoleIdentifier", "organizationId",
] as const;

/** Arguments the API has no value for: the outputs keep what was given. */
export const INPUT_ONLY_KEYS = ["backupId", "password", "passwordHash", "doubleSha1PasswordHash", "timeouts", "organizationId", "adoptServiceId"] as const;

/** Argument names as written into outputs when they hold secrets (see the resource class). */
export const SECRET_OUTPUTS = ["password", "passwordHash", "doubleSha1PasswordHash", "encryptionKey"];

export const DIFF_SPEC: DiffSpec = {
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

export const API_FIELDS = [
    "name", "provider", "region", "state", "clickhouseVersion", "endpoints", "tier", "minTotalMemoryGb", "maxTotalMemoryGb",
    "minReplicaMemoryGb", "maxReplicaMemoryGb", "numReplicas", "minReplicas", "maxReplicas", "autoscalingMode", "replicaMemoryGb",
    "idleScaling", "idleTimeoutMinutes", "ipAccessList", "createdAt", "encryptionKey", "encryptionAssumedRoleIdentifier",
    "iamRole", "privateEndpointIds", "availablePrivateEndpointIds", "dataWarehouseId", "isPrimary", "isReadonly",
    "releaseChannel", "byocId", "hasTransparentDataEncryption", "profile", "transparentDataEncryptionKeyId",
    "encryptionRoleId", "complianceType", "tags", "enableCoreDumps", "scalingSchedule", "currentScaling",
] as const;
