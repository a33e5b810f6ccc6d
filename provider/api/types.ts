/**
 * ClickHouse Cloud API payload types, named exactly as the schemas in the official OpenAPI
 * document (`components.schemas`), with their descriptions. Only the schemas this provider
 * touches (services, scaling, passwords, backups, private endpoints, query endpoints,
 * ClickPipes) and what they reference are here.
 *
 * Written from the spec of 2026-08-05; when the spec changes, regenerate or edit by hand and
 * keep the names identical to the spec's.
 */

/** Every state a service can report (`Service.state`). */
export type ServiceState = NonNullable<Service["state"]>;
/** Every state a ClickPipe can report (`ClickPipe.state`). */
export type ClickPipeState = NonNullable<ClickPipe["state"]>;
/** Cloud provider of a service (`Service.provider`). */
export type CloudProvider = NonNullable<Service["provider"]>;
/** Region of a service (`Service.region`). */
export type Region = NonNullable<Service["region"]>;
/** Service tier (`Service.tier`, deprecated by the API but still accepted). */
export type ServiceTier = NonNullable<Service["tier"]>;
/** `PATCH /services/{id}/state` commands. */
export type ServiceStateCommand = NonNullable<ServiceStatePatchRequest["command"]>;

/** Success envelope every API response is wrapped in. DELETE answers carry no `result`. */
export interface ApiEnvelope<T> {
  status: number;
  requestId?: string;
  result?: T;
  /** Only on errors: `"<CODE>: <detail>"`. */
  error?: string;
}

export interface OrganizationPrivateEndpoint {
  /** Private endpoint identifier */
  id?: string;
  /** Description of private endpoint */
  description?: string;
  /** Cloud provider in which the private endpoint is lcoated */
  cloudProvider?: "gcp" | "aws" | "azure";
  /** Region in which the private endpoint is located */
  region?: "ap-northeast-1" | "ap-northeast-2" | "ap-south-1" | "ap-southeast-1" | "ap-southeast-2" | "ca-central-1" | "eu-central-1" | "eu-west-1" | "eu-west-2" | "il-central-1" | "us-east-1" | "us-east-2" | "us-west-2" | "us-east1" | "us-central1" | "europe-west2" | "europe-west4" | "asia-southeast1" | "asia-northeast1" | "eastus" | "eastus2" | "westus3" | "germanywestcentral" | "centralus";
}

export interface ByocConfig {
  /** Unique identifier of the BYOC configuration */
  id?: string;
  /** State of the infrastructure */
  state?: "infra-ready" | "infra-provisioning" | "infra-terminated";
  /** Name of the account */
  accountName?: string;
  /** Region for which the BYOC has been configured and where it is possible to create services */
  regionId?: "ap-northeast-1" | "ap-northeast-2" | "ap-south-1" | "ap-southeast-1" | "ap-southeast-2" | "ca-central-1" | "eu-central-1" | "eu-west-1" | "eu-west-2" | "il-central-1" | "us-east-1" | "us-east-2" | "us-west-2" | "us-east1" | "us-central1" | "europe-west2" | "europe-west4" | "asia-southeast1" | "asia-northeast1" | "eastus" | "eastus2" | "westus3" | "germanywestcentral" | "centralus";
  /** Cloud provider of the region */
  cloudProvider?: "gcp" | "aws" | "azure";
  /** Human readable name for infrastructure */
  displayName?: string;
}

export interface Organization {
  /** Unique organization ID. */
  id?: string;
  /** The timestamp the organization was created. ISO-8601. */
  createdAt?: string;
  /** Name of the organization. */
  name?: string;
  /** List of private endpoints for organization */
  privateEndpoints?: OrganizationPrivateEndpoint[];
  /** BYOC configuration for the organization */
  byocConfig?: ByocConfig[];
  /** Whether crash reports (core dumps) collection is enabled for services in the organization. When disabled at the organization level, individual services cannot enable crash reports. */
  enableCoreDumps?: boolean;
}

export interface ServiceEndpoint {
  /** Endpoint protocol: 'https', 'nativesecure', 'mysql'. */
  protocol?: "https" | "nativesecure" | "mysql";
  /** Service host name */
  host?: string;
  /** Numeric port */
  port?: number;
  /** Optional username for the endpoint */
  username?: string | null;
}

export interface IpAccessListEntry {
  /** IP or CIDR */
  source?: string;
  /** Optional description of IPv4 address or IPv4 CIDR to allow access from */
  description?: string;
}

export interface ResourceTagsV1 {
  /** Tag key. Must be alphanumeric with dashes, underscores and dots. */
  key: string;
  /** Tag value. Must be alphanumeric with dashes, underscores and dots. */
  value?: string;
}

export interface ScalingScheduleEntry {
  /** Unique identifier for this schedule entry. */
  id: string;
  /** Human-readable label for this schedule entry. */
  name: string;
  /** Days of the week this entry applies to. 0 = Sunday, 1 = Monday, …, 6 = Saturday. */
  weekdays: number[];
  /** UTC hour (0–23) when this entry becomes active (inclusive). */
  startHourUtc: number;
  /** UTC hour (1–24) when this entry deactivates (exclusive). Must differ from startHourUtc. Set to 24 to end at midnight. Values less than startHourUtc create an overnight window spanning midnight. */
  endHourUtc: number;
  /** Autoscaling mode for this entry. "vertical" runs a fixed replica count while memory scales; "horizontal" scales the replica count at a fixed per-replica memory. Defaults to "vertical" for entries persisted before the mode was exposed. */
  autoscalingMode: "vertical" | "horizontal";
  /** Minimum memory per replica (Gb) during this window. A range in vertical; in horizontal it equals maxReplicaMemoryGb (memory is fixed while the replica count scales). */
  minReplicaMemoryGb?: number;
  /** Maximum memory per replica (Gb) during this window. A range in vertical; in horizontal it equals minReplicaMemoryGb (memory is fixed while the replica count scales). */
  maxReplicaMemoryGb?: number;
  /** Minimum number of replicas during this window. For a horizontal entry the replica count scales between minReplicas and maxReplicas; for a vertical entry minReplicas and maxReplicas are equal and report the fixed replica count (both omitted when the entry stored no count). */
  minReplicas?: number;
  /** Maximum number of replicas during this window. For a horizontal entry the replica count scales between minReplicas and maxReplicas; for a vertical entry minReplicas and maxReplicas are equal and report the fixed replica count (both omitted when the entry stored no count). */
  maxReplicas?: number;
  /** Whether idle scaling is enabled during this window. */
  idleScaling?: boolean;
  /** Idle timeout in minutes during this window. */
  idleTimeoutMinutes?: number;
  /** Whether this entry is currently active. Scheduled times are indicative — actions are applied on a best-effort basis and may be delayed by a few minutes. */
  isActiveNow: boolean;
}

export interface ScalingScheduleBaseConfig {
  /** Autoscaling mode applied when no schedule entry is active. "vertical" runs a fixed replica count while memory scales; "horizontal" scales the replica count at a fixed per-replica memory. */
  autoscalingMode?: "vertical" | "horizontal";
  /** Minimum memory per replica (Gb) when no schedule entry is active. */
  minReplicaMemoryGb?: number;
  /** Maximum memory per replica (Gb) when no schedule entry is active. */
  maxReplicaMemoryGb?: number;
  /** Minimum number of replicas when no schedule entry is active. */
  minReplicas?: number;
  /** Maximum number of replicas when no schedule entry is active. */
  maxReplicas?: number;
  /** Whether idle scaling is enabled when no schedule entry is active. */
  idleScaling?: boolean;
  /** Idle timeout in minutes when no schedule entry is active. */
  idleTimeoutMinutes?: number;
}

export interface ScalingSchedule {
  /** List of schedule entries. */
  entries: ScalingScheduleEntry[];
  baseConfig: ScalingScheduleBaseConfig;
  /** ID of the currently-active schedule entry. Absent when no entry is active and the base config is in effect. */
  activeEntryId?: string;
}

export interface CurrentScaling {
  /** Autoscaling mode currently in effect on the running service. May diverge from the configured baseline mode while a schedule entry is active. */
  effectiveAutoscalingMode?: "vertical" | "horizontal";
  /** Minimum memory per replica (Gb) currently applied to the running service. May diverge from the top-level `minReplicaMemoryGb` baseline while a schedule entry is active. */
  effectiveMinReplicaMemoryGb?: number;
  /** Maximum memory per replica (Gb) currently applied to the running service. May diverge from the top-level `maxReplicaMemoryGb` baseline while a schedule entry is active. Reflects the stored value: normally equal to `effectiveMinReplicaMemoryGb` in horizontal mode, but a legacy service stored with an unequal memory range reports the stored bounds as-is. */
  effectiveMaxReplicaMemoryGb?: number;
  /** Minimum number of replicas currently applied to the running service. May diverge from the baseline while a schedule entry is active. Reflects the stored value: normally equal to `effectiveMaxReplicas` in vertical mode (a fixed replica count), but a legacy service stored with an unequal replica range reports the stored bounds as-is. */
  effectiveMinReplicas?: number;
  /** Maximum number of replicas currently applied to the running service. May diverge from the baseline while a schedule entry is active. */
  effectiveMaxReplicas?: number;
  /** Whether idle scaling is currently in effect on the service. May diverge from the top-level `idleScaling` baseline while a schedule entry is active. */
  effectiveIdleScaling?: boolean;
  /** Idle timeout in minutes currently in effect on the service. May diverge from the top-level `idleTimeoutMinutes` baseline while a schedule entry is active. */
  effectiveIdleTimeoutMinutes?: number;
  /** ID of the schedule entry whose values are currently applied to the service. Absent when no entry is active. */
  activeEntryId?: string;
}

