/**
 * The API's vocabulary that both the provider and the emulator need: cloud providers and their
 * regions, service tiers, release channels, and the two password hashes the API takes. One
 * module, so the two can never disagree; the values are checked against the OpenAPI document's
 * enums at compile time (the `satisfies` clauses) and in test/unit/api/catalog.test.ts.
 */
import * as crypto from "crypto";
import type { CloudProvider, Region, ServiceState, ServiceTier } from "./types";

const REGIONS = {
    aws: [
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ca-central-1",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "il-central-1",
        "us-east-1",
        "us-east-2",
        "us-west-2",
    ],
    gcp: ["us-east1", "us-central1", "europe-west2", "europe-west4", "asia-southeast1", "asia-northeast1"],
    azure: ["eastus", "eastus2", "westus3", "germanywestcentral", "centralus"],
} as const satisfies Record<CloudProvider, readonly Region[]>;

/** Regions of each cloud provider (`Service.region`, grouped by the naming of each cloud). */
export const SERVICE_REGIONS: Readonly<Record<CloudProvider, readonly Region[]>> = REGIONS;

/** The cloud providers (`Service.provider`). */
export const CLOUD_PROVIDERS = Object.keys(SERVICE_REGIONS) as CloudProvider[];

/** Every region of every provider. */
export const ALL_REGIONS: readonly Region[] = CLOUD_PROVIDERS.flatMap((p) => SERVICE_REGIONS[p]);

/** Service tiers (`Service.tier`; deprecated by the API for BASIC, SCALE and ENTERPRISE organizations). */
export const SERVICE_TIERS: readonly ServiceTier[] = [
    "development",
    "production",
    "dedicated_high_mem",
    "dedicated_high_cpu",
    "dedicated_standard",
    "dedicated_standard_n2d_standard_4",
    "dedicated_standard_n2d_standard_8",
    "dedicated_standard_n2d_standard_32",
    "dedicated_standard_n2d_standard_128",
    "dedicated_standard_n2d_standard_32_16SSD",
    "dedicated_standard_n2d_standard_64_24SSD",
];

/** Every state a service can report (`Service.state`). */
export const SERVICE_STATES = [
    "starting",
    "stopping",
    "terminating",
    "softdeleting",
    "awaking",
    "partially_running",
    "provisioning",
    "running",
    "stopped",
    "terminated",
    "softdeleted",
    "degraded",
    "failed",
    "idle",
] as const satisfies readonly ServiceState[];

/** `state` when it is a service state, else undefined: narrows what an untyped source reports. */
export function serviceStateOf(state: unknown): ServiceState | undefined {
    return SERVICE_STATES.find((s) => s === state);
}

/** ClickHouse release channels (`Service.releaseChannel`). */
export const RELEASE_CHANNELS = ["slow", "default", "fast"] as const;

/** `base64(sha256(password))`: the API's `passwordHash` / `newPasswordHash`. */
export function sha256PasswordHash(password: string): string {
    return crypto.createHash("sha256").update(password, "utf8").digest("base64");
}

/** `hex(sha1(sha1(password)))`: the API's MySQL `doubleSha1PasswordHash` / `newDoubleSha1Hash`. */
export function mysqlDoubleSha1Hash(password: string): string {
    const once = crypto.createHash("sha1").update(password, "utf8").digest();
    return crypto.createHash("sha1").update(once).digest("hex");
}