export interface Service {
  /** Unique service ID. */
  id?: string;
  /** Name of the service. Alphanumerical string with whitespaces up to 50 characters. */
  name?: string;
  /** Cloud provider */
  provider?: "aws" | "gcp" | "azure";
  /** Service region. */
  region?: "ap-northeast-1" | "ap-northeast-2" | "ap-south-1" | "ap-southeast-1" | "ap-southeast-2" | "ca-central-1" | "eu-central-1" | "eu-west-1" | "eu-west-2" | "il-central-1" | "us-east-1" | "us-east-2" | "us-west-2" | "us-east1" | "us-central1" | "europe-west2" | "europe-west4" | "asia-southeast1" | "asia-northeast1" | "eastus" | "eastus2" | "westus3" | "germanywestcentral" | "centralus";
  /** Current state of the service. */
  state?: "starting" | "stopping" | "terminating" | "softdeleting" | "awaking" | "partially_running" | "provisioning" | "running" | "stopped" | "terminated" | "softdeleted" | "degraded" | "failed" | "idle";
  /** ClickHouse version of the service. */
  clickhouseVersion?: string;
  /** List of all service endpoints. */
  endpoints?: ServiceEndpoint[];
  /**
   * DEPRECATED for BASIC, SCALE and ENTERPRISE organization tiers. Use `minReplicaMemoryGb`, `maxReplicaMemoryGb`, and `numReplicas` instead. Tier of the service: 'development', 'production', 'dedicated_high_mem', 'dedicated_high_cpu', 'dedicated_standard', 'dedicated_standard_n2d_standard_4', 'dedicated_standard_n2d_standard_8', 'dedicated_standard_n2d_standard_32', 'dedicated_standard_n2d_standard_128', 'dedicated_standard_n2d_standard_32_16SSD', 'dedicated_standard_n2d_standard_64_24SSD'. Production services scale, Development are fixed size. Azure services don't support Development tier
   * @deprecated
   */
  tier?: "development" | "production" | "dedicated_high_mem" | "dedicated_high_cpu" | "dedicated_standard" | "dedicated_standard_n2d_standard_4" | "dedicated_standard_n2d_standard_8" | "dedicated_standard_n2d_standard_32" | "dedicated_standard_n2d_standard_128" | "dedicated_standard_n2d_standard_32_16SSD" | "dedicated_standard_n2d_standard_64_24SSD";
  /**
   * DEPRECATED - inaccurate for services with non-default numbers of replicas. Use `minReplicaMemoryGb` instead. Minimum memory of three workers during auto-scaling in Gb. Available only for 'production' services. Must be a multiple of 12 and greater than or equal to 24. Always absent for horizontal-autoscaling services (replica count is variable).
   * @deprecated
   */
  minTotalMemoryGb?: number;
  /**
   * DEPRECATED - inaccurate for services with non-default numbers of replicas. Use `maxReplicaMemoryGb` instead. Maximum memory of three workers during auto-scaling in Gb. Available only for 'production' services. Must be a multiple of 12 and lower than or equal to 360 for non paid services or 1068 for paid services. Always absent for horizontal-autoscaling services (replica count is variable).
   * @deprecated
   */
  maxTotalMemoryGb?: number;
  /** Minimum total memory of each replica during auto-scaling in Gb. A range in vertical autoscaling; equal to maxReplicaMemoryGb in horizontal (memory is fixed while the replica count scales). Must be a multiple of 4 and greater than or equal to 8. */
  minReplicaMemoryGb?: number;
  /** Maximum total memory of each replica during auto-scaling in Gb. A range in vertical autoscaling; equal to minReplicaMemoryGb in horizontal (memory is fixed while the replica count scales). Must be a multiple of 4 and lower than or equal to 120* for non paid services or 356* for paid services.* - maximum replica size subject to cloud provider hardware availability in your selected region. */
  maxReplicaMemoryGb?: number;
  /** Number of replicas for the service. The number of replicas must be between 2 and 20 for the first service in a warehouse. Services that are created in an existing warehouse can have a number of replicas as low as 1. Further restrictions may apply based on your organization's tier. It defaults to 1 for the BASIC tier and 3 for the SCALE and ENTERPRISE tiers. Present only when the service uses vertical autoscaling. For horizontal autoscaling, use minReplicas and maxReplicas instead. */
  numReplicas?: number;
  /** Minimum number of replicas for horizontal autoscaling. Present only when the service uses horizontal autoscaling. */
  minReplicas?: number;
  /** Maximum number of replicas for horizontal autoscaling. Present only when the service uses horizontal autoscaling. */
  maxReplicas?: number;
  /** Configured autoscaling mode. "vertical" runs a fixed replica count while memory scales between minReplicaMemoryGb and maxReplicaMemoryGb; "horizontal" scales the replica count between minReplicas and maxReplicas at a fixed per-replica memory. This is the baseline configuration; the mode currently applied (which may differ while a schedule entry is active) is currentScaling.effectiveAutoscalingMode. */
  autoscalingMode: "vertical" | "horizontal";
  /** Fixed memory per replica in Gb for horizontal autoscaling. Present only when the service uses horizontal autoscaling. Must be a multiple of 4, at least 8 Gb, and at most 120 Gb for non paid services or 356 Gb for paid services. */
  replicaMemoryGb?: number;
  /** When set to true the service is allowed to scale down to zero when idle. True by default. */
  idleScaling?: boolean;
  /** Set minimum idling timeout (in minutes). Must be >= 5 minutes. */
  idleTimeoutMinutes?: number;
  /** List of IP addresses allowed to access the service */
  ipAccessList?: IpAccessListEntry[];
  /** Service creation timestamp. ISO-8601. */
  createdAt?: string;
  /** Optional customer provided disk encryption key */
  encryptionKey?: string;
  /** Optional role to use for disk encryption */
  encryptionAssumedRoleIdentifier?: string;
  /** IAM role used for accessing objects in s3 */
  iamRole?: string;
  /** List of private endpoints */
  privateEndpointIds?: string[];
  /** List of available private endpoints ids that can be attached to the service */
  availablePrivateEndpointIds?: string[];
  /** Data warehouse containing this service */
  dataWarehouseId?: string;
  /** True if this service is the primary service in the data warehouse */
  isPrimary?: boolean;
  /** True if this service is read-only. It can only be read-only if a dataWarehouseId is provided. */
  isReadonly?: boolean;
  /** Select fast if you want to get new ClickHouse releases as soon as they are available. You'll get new features faster, but with a higher risk of bugs. Select slow if you would like to defer releases to give yourself more time to test. This feature is only available for production services. default is the regular release channel. */
  releaseChannel?: "slow" | "default" | "fast";
  /** This is the ID returned after setting up a region for Bring Your Own Cloud (BYOC). When the byocId parameter is specified, the minReplicaMemoryGb and the maxReplicaGb parameters are required too, with values included among the following sizes: 48, 116, 172, 232. */
  byocId?: string;
  /** True if the service should have the Transparent Data Encryption (TDE) enabled. TDE is only available for ENTERPRISE organizations tiers and can only be enabled at service creation. */
  hasTransparentDataEncryption?: boolean;
  /** Custom instance profile. Only available for ENTERPRISE organization tiers. */
  profile?: "v1-default" | "v1-highmem-xs" | "v1-highmem-s" | "v1-highmem-m" | "v1-highmem-l" | "v1-highmem-xl";
  /** The ID of the Transparent Data Encryption key used for the service. This is only available if hasTransparentDataEncryption is true. */
  transparentDataEncryptionKeyId?: string;
  /** The ID of the IAM role used for encryption. This is only available if hasTransparentDataEncryption is true. */
  encryptionRoleId?: string;
  /** Type of regulatory compliance for service. */
  complianceType?: "hipaa" | "pci";
  /** Tags associated with the service. */
  tags?: ResourceTagsV1[];
  /** True if the service's underline infra is enabled for collecting core dumps. This is an experimental feature */
  enableCoreDumps?: boolean;
  scalingSchedule?: ScalingSchedule;
  currentScaling: CurrentScaling;
}

export interface ServiceEndpointChange {
  /** Endpoint protocol */
  protocol?: "mysql";
  /** Enable or disable the endpoint */
  enabled?: boolean;
}

export interface ServicePostRequest {
  /** Name of the service. Alphanumerical string with whitespaces up to 50 characters. */
  name?: string;
  /** Cloud provider */
  provider?: "aws" | "gcp" | "azure";
  /** Service region. */
  region?: "ap-northeast-1" | "ap-northeast-2" | "ap-south-1" | "ap-southeast-1" | "ap-southeast-2" | "ca-central-1" | "eu-central-1" | "eu-west-1" | "eu-west-2" | "il-central-1" | "us-east-1" | "us-east-2" | "us-west-2" | "us-east1" | "us-central1" | "europe-west2" | "europe-west4" | "asia-southeast1" | "asia-northeast1" | "eastus" | "eastus2" | "westus3" | "germanywestcentral" | "centralus";
  /**
   * DEPRECATED for BASIC, SCALE and ENTERPRISE organization tiers. Use `minReplicaMemoryGb`, `maxReplicaMemoryGb`, and `numReplicas` instead. Tier of the service: 'development', 'production', 'dedicated_high_mem', 'dedicated_high_cpu', 'dedicated_standard', 'dedicated_standard_n2d_standard_4', 'dedicated_standard_n2d_standard_8', 'dedicated_standard_n2d_standard_32', 'dedicated_standard_n2d_standard_128', 'dedicated_standard_n2d_standard_32_16SSD', 'dedicated_standard_n2d_standard_64_24SSD'. Production services scale, Development are fixed size. Azure services don't support Development tier
   * @deprecated
   */
  tier?: "development" | "production" | "dedicated_high_mem" | "dedicated_high_cpu" | "dedicated_standard" | "dedicated_standard_n2d_standard_4" | "dedicated_standard_n2d_standard_8" | "dedicated_standard_n2d_standard_32" | "dedicated_standard_n2d_standard_128" | "dedicated_standard_n2d_standard_32_16SSD" | "dedicated_standard_n2d_standard_64_24SSD";
  /** List of IP addresses allowed to access the service */
  ipAccessList?: IpAccessListEntry[];
  /**
   * DEPRECATED - inaccurate for services with non-default numbers of replicas. Use `minReplicaMemoryGb` instead. Minimum memory of three workers during auto-scaling in Gb. Available only for 'production' services. Must be a multiple of 12 and greater than or equal to 24. Always absent for horizontal-autoscaling services (replica count is variable).
   * @deprecated
   */
  minTotalMemoryGb?: number;
  /**
   * DEPRECATED - inaccurate for services with non-default numbers of replicas. Use `maxReplicaMemoryGb` instead. Maximum memory of three workers during auto-scaling in Gb. Available only for 'production' services. Must be a multiple of 12 and lower than or equal to 360 for non paid services or 1068 for paid services. Always absent for horizontal-autoscaling services (replica count is variable).
   * @deprecated
   */
  maxTotalMemoryGb?: number;
  /** Autoscaling mode. "vertical" (the default when omitted) runs a fixed replica count while memory scales between minReplicaMemoryGb and maxReplicaMemoryGb; "horizontal" scales the replica count between minReplicas and maxReplicas at a fixed per-replica memory (minReplicaMemoryGb equal to maxReplicaMemoryGb). Horizontal requires the feature to be enabled for the organization. */
  autoscalingMode?: "vertical" | "horizontal";
  /** Minimum total memory of each replica during auto-scaling in Gb. A range in vertical autoscaling; equal to maxReplicaMemoryGb in horizontal (memory is fixed while the replica count scales). Must be a multiple of 4 and greater than or equal to 8. */
  minReplicaMemoryGb?: number;
  /** Maximum total memory of each replica during auto-scaling in Gb. A range in vertical autoscaling; equal to minReplicaMemoryGb in horizontal (memory is fixed while the replica count scales). Must be a multiple of 4 and lower than or equal to 120* for non paid services or 356* for paid services.* - maximum replica size subject to cloud provider hardware availability in your selected region. */
  maxReplicaMemoryGb?: number;
  /** Fixed replica count for vertical autoscaling (autoscalingMode "vertical" or omitted). Mutually exclusive with minReplicas/maxReplicas. */
  numReplicas?: number;
  /** Minimum number of replicas. A minReplicas/maxReplicas band scales the replica count in horizontal autoscaling (autoscalingMode "horizontal"). Must be provided together with maxReplicas. Mutually exclusive with numReplicas. Requires horizontal autoscaling to be enabled for the organization, unless autoscalingMode is omitted or "vertical" and minReplicas equals maxReplicas (an equal band is then an accepted vertical fixed count and needs no horizontal entitlement). */
  minReplicas?: number;
  /** Maximum number of replicas. A minReplicas/maxReplicas band scales the replica count in horizontal autoscaling (autoscalingMode "horizontal"). Must be provided together with minReplicas. Mutually exclusive with numReplicas. Requires horizontal autoscaling to be enabled for the organization, unless autoscalingMode is omitted or "vertical" and minReplicas equals maxReplicas (an equal band is then an accepted vertical fixed count and needs no horizontal entitlement). */
  maxReplicas?: number;
  /** When set to true the service is allowed to scale down to zero when idle. True by default. */
  idleScaling?: boolean;
  /** Set minimum idling timeout (in minutes). Must be >= 5 minutes. */
  idleTimeoutMinutes?: number;
  /** True if this service is read-only. It can only be read-only if a dataWarehouseId is provided. */
  isReadonly?: boolean;
  /** Data warehouse containing this service */
  dataWarehouseId?: string;
  /** Optional backup ID used as an initial state for the new service. When used the region and the tier of the new instance must be the same as the values of the original instance. */
  backupId?: string;
  /** Optional customer provided disk encryption key */
  encryptionKey?: string;
  /** Optional role to use for disk encryption */
  encryptionAssumedRoleIdentifier?: string;
  /**
   * DEPRECATED. To associate the service with private endpoints, first create the service, then use the `Update Service Basic Details` endpoint with the `privateEndpointIds` field to modify private endpoints.
   * @deprecated
   */
  privateEndpointIds?: string[];
  /** Accept the private preview terms and conditions. It is only needed when creating the first service in the organization in case of a private preview */
  privatePreviewTermsChecked?: boolean;
  /** Select fast if you want to get new ClickHouse releases as soon as they are available. You'll get new features faster, but with a higher risk of bugs. Select slow if you would like to defer releases to give yourself more time to test. This feature is only available for production services. default is the regular release channel. */
  releaseChannel?: "slow" | "default" | "fast";
  /** This is the ID returned after setting up a region for Bring Your Own Cloud (BYOC). When the byocId parameter is specified, the minReplicaMemoryGb and the maxReplicaGb parameters are required too, with values included among the following sizes: 48, 116, 172, 232. */
  byocId?: string;
  /** True if the service should have the Transparent Data Encryption (TDE) enabled. TDE is only available for ENTERPRISE organizations tiers and can only be enabled at service creation. */
  hasTransparentDataEncryption?: boolean;
  /** List of service endpoints to enable or disable */
  endpoints?: ServiceEndpointChange[];
  /** Custom instance profile. Only available for ENTERPRISE organization tiers. */
  profile?: "v1-default" | "v1-highmem-xs" | "v1-highmem-s" | "v1-highmem-m" | "v1-highmem-l" | "v1-highmem-xl";
  /** Type of regulatory compliance for service. */
  complianceType?: "hipaa" | "pci";
  /** Tags associated with the service. */
  tags?: ResourceTagsV1[];
  /** Enables the underlying infra for collecting core dumps. Default is enabled. */
  enableCoreDumps?: boolean;
}

export interface ServicePostResponse {
  service?: Service;
  /** Password for the newly created service. */
  password?: string;
}

export interface IpAccessListPatch {
  /** Elements to add. Executed after "remove" part is processed. */
  add?: IpAccessListEntry[];
  /** Elements to remove. Executed before "add" part is processed. */
  remove?: IpAccessListEntry[];
}

export interface InstancePrivateEndpointsPatch {
  /** Elements to add. Executed after "remove" part is processed. */
  add?: string[];
  /** Elements to remove. Executed before "add" part is processed. */
  remove?: string[];
}

export interface InstanceTagsPatch {
  /** Elements to add. Executed after "remove" part is processed. */
  add?: ResourceTagsV1[];
  /** Elements to remove. Executed before "add" part is processed. */
  remove?: ResourceTagsV1[];
}

export interface ServicePatchRequest {
  /** Name of the service. Alphanumerical string with whitespaces up to 50 characters. */
  name?: string;
  ipAccessList?: IpAccessListPatch;
  privateEndpointIds?: InstancePrivateEndpointsPatch;
  /** Select fast if you want to get new ClickHouse releases as soon as they are available. You'll get new features faster, but with a higher risk of bugs. Select slow if you would like to defer releases to give yourself more time to test. This feature is only available for production services. default is the regular release channel. */
  releaseChannel?: "slow" | "default" | "fast";
  /** List of service endpoints to change */
  endpoints?: ServiceEndpointChange[];
  /** The id of the key to rotate */
  transparentDataEncryptionKeyId?: string;
  tags?: InstanceTagsPatch;
  /** If true, the underlying infra is enabled for collecting core dumps. */
  enableCoreDumps?: boolean;
}

export interface ServiceStatePatchRequest {
  /** Command to change the state: 'start', 'stop', 'awake'. */
  command?: "start" | "stop" | "awake";
}

export interface ServiceScalingPatchRequest {
  /**
   * DEPRECATED - inaccurate for services with non-default numbers of replicas. Use `minReplicaMemoryGb` instead. Minimum memory of three workers during auto-scaling in Gb. Available only for 'production' services. Must be a multiple of 12 and greater than or equal to 24. Always absent for horizontal-autoscaling services (replica count is variable).
   * @deprecated
   */
  minTotalMemoryGb?: number;
  /**
   * DEPRECATED - inaccurate for services with non-default numbers of replicas. Use `maxReplicaMemoryGb` instead. Maximum memory of three workers during auto-scaling in Gb. Available only for 'production' services. Must be a multiple of 12 and lower than or equal to 360 for non paid services or 1068 for paid services. Always absent for horizontal-autoscaling services (replica count is variable).
   * @deprecated
   */
  maxTotalMemoryGb?: number;
  /** Number of replicas for the service. The number of replicas must be between 2 and 20 for the first service in a warehouse. Services that are created in an existing warehouse can have a number of replicas as low as 1. Further restrictions may apply based on your organization's tier. It defaults to 1 for the BASIC tier and 3 for the SCALE and ENTERPRISE tiers. */
  numReplicas?: number;
  /** When set to true the service is allowed to scale down to zero when idle. True by default. */
  idleScaling?: boolean;
  /** Set minimum idling timeout (in minutes). Must be >= 5 minutes. */
  idleTimeoutMinutes?: number;
}

export interface ServiceReplicaScalingPatchRequest {
  /** Minimum auto-scaling memory in Gb for a single replica. Available only for 'production' services. Must be a multiple of 4 and greater than or equal to 8. A range in vertical autoscaling; equal to maxReplicaMemoryGb in horizontal. */
  minReplicaMemoryGb?: number;
  /** Maximum auto-scaling memory in Gb for a single replica. Available only for 'production' services. Must be a multiple of 4 and lower than or equal to 120 for non paid services or 356 for paid services. A range in vertical autoscaling; equal to minReplicaMemoryGb in horizontal. */
  maxReplicaMemoryGb?: number;
  /** Target autoscaling mode. Omit to keep the service on its current mode. "vertical" runs a fixed replica count while memory scales between minReplicaMemoryGb and maxReplicaMemoryGb; "horizontal" scales the replica count between minReplicas and maxReplicas at a fixed per-replica memory (minReplicaMemoryGb equal to maxReplicaMemoryGb). Switching to horizontal requires the feature to be enabled for the organization. */
  autoscalingMode?: "vertical" | "horizontal";
  /** Fixed replica count for vertical autoscaling (autoscalingMode "vertical"). Mutually exclusive with minReplicas/maxReplicas. When switching to vertical (autoscalingMode "vertical") with numReplicas and no memory, the service's stored baseline per-replica memory is kept as the new vertical range. Please contact support to enable adjustment of numReplicas. */
  numReplicas?: number;
  /** Minimum number of replicas. A minReplicas/maxReplicas band scales the replica count in horizontal autoscaling (autoscalingMode "horizontal"). Must be provided together with maxReplicas. Mutually exclusive with numReplicas. Requires horizontal autoscaling to be enabled for the service, unless autoscalingMode is omitted or "vertical" and minReplicas equals maxReplicas (an equal band is then an accepted vertical fixed count and needs no horizontal entitlement). */
  minReplicas?: number;
  /** Maximum number of replicas. A minReplicas/maxReplicas band scales the replica count in horizontal autoscaling (autoscalingMode "horizontal"). Must be provided together with minReplicas. Mutually exclusive with numReplicas. Requires horizontal autoscaling to be enabled for the service, unless autoscalingMode is omitted or "vertical" and minReplicas equals maxReplicas (an equal band is then an accepted vertical fixed count and needs no horizontal entitlement). */
  maxReplicas?: number;
  /** When set to true the service is allowed to scale down to zero when idle. True by default. */
  idleScaling?: boolean;
  /** Set minimum idling timeout (in minutes). Must be >= 5 minutes. */
  idleTimeoutMinutes?: number;
}

export interface ServicePasswordPatchRequest {
  /** Optional password hash. Used to avoid password transmission over network. If not provided a new password is generated and is provided in the response. Otherwise this hash is used. Algorithm: echo -n "yourpassword" | sha256sum | tr -d '-' | xxd -r -p | base64 */
  newPasswordHash?: string;
  /** Optional double SHA1 password hash for MySQL protocol. If newPasswordHash is not provided this key will be ignored and the generated password will be used. Algorithm: echo -n "yourpassword" | sha1sum | tr -d '-' | xxd -r -p | sha1sum | tr -d '-' */
  newDoubleSha1Hash?: string;
}

export interface ServicePasswordPatchResponse {
  /** New service password. Provided only if there was no 'newPasswordHash' in the request */
  password?: string;
}

export interface PrivateEndpointConfig {
  /** Unique identifier of the interface endpoint you created in your VPC with the AWS(Service Name), GCP(Target Service) or AZURE (Private Link Service) resource */
  endpointServiceId?: string;
  /** Private DNS Hostname of the VPC you created */
  privateDnsHostname?: string;
}

export interface InstancePrivateEndpoint {
  /** Private endpoint identifier */
  id?: string;
  /** Description of private endpoint */
  description?: string;
  /** Cloud provider in which the private endpoint is lcoated */
  cloudProvider?: "gcp" | "aws" | "azure";
  /** Region in which the private endpoint is located */
  region?: "ap-northeast-1" | "ap-northeast-2" | "ap-south-1" | "ap-southeast-1" | "ap-southeast-2" | "ca-central-1" | "eu-central-1" | "eu-west-1" | "eu-west-2" | "il-central-1" | "us-east-1" | "us-east-2" | "us-west-2" | "us-east1" | "us-central1" | "europe-west2" | "europe-west4" | "asia-southeast1" | "asia-northeast1" | "eastus" | "eastus2" | "westus3" | "germanywestcentral" | "centralus";
}

export interface ServicPrivateEndpointePostRequest {
  /** Private endpoint identifier */
  id?: string;
  /** Description of private endpoint */
  description?: string;
}

export interface ServiceQueryAPIEndpoint {
  /** The id of the service query endpoint */
  id?: string;
  /** List of OpenAPI keys that can access the service query endpoint */
  openApiKeys?: string[];
  /** List of roles that can access the service query endpoint */
  roles?: ("sql_console_read_only" | "sql_console_admin")[];
  /** The allowed origins as comma separated list of domains */
  allowedOrigins?: string;
}

export interface InstanceServiceQueryApiEndpointsPostRequest {
  /** The roles */
  roles?: ("sql_console_read_only" | "sql_console_admin")[];
  /** The version of the service query endpoint */
  openApiKeys?: string[];
  /** The allowed origins as comma separated list of domains */
  allowedOrigins?: string;
}

export interface BackupConfiguration {
  /** The interval in hours between each backup. */
  backupPeriodInHours?: number;
  /** The minimum duration in hours for which the backups are available. Must be a whole number of days between 24 (1 day) and 1080 (45 days) — i.e. a multiple of 24. */
  backupRetentionPeriodInHours?: number;
  /** The time in HH:MM format for the backups to be performed (evaluated in UTC timezone). When defined the backup period resets to every 24 hours. */
  backupStartTime?: string;
}

export interface BackupConfigurationPatchRequest {
  /** The interval in hours between each backup. */
  backupPeriodInHours?: number;
  /** The minimum duration in hours for which the backups are available. Must be a whole number of days between 24 (1 day) and 1080 (45 days) — i.e. a multiple of 24. */
  backupRetentionPeriodInHours?: number;
  /** The time in HH:MM format for the backups to be performed (evaluated in UTC timezone). When defined the backup period resets to every 24 hours. */
  backupStartTime?: string;
}

export interface AwsBackupBucketProperties {
  /** Bucket provider */
  bucketProvider?: "AWS";
  /** Bucket path */
  bucketPath?: string;
  /** AWS IAM Role */
  iamRoleArn?: string;
  /** AWS IAM Role */
  iamRoleSessionName?: string;
}

export interface GcpBackupBucketProperties {
  /** Bucket provider */
  bucketProvider?: "GCP";
  /** Bucket path */
  bucketPath?: string;
  /** Access Key ID (HMAC key) */
  accessKeyId?: string;
}

export interface AzureBackupBucketProperties {
  /** Bucket provider */
  bucketProvider?: "AZURE";
  /** Container Name */
  containerName?: string;
}

export interface Backup {
  /** Unique backup ID. */
  id?: string;
  /** Status of the backup: 'done', 'error', 'in_progress'. */
  status?: "done" | "error" | "in_progress";
  /** Name */
  serviceId?: string;
  /** Backup start timestamp. ISO-8601. */
  startedAt?: string;
  /** Backup finish timestamp. ISO-8601. Available only for finished backups */
  finishedAt?: string;
  /** Size of the backup in bytes. */
  sizeInBytes?: number;
  /** Time in seconds it took to perform the backup. If the status still in_progress, this is the time in seconds since the backup started until now. */
  durationInSeconds?: number;
  /** Backup type ("full" or "incremental"). */
  type?: "full" | "incremental";
  /** Backup name on the external backup bucket. */
  backupName?: string;
  /** Backup bucket where the backup is stored. */
  bucket?: AwsBackupBucketProperties | GcpBackupBucketProperties | AzureBackupBucketProperties;
}

export interface ClickPipeScaling {
  /** Desired number of replicas. Only for scalable pipes. */
  replicas?: number;
  /**
   * Desired number of concurrency. Only for S3 pipes. If set to 0, concurrency is auto-scaled based on the cluster memory.
   * @deprecated
   */
  concurrency?: number;
  /** CPU in millicores for each replica. Only for streaming pipes. */
  replicaCpuMillicores?: number;
  /** Memory in GB for each replica. Only for streaming pipes. */
  replicaMemoryGb?: number;
}

export interface ClickPipeKafkaOffset {
  /** Offset strategy. */
  strategy?: "from_beginning" | "from_latest" | "from_timestamp";
  /** A minute precision UTC timestamp to start from. Required for "from_timestamp" strategy. */
  timestamp?: string | null;
}

export interface ClickPipeKafkaSchemaRegistry {
  /** Schema URL. HTTPS required. */
  url?: string;
  /** Authentication type of the schema registry. */
  authentication?: "PLAIN";
  /** PEM encoded CA certificates to validate the schema registry's certificate. */
  caCertificate?: string | null;
}

export interface ClickPipeKafkaSource {
  /** Type of the Kafka source. */
  type?: "kafka" | "redpanda" | "msk" | "gcmk" | "confluent" | "warpstream" | "azureeventhub" | "dokafka";
  /** Format of the Kafka source. */
  format?: "JSONEachRow" | "Avro" | "AvroConfluent" | "Protobuf";
  /** Brokers of the Kafka source. */
  brokers?: string;
  /** Topics of the Kafka source. */
  topics?: string;
  /** Consumer group of the Kafka source. If not provided "clickpipes-<<ID>>" will be used. */
  consumerGroup?: string | null;
  /** Authentication method of the Kafka source. Supported authentication methods: kafka: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, MUTUAL_TLS, msk: SCRAM-SHA-512, IAM_ROLE, IAM_USER, MUTUAL_TLS, gcmk: PLAIN, MUTUAL_TLS, confluent: PLAIN, MUTUAL_TLS, warpstream: PLAIN, azureeventhub: PLAIN, redpanda: SCRAM-SHA-256, SCRAM-SHA-512, MUTUAL_TLS, dokafka: SCRAM-SHA-256, MUTUAL_TLS */
  authentication?: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512" | "IAM_ROLE" | "IAM_USER" | "MUTUAL_TLS";
  /** IAM role for the Kafka source. Use with IAM role authentication. Read more in ClickPipes documentation: https://clickhouse.com/docs/en/integrations/clickpipes/kafka#iam */
  iamRole?: string | null;
  offset?: ClickPipeKafkaOffset | null;
  schemaRegistry?: ClickPipeKafkaSchemaRegistry | null;
  /** PEM encoded CA certificates to validate the broker's certificate. */
  caCertificate?: string | null;
  /** Reverse private endpoint UUIDs used for a secure private connection to the Kafka source. */
  reversePrivateEndpointIds?: string[];
  /** Enable exactly-once delivery. Guarantees every Kafka record is inserted exactly once across restarts and rebalances. Can only be set at pipe creation. */
  exactlyOnce?: boolean | null;
}

export interface ClickPipeObjectStorageSource {
  /** Type of the ObjectStorage source. */
  type?: "s3" | "gcs" | "dospaces" | "azureblobstorage" | "cloudflarer2" | "ovhobjectstorage";
  /** Format of the files. */
  format?: "JSONEachRow" | "JSONAsObject" | "CSV" | "CSVWithNames" | "TabSeparated" | "TabSeparatedWithNames" | "Parquet" | "Avro";
  /** Provide a path to the file(s) you want to ingest. You can specify multiple files using bash-like wildcards. For more information, see the documentation on using wildcards in path: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#limitations */
  url?: string;
  /** Delimiter used in the files. */
  delimiter?: string | null;
  /** Compression algorithm used for the files. */
  compression?: "none" | "gzip" | "gz" | "brotli" | "br" | "xz" | "LZMA" | "zstd" | "auto";
  /** If set to true, the pipe will continuously read new files from the source. If set to false, the pipe will read the files only once. New files have to be uploaded lexically order. */
  isContinuous?: boolean | null;
  /** Queue URL for event-based continuous ingestion. For S3, provide an SQS queue URL. For GCS, provide a Pub/Sub subscription (e.g. projects/{project}/subscriptions/{name}). When provided, files are ingested based on event notifications rather than lexicographical order. Only applicable when isContinuous is true and authentication is not public. */
  queueUrl?: string | null;
  /** If set to true, skips the initial load and only ingests files delivered by queue notifications. Only applicable when queueUrl is provided. */
  skipInitialLoad?: boolean | null;
  /** Skip all files up to and including this object key during the initial load. Cannot be provided when skipInitialLoad is true. */
  startAfter?: string | null;
  /** Authentication method. IAM_USER is for S3, GCS, and DigitalOcean Spaces. IAM_ROLE is for S3 only. SERVICE_ACCOUNT is for GCS only. CONNECTION_STRING is for Azure Blob Storage. PUBLIC uses no authentication. */
  authentication?: "IAM_ROLE" | "IAM_USER" | "CONNECTION_STRING" | "SERVICE_ACCOUNT";
  /** IAM role to be used with IAM role authentication. Read more in ClickPipes documentation: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#authentication */
  iamRole?: string | null;
  /** Connection string for Azure Blob Storage authentication. Required when authentication is CONNECTION_STRING. */
  connectionString?: string | null;
  /** Path to the file(s) within the Azure container. Used for Azure Blob Storage sources. You can specify multiple files using bash-like wildcards. For more information, see the documentation on using wildcards in path: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#limitations */
  path?: string | null;
  /** Container name for Azure Blob Storage. Required when type is azureblobstorage. */
  azureContainerName?: string | null;
}

export interface ClickPipeKinesisSource {
  /** Format of the Kinesis stream. */
  format?: "JSONEachRow" | "Avro" | "AvroConfluent";
  /** Name of the Kinesis stream. */
  streamName?: string;
  /** AWS region of the Kinesis stream. */
  region?: string;
  /** Use enhanced fan-out for the Kinesis stream. */
  useEnhancedFanOut?: boolean | null;
  /** Type of iterator to use when reading from the Kinesis stream. If AT_TIMESTAMP is used, the timestamp field must be provided. */
  iteratorType?: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  /** UNIX timestamp to start reading from the Kinesis stream. Required if iteratorType is AT_TIMESTAMP. */
  timestamp?: number | null;
  /** Authentication method to use with the Kinesis stream. */
  authentication?: "IAM_ROLE" | "IAM_USER";
  /** IAM role to use for authentication. Required if IAM_ROLE is used. */
  iamRole?: string | null;
}

export interface ClickPipePubSubSource {
  /** Format of messages in the Pub/Sub topic. GCP Pub/Sub ClickPipes are in limited preview — contact support to enable this feature for your organization. */
  format: "JSONEachRow" | "Avro" | "Protobuf";
  /** GCP project ID that owns the Pub/Sub topic. */
  projectId: string;
  /** Pub/Sub topic name (not the fully-qualified path). */
  topic: string;
  /** Authentication method to use with GCP Pub/Sub. Currently only SERVICE_ACCOUNT is supported. */
  authentication: "SERVICE_ACCOUNT";
  /** Starting position strategy for consuming the subscription. The seekTimestamp companion is required only when seekType is "timestamp"; setting it for a mismatched seek type is rejected. */
  seekType: "latest" | "earliest" | "timestamp";
  /** RFC 3339 / ISO 8601 timestamp to seek to. Required when seekType is "timestamp"; must be omitted otherwise. */
  seekTimestamp?: string | null;
  /** Optional Pub/Sub subscription filter expression (CEL). Maximum 256 characters. */
  filter?: string | null;
  /** Whether to enable ordered delivery of messages (requires messages to be published with ordering keys). */
  enableOrdering?: boolean | null;
  /** Acknowledgement deadline for messages, in seconds. Must be between 10 and 600. */
  ackDeadline?: number | null;
}

export interface ClickPipePostgresPipeSettings {
  /** Interval in seconds to sync data from Postgres during CDC replication. */
  syncIntervalSeconds?: number;
  /** Number of rows to pull in each batch during CDC replication. */
  pullBatchSize?: number;
  /** PostgreSQL publication name to use for CDC replication. If not provided, ClickPipes will create one automatically. */
  publicationName?: string;
  /** Replication mode: "cdc" (change data capture with initial snapshot), "snapshot" (one-time snapshot only), or "cdc_only" (CDC without initial snapshot). */
  replicationMode?: "cdc" | "snapshot" | "cdc_only";
  /** PostgreSQL replication slot name. Only valid for "cdc_only" mode. For "cdc" mode, ClickPipes creates the slot automatically. */
  replicationSlotName?: string;
  /** Preserve nullability from Postgres in the destination ClickHouse table. When true, columns without NOT NULL constraints are created as Nullable(...). When false, all columns are non-nullable and NULL values are replaced with the default value for the type. Note: Nullable types have performance overhead in ClickHouse. */
  allowNullableColumns?: boolean;
  /** Number of parallel workers to use per table in the initial snapshot phase. */
  initialLoadParallelism?: number;
  /** Number of rows per partition during the snapshot phase. */
  snapshotNumRowsPerPartition?: number;
  /** Number of tables to snapshot in parallel during the initial load phase. */
  snapshotNumberOfParallelTables?: number;
  /** Enable failover support for the replication slot on PG17 and newer. Only applicable when ClickPipes creates the replication slot (i.e., replicationSlotName is NOT provided). */
  enableFailoverSlots?: boolean;
  /** Enable hard delete behavior in ReplacingMergeTree for PostgreSQL DELETE operations. */
  deleteOnMerge?: boolean;
}

export interface ClickPipePostgresPipeTableMapping {
  /** PostgreSQL source schema name. */
  sourceSchemaName?: string;
  /** PostgreSQL source table name. */
  sourceTable?: string;
  /** ClickHouse target table name, optionally prefixed with schema name (e.g., "my_schema_my_table"). The table will be created automatically if it does not exist. For snapshot mode, the target table must be empty. */
  targetTable?: string;
  /** List of column names to exclude from replication. Column names must be unique within this list. */
  excludedColumns?: string[];
  /** Whether to use a custom sorting key. If true, sortingKeys must be provided. If false or omitted, the default sorting key is the PostgreSQL primary key. */
  useCustomSortingKey?: boolean;
  /** Ordered list of column names to use as the sorting (ORDER BY) key in ClickHouse. Only used when useCustomSortingKey is true. Column names must be unique within this list. */
  sortingKeys?: string[];
  /** ClickHouse table engine: "ReplacingMergeTree" (handles updates/deletes), "MergeTree" (append-only), or "Null" (forward data to materialized views without storing it). */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
  /** Custom partitioning column used for parallel snapshotting. Only beneficial for PostgreSQL 13 (no benefit for PG14+, which supports indexed ctid scans). Must be an indexed column of type: `smallint`, `integer`, `bigint`, `timestamp without time zone`, or `timestamp with time zone`. Unrelated to ClickHouse partitioning. */
  partitionKey?: string;
  /** ClickHouse PARTITION BY expression applied to the destination table when ClickPipes creates it. */
  partitionByExpr?: string;
}

export interface ClickPipePostgresSource {
  /** Type of the Postgres source. Defaults to "postgres" if not specified. */
  type?: "postgres" | "supabase" | "neon" | "alloydb" | "planetscale" | "rdspostgres" | "aurorapostgres" | "cloudsqlpostgres" | "azurepostgres" | "crunchybridge" | "tigerdata";
  /** PostgreSQL server hostname or IP address. To use a reverse private endpoint, pass the endpoint hostname here. */
  host?: string;
  /** PostgreSQL server port. */
  port?: number;
  /** PostgreSQL database name to replicate from. */
  database?: string;
  /** Authentication method for Postgres connection. */
  authentication?: "basic" | "IAM_ROLE";
  /** IAM role ARN for IAM authentication (required for IAM_ROLE authentication). */
  iamRole?: string;
  /** TLS/SSL host for secure connections. */
  tlsHost?: string;
  /** PEM encoded CA certificate to validate the Postgres server certificate. */
  caCertificate?: string;
  /** Disable TLS for the Postgres connection. Use with caution in production environments. */
  disableTls?: boolean;
  /** Skip TLS certificate verification for the Postgres connection. Use with caution in production environments. */
  skipCertVerification?: boolean;
  settings?: ClickPipePostgresPipeSettings;
  /** List of table mappings defining which PostgreSQL tables to replicate and how they map to ClickHouse tables. */
  tableMappings?: ClickPipePostgresPipeTableMapping[];
}

export interface ClickPipeMySQLPipeSettings {
  /** Interval in seconds to sync data from MySQL during CDC replication. */
  syncIntervalSeconds?: number;
  /** Number of rows to pull in each batch during CDC replication. */
  pullBatchSize?: number;
  /** Replication mode: "cdc" (change data capture with initial snapshot), "snapshot" (one-time snapshot only), or "cdc_only" (CDC without initial snapshot). */
  replicationMode: "cdc" | "snapshot" | "cdc_only";
  /** MySQL replication mechanism: "GTID" (Global Transaction Identifier) or "FILE_POS" (binary log file and position). Defaults to "GTID" if not specified. MariaDB supports "GTID" only. For "FILE_POS" on MySQL, contact support. */
  replicationMechanism?: "GTID" | "FILE_POS";
  /** Enable compression for the MySQL connection. */
  useCompression?: boolean;
  /** Preserve nullability from MySQL in the destination ClickHouse table. When true, columns without NOT NULL constraints are created as Nullable(...). When false, all columns are non-nullable and NULL values are replaced with the default value for the type. Note: Nullable types have performance overhead in ClickHouse. */
  allowNullableColumns?: boolean;
  /** Number of parallel workers to use per table in the initial snapshot phase. */
  initialLoadParallelism?: number;
  /** Number of rows per partition during the snapshot phase. */
  snapshotNumRowsPerPartition?: number;
  /** Number of tables to snapshot in parallel during the initial load phase. */
  snapshotNumberOfParallelTables?: number;
  /** Enable hard delete behavior in ReplacingMergeTree for MySQL DELETE operations. */
  deleteOnMerge?: boolean;
}

export interface ClickPipeMySQLPipeTableMapping {
  /** MySQL source database name. */
  sourceSchemaName: string;
  /** MySQL source table name. */
  sourceTable: string;
  /** ClickHouse target table name, optionally prefixed with schema name (e.g., "my_database_my_table"). The table will be created automatically if it does not exist. For snapshot mode, the target table must be empty. */
  targetTable: string;
  /** List of column names to exclude from replication. Column names must be unique within this list. */
  excludedColumns?: string[];
  /** Whether to use a custom sorting key. If true, sortingKeys must be provided. If false or omitted, the default sorting key is the MySQL primary key. */
  useCustomSortingKey?: boolean;
  /** Ordered list of column names to use as the sorting (ORDER BY) key in ClickHouse. Only used when useCustomSortingKey is true. Column names must be unique within this list. */
  sortingKeys?: string[];
  /** ClickHouse table engine: "ReplacingMergeTree" (handles updates/deletes), "MergeTree" (append-only), or "Null" (forward data to materialized views without storing it). */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
  /** Custom partitioning column used for parallel snapshotting. Must be an indexed column of an integer, date, datetime or timestamp type. Unrelated to ClickHouse partitioning. */
  partitionKey?: string;
}

export interface ClickPipeMySQLSource {
  /** Type of the MySQL source. Defaults to "mysql" if not specified. */
  type?: "mysql" | "rdsmysql" | "auroramysql" | "mariadb" | "rdsmariadb";
  /** MySQL server hostname or IP address. To use a reverse private endpoint, pass the endpoint hostname here. */
  host: string;
  /** MySQL server port. */
  port: number;
  /** Authentication method for MySQL connection. */
  authentication?: "basic" | "IAM_ROLE";
  /** IAM role ARN for IAM authentication (required for IAM_ROLE authentication). */
  iamRole?: string;
  /** TLS/SSL host for secure connections. */
  tlsHost?: string;
  /** PEM encoded CA certificate to validate the MySQL server certificate. */
  caCertificate?: string;
  /** Disable TLS for the MySQL connection. Use with caution in production environments. */
  disableTls?: boolean;
  /** Skip TLS certificate verification for the MySQL connection. Use with caution in production environments. */
  skipCertVerification?: boolean;
  /** Optional MySQL server_id the pipe declares itself as in the MySQL replication topology. Must be unique across replicas connected to the source. If omitted, one is assigned automatically. */
  serverId?: number;
  settings: ClickPipeMySQLPipeSettings;
  /** List of table mappings defining which MySQL tables to replicate and how they map to ClickHouse tables. */
  tableMappings: ClickPipeMySQLPipeTableMapping[];
}

export interface ClickPipeBigQueryPipeSettings {
  /** Replication mode. BigQuery only supports snapshot mode. */
  replicationMode?: "snapshot";
  /** Allow nullable columns in the destination table. */
  allowNullableColumns?: boolean;
  /** Number of parallel workers during initial load. */
  initialLoadParallelism?: number;
  /** Number of rows to snapshot per partition. */
  snapshotNumRowsPerPartition?: number;
  /** Number of parallel tables to snapshot. */
  snapshotNumberOfParallelTables?: number;
}

export interface ClickPipeBigQueryPipeTableMapping {
  /** Source BigQuery dataset name. */
  sourceDatasetName?: string;
  /** Source table name. */
  sourceTable?: string;
  /** Target ClickHouse table name. */
  targetTable?: string;
  /** Columns to exclude from the target table. */
  excludedColumns?: string[];
  /** Whether to use a custom sorting key for the target table. */
  useCustomSortingKey?: boolean;
  /** Ordered list of columns to use as sorting key for the target table. */
  sortingKeys?: string[];
  /** Table engine to use for the target table. */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
}

export interface ClickPipeBigQuerySource {
  /** GCS bucket path for staging snapshot data (e.g., gs://my-bucket/staging/). Data will be automatically cleaned up after initial load. */
  snapshotStagingPath?: string;
  settings?: ClickPipeBigQueryPipeSettings;
  /** Table mappings for BigQuery pipe. */
  tableMappings?: ClickPipeBigQueryPipeTableMapping[];
}

export interface ClickPipeMongoDBPipeSettings {
  /** Interval in seconds to sync data from MongoDB during CDC replication. */
  syncIntervalSeconds?: number;
  /** Number of rows to pull in each batch during CDC replication. */
  pullBatchSize?: number;
  /** Replication mode: "cdc" (change data capture with initial snapshot), "snapshot" (one-time snapshot only), or "cdc_only" (CDC without initial snapshot). */
  replicationMode: "cdc" | "snapshot" | "cdc_only";
  /** Number of rows per partition during the snapshot phase. */
  snapshotNumRowsPerPartition?: number;
  /** Number of collections to snapshot in parallel during the initial load phase. */
  snapshotNumberOfParallelTables?: number;
  /** Enable hard delete behavior in ReplacingMergeTree for MongoDB DELETE operations. */
  deleteOnMerge?: boolean;
  /** Store JSON values in native ClickHouse JSON format. When disabled, JSON data is stored as String. */
  useJsonNativeFormat?: boolean;
}

export interface ClickPipeMongoDBPipeTableMapping {
  /** MongoDB source database name. */
  sourceDatabaseName: string;
  /** MongoDB source collection name. */
  sourceCollection: string;
  /** ClickHouse target table name. The table will be created automatically if it does not exist. */
  targetTable: string;
  /** ClickHouse table engine: "ReplacingMergeTree" (handles updates/deletes), "MergeTree" (append-only), or "Null" (forward data to materialized views without storing it). */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
}

export interface ClickPipeMongoDBSource {
  /** MongoDB connection URI. Supports both standard URIs (mongodb://...) and SRV URIs (mongodb+srv://...). */
  uri: string;
  /** MongoDB read preference for replica set reads. */
  readPreference: "primary" | "primaryPreferred" | "secondary" | "secondaryPreferred" | "nearest";
  /** TLS/SSL host for secure connections. */
  tlsHost?: string;
  /** Disable TLS for the MongoDB connection. Defaults to false (TLS enabled). */
  disableTls?: boolean;
  /** Skip TLS certificate verification for the MongoDB connection. Use with caution in production environments. */
  skipCertVerification?: boolean;
  /** PEM encoded CA certificate to validate the MongoDB server certificate. */
  caCertificate?: string;
  settings?: ClickPipeMongoDBPipeSettings;
  /** List of collection mappings defining which MongoDB collections to replicate and how they map to ClickHouse tables. */
  tableMappings?: ClickPipeMongoDBPipeTableMapping[];
}

export interface ClickPipeSource {
  kafka?: ClickPipeKafkaSource | null;
  objectStorage?: ClickPipeObjectStorageSource | null;
  kinesis?: ClickPipeKinesisSource | null;
  pubsub?: ClickPipePubSubSource | null;
  postgres?: ClickPipePostgresSource | null;
  mysql?: ClickPipeMySQLSource | null;
  bigquery?: ClickPipeBigQuerySource | null;
  mongodb?: ClickPipeMongoDBSource | null;
}

export interface ClickPipeDestinationTableEngine {
  /** Engine type of the destination table. */
  type?: "MergeTree" | "ReplacingMergeTree" | "SummingMergeTree" | "Null";
  /** Column name to use as version for ReplacingMergeTree engine. */
  versionColumnId?: string | null;
  /** Column names to sum for SummingMergeTree engine. */
  columnIds?: string[];
}

export interface ClickPipeDestinationTableDefinition {
  engine?: ClickPipeDestinationTableEngine;
  /** Sorting key of the destination table. List of columns. */
  sortingKey?: string[];
  /** Partition key SQL expression. */
  partitionBy?: string;
  /** Primary key of SQL expression. */
  primaryKey?: string;
}

export interface ClickPipeDestinationColumn {
  /** Name of the column. */
  name?: string;
  /** Type of the column. */
  type?: string;
}

export interface ClickPipeDestination {
  /** Destination database. */
  database?: string;
  /** Destination table. Required field for all pipe types except database pipes (Postgres, MySQL, BigQuery). */
  table?: string;
  /** Is the table managed by ClickPipes? Required field for all pipe types except database pipes (Postgres, MySQL, BigQuery). */
  managedTable?: boolean;
  tableDefinition?: ClickPipeDestinationTableDefinition;
  /** Columns of the destination table. Required field for all pipe types except database pipes (Postgres, MySQL, BigQuery). */
  columns?: ClickPipeDestinationColumn[];
}

export interface ClickPipeFieldMapping {
  /** Source field name. */
  sourceField?: string;
  /** Destination field name. */
  destinationField?: string;
}

export interface ClickPipeSettings {
  /** Streaming max insert wait time. Configures the max wait period before inserting data into the ClickHouse. */
  streaming_max_insert_wait_ms?: number | null;
  /** Object storage concurrency. Number of concurrent file processing threads */
  object_storage_concurrency?: number | null;
  /** Object storage polling interval. Configures the refresh interval for querying continuous ingest for new object storage data */
  object_storage_polling_interval_ms?: number | null;
  /** Max insert bytes. Number of bytes to process in a single insert batch */
  object_storage_max_insert_bytes?: number | null;
  /** Max file count. Maximum number of files to process in a single insert batch */
  object_storage_max_file_count?: number | null;
  /** Max threads. Maximum number of concurrent threads for file processing */
  clickhouse_max_threads?: number | null;
  /** Max insert threads. Maximum number of concurrent insert threads */
  clickhouse_max_insert_threads?: number | null;
  /** Min insert block size bytes. Minimum size of data block for insert (in bytes) */
  clickhouse_min_insert_block_size_bytes?: number | null;
  /** Max download threads. Maximum number of concurrent download threads */
  clickhouse_max_download_threads?: number | null;
  /** Parallel distributed insert select. Parallel distributed insert select setting */
  clickhouse_parallel_distributed_insert_select?: number | null;
  /** use cluster function. Whether to use ClickHouse cluster function for distributed processing */
  object_storage_use_cluster_function?: boolean | null;
  /** parallel view processing. Whether to enable pushing to attached views concurrently instead of sequentially */
  clickhouse_parallel_view_processing?: boolean | null;
}

export interface ClickPipe {
  /** Unique ClickPipe ID. */
  id?: string;
  /** ID of the service this ClickPipe belongs to. */
  serviceId?: string;
  /** Name of the ClickPipe. */
  name?: string;
  /** Current lifecycle state of the ClickPipe. For database pipes: "Provisioning" (initial setup), "Setup" (configuring replication), "Snapshot" (initial data load), "Running" (actively replicating), "Pausing" (transitioning to paused state), "Paused" (temporarily paused), "Modifying" (applying configuration updates), "Resync" (swapping resync tables with original tables), "Failed" (error occurred), "Unknown". For streaming/object storage pipes (Kafka, Kinesis, S3): "Unknown" (initial state), "Provisioning" (setting up resources), "Running" (actively ingesting data), "Stopping" (transitioning to stopped state), "Stopped" (manually stopped, can be restarted), "Completed" (batch ingestion finished for object storage), "Failed" (error occurred, pipe stopped), "InternalError" (internal system error). */
  state?: "Unknown" | "Provisioning" | "Running" | "Degraded" | "Stopping" | "Stopped" | "Failed" | "Completed" | "InternalError" | "Setup" | "Snapshot" | "Paused" | "Pausing" | "Modifying" | "Resync";
  scaling?: ClickPipeScaling;
  source?: ClickPipeSource;
  destination?: ClickPipeDestination;
  /** Field mappings of the ClickPipe. Note that all destination columns must be included in the mappings. */
  fieldMappings?: ClickPipeFieldMapping[];
  settings?: ClickPipeSettings;
  /** Creation timestamp of the ClickPipe in ISO 8601 format. */
  createdAt?: string;
  /** Last update timestamp of the ClickPipe in ISO 8601 format. */
  updatedAt?: string;
}

export interface ClickPipeKafkaSchemaRegistryCredentials {
  /** Username for the schema registry. */
  username?: string;
  /** Password for the schema registry. */
  password?: string;
}

export interface ClickPipeMutateKafkaSchemaRegistry {
  /** Schema URL. HTTPS required. */
  url?: string;
  /** Authentication type of the schema registry. */
  authentication?: "PLAIN";
  /** PEM encoded CA certificates to validate the schema registry's certificate. */
  caCertificate?: string | null;
  credentials?: ClickPipeKafkaSchemaRegistryCredentials;
}

export interface PLAIN {
  /** Database username. */
  username?: string;
  /** Database password. */
  password?: string;
}

export interface MskIamUser {
  /** IAM access key ID. */
  accessKeyId?: string;
  /** IAM secret key. */
  secretKey?: string;
}

export interface AzureEventHub {
  /** Connection string for Azure EventHub source. */
  connectionString?: string;
}

export interface MutualTLS {
  /** PEM encoded client certificate for mTLS authentication. */
  certificate?: string;
  /** PEM encoded client private key for mTLS authentication. */
  privateKey?: string;
}

export interface ClickPipePostKafkaSource {
  /** Type of the Kafka source. */
  type?: "kafka" | "redpanda" | "msk" | "gcmk" | "confluent" | "warpstream" | "azureeventhub" | "dokafka";
  /** Format of the Kafka source. */
  format?: "JSONEachRow" | "Avro" | "AvroConfluent" | "Protobuf";
  /** Brokers of the Kafka source. */
  brokers?: string;
  /** Topics of the Kafka source. */
  topics?: string;
  /** Consumer group of the Kafka source. If not provided "clickpipes-<<ID>>" will be used. */
  consumerGroup?: string | null;
  /** Authentication method of the Kafka source. Supported authentication methods: kafka: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, MUTUAL_TLS, msk: SCRAM-SHA-512, IAM_ROLE, IAM_USER, MUTUAL_TLS, gcmk: PLAIN, MUTUAL_TLS, confluent: PLAIN, MUTUAL_TLS, warpstream: PLAIN, azureeventhub: PLAIN, redpanda: SCRAM-SHA-256, SCRAM-SHA-512, MUTUAL_TLS, dokafka: SCRAM-SHA-256, MUTUAL_TLS */
  authentication?: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512" | "IAM_ROLE" | "IAM_USER" | "MUTUAL_TLS";
  /** IAM role for the Kafka source. Use with IAM role authentication. Read more in ClickPipes documentation: https://clickhouse.com/docs/en/integrations/clickpipes/kafka#iam */
  iamRole?: string | null;
  offset?: ClickPipeKafkaOffset | null;
  schemaRegistry?: ClickPipeMutateKafkaSchemaRegistry | null;
  /** PEM encoded CA certificates to validate the broker's certificate. */
  caCertificate?: string | null;
  /** Reverse private endpoint UUIDs used for a secure private connection to the Kafka source. */
  reversePrivateEndpointIds?: string[];
  /** Enable exactly-once delivery. Guarantees every Kafka record is inserted exactly once across restarts and rebalances. Can only be set at pipe creation. */
  exactlyOnce?: boolean | null;
  /** Credentials for Kafka source. Choose one that is supported by the authentication method. */
  credentials?: PLAIN | MskIamUser | AzureEventHub | MutualTLS;
}

export interface ClickPipePostObjectStorageSource {
  /** Type of the ObjectStorage source. */
  type?: "s3" | "gcs" | "dospaces" | "azureblobstorage" | "cloudflarer2" | "ovhobjectstorage";
  /** Format of the files. */
  format?: "JSONEachRow" | "JSONAsObject" | "CSV" | "CSVWithNames" | "TabSeparated" | "TabSeparatedWithNames" | "Parquet" | "Avro";
  /** Provide a path to the file(s) you want to ingest. You can specify multiple files using bash-like wildcards. For more information, see the documentation on using wildcards in path: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#limitations */
  url?: string;
  /** Delimiter used in the files. */
  delimiter?: string | null;
  /** Compression algorithm used for the files. */
  compression?: "none" | "gzip" | "gz" | "brotli" | "br" | "xz" | "LZMA" | "zstd" | "auto";
  /** If set to true, the pipe will continuously read new files from the source. If set to false, the pipe will read the files only once. New files have to be uploaded lexically order. */
  isContinuous?: boolean | null;
  /** Queue URL for event-based continuous ingestion. For S3, provide an SQS queue URL. For GCS, provide a Pub/Sub subscription (e.g. projects/{project}/subscriptions/{name}). When provided, files are ingested based on event notifications rather than lexicographical order. Only applicable when isContinuous is true and authentication is not public. */
  queueUrl?: string | null;
  /** If set to true, skips the initial load and only ingests files delivered by queue notifications. Only applicable when queueUrl is provided. */
  skipInitialLoad?: boolean | null;
  /** Skip all files up to and including this object key during the initial load. Cannot be provided when skipInitialLoad is true. */
  startAfter?: string | null;
  /** Authentication method. IAM_USER is for S3, GCS, and DigitalOcean Spaces. IAM_ROLE is for S3 only. SERVICE_ACCOUNT is for GCS only. CONNECTION_STRING is for Azure Blob Storage. PUBLIC uses no authentication. */
  authentication?: "IAM_ROLE" | "IAM_USER" | "CONNECTION_STRING" | "SERVICE_ACCOUNT";
  /** IAM role to be used with IAM role authentication. Read more in ClickPipes documentation: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#authentication */
  iamRole?: string | null;
  /** Connection string for Azure Blob Storage authentication. Required when authentication is CONNECTION_STRING. */
  connectionString?: string | null;
  /** Path to the file(s) within the Azure container. Used for Azure Blob Storage sources. You can specify multiple files using bash-like wildcards. For more information, see the documentation on using wildcards in path: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#limitations */
  path?: string | null;
  /** Container name for Azure Blob Storage. Required when type is azureblobstorage. */
  azureContainerName?: string | null;
  accessKey?: MskIamUser | null;
  /** Base64-encoded GCP service account JSON key. Required when authentication is SERVICE_ACCOUNT. */
  serviceAccountKey?: string | null;
}

export interface ClickPipePostKinesisSource {
  /** Format of the Kinesis stream. */
  format?: "JSONEachRow" | "Avro" | "AvroConfluent";
  /** Name of the Kinesis stream. */
  streamName?: string;
  /** AWS region of the Kinesis stream. */
  region?: string;
  /** Use enhanced fan-out for the Kinesis stream. */
  useEnhancedFanOut?: boolean | null;
  /** Type of iterator to use when reading from the Kinesis stream. If AT_TIMESTAMP is used, the timestamp field must be provided. */
  iteratorType?: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  /** UNIX timestamp to start reading from the Kinesis stream. Required if iteratorType is AT_TIMESTAMP. */
  timestamp?: number | null;
  /** Authentication method to use with the Kinesis stream. */
  authentication?: "IAM_ROLE" | "IAM_USER";
  /** IAM role to use for authentication. Required if IAM_ROLE is used. */
  iamRole?: string | null;
  accessKey?: MskIamUser | null;
}

export interface ServiceAccount {
  /** Google Cloud service account JSON key file content, base64 encoded. */
  serviceAccountFile?: string;
}

export interface ClickPipePostPubSubSource {
  /** Format of messages in the Pub/Sub topic. GCP Pub/Sub ClickPipes are in limited preview — contact support to enable this feature for your organization. */
  format: "JSONEachRow" | "Avro" | "Protobuf";
  /** GCP project ID that owns the Pub/Sub topic. */
  projectId: string;
  /** Pub/Sub topic name (not the fully-qualified path). */
  topic: string;
  /** Authentication method to use with GCP Pub/Sub. Currently only SERVICE_ACCOUNT is supported. */
  authentication: "SERVICE_ACCOUNT";
  /** Starting position strategy for consuming the subscription. The seekTimestamp companion is required only when seekType is "timestamp"; setting it for a mismatched seek type is rejected. */
  seekType: "latest" | "earliest" | "timestamp";
  /** RFC 3339 / ISO 8601 timestamp to seek to. Required when seekType is "timestamp"; must be omitted otherwise. */
  seekTimestamp?: string | null;
  /** Optional Pub/Sub subscription filter expression (CEL). Maximum 256 characters. */
  filter?: string | null;
  /** Whether to enable ordered delivery of messages (requires messages to be published with ordering keys). */
  enableOrdering?: boolean | null;
  /** Acknowledgement deadline for messages, in seconds. Must be between 10 and 600. */
  ackDeadline?: number | null;
  serviceAccountKey: ServiceAccount;
}

export interface ClickPipeMutatePostgresSource {
  /** Type of the Postgres source. Defaults to "postgres" if not specified. */
  type?: "postgres" | "supabase" | "neon" | "alloydb" | "planetscale" | "rdspostgres" | "aurorapostgres" | "cloudsqlpostgres" | "azurepostgres" | "crunchybridge" | "tigerdata";
  credentials?: PLAIN;
  /** PostgreSQL server hostname or IP address. To use a reverse private endpoint, pass the endpoint hostname here. */
  host?: string;
  /** PostgreSQL server port. */
  port?: number;
  /** PostgreSQL database name to replicate from. */
  database?: string;
  settings?: ClickPipePostgresPipeSettings;
  /** Authentication method for Postgres connection. */
  authentication?: "basic" | "IAM_ROLE";
  /** IAM role ARN for IAM authentication (required for IAM_ROLE authentication). */
  iamRole?: string;
  /** TLS/SSL host for secure connections. */
  tlsHost?: string;
  /** PEM encoded CA certificate to validate the Postgres server certificate. */
  caCertificate?: string;
  /** Disable TLS for the Postgres connection. Use with caution in production environments. */
  disableTls?: boolean;
  /** Skip TLS certificate verification for the Postgres connection. Use with caution in production environments. */
  skipCertVerification?: boolean;
  /** List of table mappings defining which PostgreSQL tables to replicate and how they map to ClickHouse tables. */
  tableMappings?: ClickPipePostgresPipeTableMapping[];
}

export interface ClickPipeMutateMySQLSource {
  /** Type of the MySQL source. Defaults to "mysql" if not specified. */
  type?: "mysql" | "rdsmysql" | "auroramysql" | "mariadb" | "rdsmariadb";
  credentials?: PLAIN;
  /** MySQL server hostname or IP address. To use a reverse private endpoint, pass the endpoint hostname here. */
  host: string;
  /** MySQL server port. */
  port: number;
  settings: ClickPipeMySQLPipeSettings;
  /** Authentication method for MySQL connection. */
  authentication?: "basic" | "IAM_ROLE";
  /** IAM role ARN for IAM authentication (required for IAM_ROLE authentication). */
  iamRole?: string;
  /** TLS/SSL host for secure connections. */
  tlsHost?: string;
  /** PEM encoded CA certificate to validate the MySQL server certificate. */
  caCertificate?: string;
  /** Disable TLS for the MySQL connection. Use with caution in production environments. */
  disableTls?: boolean;
  /** Skip TLS certificate verification for the MySQL connection. Use with caution in production environments. */
  skipCertVerification?: boolean;
  /** Optional MySQL server_id the pipe declares itself as in the MySQL replication topology. Must be unique across replicas connected to the source. If omitted, one is assigned automatically. */
  serverId?: number;
  /** List of table mappings defining which MySQL tables to replicate and how they map to ClickHouse tables. */
  tableMappings: ClickPipeMySQLPipeTableMapping[];
}

export interface ClickPipeMutateBigQuerySource {
  /** GCS bucket path for staging snapshot data (e.g., gs://my-bucket/staging/). Data will be automatically cleaned up after initial load. */
  snapshotStagingPath?: string;
  settings?: ClickPipeBigQueryPipeSettings;
  /** Table mappings for BigQuery pipe. */
  tableMappings?: ClickPipeBigQueryPipeTableMapping[];
  credentials?: ServiceAccount;
}

export interface ClickPipeMutateMongoDBSource {
  credentials?: PLAIN;
  /** MongoDB connection URI. Supports both standard URIs (mongodb://...) and SRV URIs (mongodb+srv://...). */
  uri: string;
  /** MongoDB read preference for replica set reads. */
  readPreference: "primary" | "primaryPreferred" | "secondary" | "secondaryPreferred" | "nearest";
  /** TLS/SSL host for secure connections. */
  tlsHost?: string;
  /** Disable TLS for the MongoDB connection. Defaults to false (TLS enabled). */
  disableTls?: boolean;
  /** Skip TLS certificate verification for the MongoDB connection. Use with caution in production environments. */
  skipCertVerification?: boolean;
  /** PEM encoded CA certificate to validate the MongoDB server certificate. */
  caCertificate?: string;
  settings: ClickPipeMongoDBPipeSettings;
  /** List of collection mappings defining which MongoDB collections to replicate and how they map to ClickHouse tables. */
  tableMappings: ClickPipeMongoDBPipeTableMapping[];
}

export interface ClickPipePostSource {
  kafka?: ClickPipePostKafkaSource | null;
  objectStorage?: ClickPipePostObjectStorageSource | null;
  kinesis?: ClickPipePostKinesisSource | null;
  pubsub?: ClickPipePostPubSubSource | null;
  postgres?: ClickPipeMutatePostgresSource;
  mysql?: ClickPipeMutateMySQLSource | null;
  bigquery?: ClickPipeMutateBigQuerySource | null;
  mongodb?: ClickPipeMutateMongoDBSource | null;
  /** Validate data samples received from data source. It will validate the connection and data availability and correctness. If not enabled, only connection will be validated. This has no effect on Postgres or MySQL pipes, they always only validate the connection and table definitions. This is experimental and can be removed in the future. */
  validateSamples?: boolean;
}

export interface ClickPipeMutateDestination {
  /** Destination database. */
  database?: string;
  /** Destination table. Required field for all pipe types except database pipes (Postgres, MySQL, BigQuery). */
  table?: string;
  /** Is the table managed by ClickPipes? Required field for all pipe types except database pipes (Postgres, MySQL, BigQuery). */
  managedTable?: boolean;
  tableDefinition?: ClickPipeDestinationTableDefinition;
  /** Columns of the destination table. Required field for all pipe types except database pipes (Postgres, MySQL, BigQuery). */
  columns?: ClickPipeDestinationColumn[];
  /** Optional. Roles to grant to the ClickHouse user that ClickPipe creates. If omitted, the user is granted the default role (`default_role`). Add your custom roles here if required. */
  roles?: string[];
}

export interface ClickPipePostRequest {
  /** Name of the ClickPipe. */
  name?: string;
  source?: ClickPipePostSource;
  destination?: ClickPipeMutateDestination;
  /** Field mappings of the ClickPipe. Note that all destination columns must be included in the mappings. */
  fieldMappings?: ClickPipeFieldMapping[];
  scaling?: ClickPipeScaling;
  settings?: ClickPipeSettings;
}

export interface ClickPipePatchKafkaSource {
  /** Authentication method of the Kafka source. Supported authentication methods: kafka: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, MUTUAL_TLS, msk: SCRAM-SHA-512, IAM_ROLE, IAM_USER, MUTUAL_TLS, gcmk: PLAIN, MUTUAL_TLS, confluent: PLAIN, MUTUAL_TLS, warpstream: PLAIN, azureeventhub: PLAIN, redpanda: SCRAM-SHA-256, SCRAM-SHA-512, MUTUAL_TLS, dokafka: SCRAM-SHA-256, MUTUAL_TLS */
  authentication?: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512" | "IAM_ROLE" | "IAM_USER" | "MUTUAL_TLS";
  /** IAM role for the Kafka source. Use with IAM role authentication. Read more in ClickPipes documentation: https://clickhouse.com/docs/en/integrations/clickpipes/kafka#iam */
  iamRole?: string | null;
  /** PEM encoded CA certificates to validate the broker's certificate. */
  caCertificate?: string | null;
  /** Reverse private endpoint UUIDs used for a secure private connection to the Kafka source. */
  reversePrivateEndpointIds?: string[];
  /** Credentials for Kafka source. Choose one that is supported by the authentication method. */
  credentials?: PLAIN | MskIamUser | AzureEventHub | MutualTLS;
}

export interface ClickPipePatchObjectStorageSource {
  /** If set to true, skips the initial load and only ingests files delivered by queue notifications. Only applicable when queueUrl is provided. */
  skipInitialLoad?: boolean | null;
  /** Skip all files up to and including this object key during the initial load. Cannot be provided when skipInitialLoad is true. */
  startAfter?: string | null;
  /** Authentication method. IAM_USER is for S3, GCS, and DigitalOcean Spaces. IAM_ROLE is for S3 only. SERVICE_ACCOUNT is for GCS only. CONNECTION_STRING is for Azure Blob Storage. PUBLIC uses no authentication. */
  authentication?: "IAM_ROLE" | "IAM_USER" | "CONNECTION_STRING" | "SERVICE_ACCOUNT";
  /** IAM role to be used with IAM role authentication. Read more in ClickPipes documentation: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#authentication */
  iamRole?: string | null;
  /** Connection string for Azure Blob Storage authentication. Required when authentication is CONNECTION_STRING. */
  connectionString?: string | null;
  /** Path to the file(s) within the Azure container. Used for Azure Blob Storage sources. You can specify multiple files using bash-like wildcards. For more information, see the documentation on using wildcards in path: https://clickhouse.com/docs/en/integrations/clickpipes/object-storage#limitations */
  path?: string | null;
  /** Container name for Azure Blob Storage. Required when type is azureblobstorage. */
  azureContainerName?: string | null;
  accessKey?: MskIamUser | null;
  /** Base64-encoded GCP service account JSON key. Required when authentication is SERVICE_ACCOUNT. */
  serviceAccountKey?: string | null;
}

export interface ClickPipePatchKinesisSource {
  /** Authentication method to use with the Kinesis stream. */
  authentication?: "IAM_ROLE" | "IAM_USER";
  /** IAM role to use for authentication. Required if IAM_ROLE is used. */
  iamRole?: string | null;
  accessKey?: MskIamUser | null;
}

export interface ClickPipePatchPubSubSource {
  /** Authentication method to use with GCP Pub/Sub. Currently only SERVICE_ACCOUNT is supported. */
  authentication: "SERVICE_ACCOUNT";
  /** Acknowledgement deadline for messages, in seconds. Must be between 10 and 600. */
  ackDeadline?: number | null;
  serviceAccountKey: ServiceAccount | null;
}

export interface ClickPipePatchPostgresPipeSettings {
  /** Interval in seconds to sync data from Postgres during CDC replication. */
  syncIntervalSeconds?: number | null;
  /** Number of rows to pull in each batch during CDC replication. */
  pullBatchSize?: number | null;
}

export interface ClickPipePatchPostgresPipeRemoveTableMapping {
  /** PostgreSQL source schema name. */
  sourceSchemaName?: string | null;
  /** PostgreSQL source table name. */
  sourceTable?: string | null;
  /** ClickHouse target table name, optionally prefixed with schema name (e.g., "my_schema_my_table"). The table will be created automatically if it does not exist. For snapshot mode, the target table must be empty. */
  targetTable?: string | null;
  /** ClickHouse table engine: "ReplacingMergeTree" (handles updates/deletes), "MergeTree" (append-only), or "Null" (forward data to materialized views without storing it). */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
  /** Custom partitioning column used for parallel snapshotting. Only beneficial for PostgreSQL 13 (no benefit for PG14+, which supports indexed ctid scans). Must be an indexed column of type: `smallint`, `integer`, `bigint`, `timestamp without time zone`, or `timestamp with time zone`. Unrelated to ClickHouse partitioning. */
  partitionKey?: string | null;
  /** ClickHouse PARTITION BY expression applied to the destination table when ClickPipes creates it. */
  partitionByExpr?: string | null;
}

export interface ClickPipePatchPostgresSource {
  credentials?: PLAIN;
  /** PostgreSQL server hostname or IP address. To use a reverse private endpoint, pass the endpoint hostname here. */
  host?: string | null;
  /** PostgreSQL server port. */
  port?: number | null;
  /** PostgreSQL database name to replicate from. */
  database?: string | null;
  /** TLS/SSL host for secure connections. */
  tlsHost?: string | null;
  /** PEM encoded CA certificate to validate the Postgres server certificate. */
  caCertificate?: string | null;
  /** Disable TLS for the Postgres connection. Use with caution in production environments. */
  disableTls?: boolean | null;
  /** Skip TLS certificate verification for the Postgres connection. Use with caution in production environments. */
  skipCertVerification?: boolean | null;
  settings?: ClickPipePatchPostgresPipeSettings;
  /** Table mappings to add to the pipe. Can be an empty array if no tables are being added. */
  tableMappingsToAdd?: ClickPipePostgresPipeTableMapping[];
  /** Table mappings to remove from the pipe. Only sourceSchemaName, sourceTable, and targetTable are required for removal. */
  tableMappingsToRemove?: ClickPipePatchPostgresPipeRemoveTableMapping[];
}

export interface ClickPipePatchMySQLPipeSettings {
  /** Interval in seconds to sync data from MySQL during CDC replication. */
  syncIntervalSeconds?: number | null;
  /** Number of rows to pull in each batch during CDC replication. */
  pullBatchSize?: number | null;
  /** Enable compression for the MySQL connection. */
  useCompression?: boolean | null;
}

export interface ClickPipePatchMySQLPipeRemoveTableMapping {
  /** MySQL source database name. */
  sourceSchemaName: string | null;
  /** MySQL source table name. */
  sourceTable: string | null;
  /** ClickHouse target table name, optionally prefixed with schema name (e.g., "my_database_my_table"). The table will be created automatically if it does not exist. For snapshot mode, the target table must be empty. */
  targetTable: string | null;
  /** ClickHouse table engine: "ReplacingMergeTree" (handles updates/deletes), "MergeTree" (append-only), or "Null" (forward data to materialized views without storing it). */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
  /** Custom partitioning column used for parallel snapshotting. Must be an indexed column of an integer, date, datetime or timestamp type. Unrelated to ClickHouse partitioning. */
  partitionKey?: string | null;
}

export interface ClickPipePatchMySQLSource {
  credentials?: PLAIN;
  /** MySQL server hostname or IP address. To use a reverse private endpoint, pass the endpoint hostname here. */
  host: string | null;
  /** MySQL server port. */
  port: number | null;
  /** Authentication method for MySQL connection. */
  authentication?: "basic" | "IAM_ROLE";
  /** IAM role ARN for IAM authentication (required for IAM_ROLE authentication). */
  iamRole?: string | null;
  /** TLS/SSL host for secure connections. */
  tlsHost?: string | null;
  /** PEM encoded CA certificate to validate the MySQL server certificate. */
  caCertificate?: string | null;
  /** Disable TLS for the MySQL connection. Use with caution in production environments. */
  disableTls?: boolean | null;
  /** Skip TLS certificate verification for the MySQL connection. Use with caution in production environments. */
  skipCertVerification?: boolean | null;
  /** Optional MySQL server_id the pipe declares itself as in the MySQL replication topology. Must be unique across replicas connected to the source. If omitted, one is assigned automatically. */
  serverId?: number | null;
  settings?: ClickPipePatchMySQLPipeSettings;
  /** Table mappings to add to the pipe. Can be an empty array if no tables are being added. */
  tableMappingsToAdd?: ClickPipeMySQLPipeTableMapping[];
  /** Table mappings to remove from the pipe. Only sourceSchemaName, sourceTable, and targetTable are required for removal. */
  tableMappingsToRemove?: ClickPipePatchMySQLPipeRemoveTableMapping[];
}

export interface ClickPipePatchMongoDBPipeSettings {
  /** Interval in seconds to sync data from MongoDB during CDC replication. */
  syncIntervalSeconds?: number | null;
  /** Number of rows to pull in each batch during CDC replication. */
  pullBatchSize?: number | null;
}

export interface ClickPipePatchMongoDBPipeRemoveTableMapping {
  /** MongoDB source database name. */
  sourceDatabaseName: string | null;
  /** MongoDB source collection name. */
  sourceCollection: string | null;
  /** ClickHouse target table name. The table will be created automatically if it does not exist. */
  targetTable: string | null;
  /** ClickHouse table engine: "ReplacingMergeTree" (handles updates/deletes), "MergeTree" (append-only), or "Null" (forward data to materialized views without storing it). */
  tableEngine?: "MergeTree" | "ReplacingMergeTree" | "Null";
}

export interface ClickPipePatchMongoDBSource {
  credentials?: PLAIN;
  /** MongoDB connection URI. Supports both standard URIs (mongodb://...) and SRV URIs (mongodb+srv://...). */
  uri: string | null;
  /** MongoDB read preference for replica set reads. */
  readPreference: "primary" | "primaryPreferred" | "secondary" | "secondaryPreferred" | "nearest";
  /** TLS/SSL host for secure connections. */
  tlsHost?: string | null;
  /** Disable TLS for the MongoDB connection. Defaults to false (TLS enabled). */
  disableTls?: boolean | null;
  /** Skip TLS certificate verification for the MongoDB connection. Use with caution in production environments. */
  skipCertVerification?: boolean | null;
  /** PEM encoded CA certificate to validate the MongoDB server certificate. */
  caCertificate?: string | null;
  settings?: ClickPipePatchMongoDBPipeSettings;
  /** Collection mappings to add to the pipe. Can be an empty array if no collections are being added. */
  tableMappingsToAdd?: ClickPipeMongoDBPipeTableMapping[];
  /** Collection mappings to remove from the pipe. Only sourceDatabaseName, sourceCollection, and targetTable are required for removal. */
  tableMappingsToRemove?: ClickPipePatchMongoDBPipeRemoveTableMapping[];
}

export interface ClickPipePatchSource {
  kafka?: ClickPipePatchKafkaSource | null;
  objectStorage?: ClickPipePatchObjectStorageSource | null;
  kinesis?: ClickPipePatchKinesisSource | null;
  pubsub?: ClickPipePatchPubSubSource | null;
  postgres?: ClickPipePatchPostgresSource;
  mysql?: ClickPipePatchMySQLSource | null;
  mongodb?: ClickPipePatchMongoDBSource | null;
  /** Validate data samples received from data source. It will validate the connection and data availability and correctness. If not enabled, only connection will be validated. This has no effect on Postgres or MySQL pipes, they always only validate the connection and table definitions. This is experimental and can be removed in the future. */
  validateSamples?: boolean;
}

export interface ClickPipePatchDestination {
  /** Columns of the destination table. This will not update the table schema, only the ClickPipe configuration. */
  columns?: ClickPipeDestinationColumn[];
}

export interface ClickPipePatchRequest {
  /** Name of the ClickPipe. */
  name?: string | null;
  source?: ClickPipePatchSource | null;
  destination?: ClickPipePatchDestination | null;
  /** Field mappings of the ClickPipe. This will not update the table schema, only the ClickPipe configuration. */
  fieldMappings?: ClickPipeFieldMapping[];
  settings?: ClickPipeSettings | null;
}

export interface ClickPipeScalingPatchRequest {
  /** Number of replicas to scale to. Use to scale Kafka pipes. */
  replicas?: number | null;
  /**
   * Number of concurrency to scale to. Use to scale S3 pipes.
   * @deprecated
   */
  concurrency?: number | null;
  /** CPU in millicores for each replica. Use to scale streaming pipes. */
  replicaCpuMillicores?: number | null;
  /** Memory in GB for each replica. Use to scale streaming pipes. */
  replicaMemoryGb?: number | null;
}

export interface ClickPipeStatePatchRequest {
  /** Command to change the state: 'start', 'stop', 'resync'. */
  command?: "start" | "stop" | "resync";
}

