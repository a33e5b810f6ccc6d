/**
 * The names the code uses for the ClickHouse Cloud API's payloads: aliases of the types generated
 * from the official OpenAPI document (./openapi.gen.ts, `components.schemas`), so a change of the
 * document shows up as a compile error instead of a silent drift. Add a name here when the code
 * needs one; never write a payload type by hand.
 */
import type { components } from "./openapi.gen";

type Schemas = components["schemas"];

/** `ApiKey` of the OpenAPI document. */
export type ApiKey = Schemas["ApiKey"];
/** `ApiKeyPatchRequest` of the OpenAPI document. */
export type ApiKeyPatchRequest = Schemas["ApiKeyPatchRequest"];
/** `ApiKeyPostRequest` of the OpenAPI document. */
export type ApiKeyPostRequest = Schemas["ApiKeyPostRequest"];
/** `ApiKeyPostResponse` of the OpenAPI document. */
export type ApiKeyPostResponse = Schemas["ApiKeyPostResponse"];
/** `Backup` of the OpenAPI document. */
export type Backup = Schemas["Backup"];
/** `BackupConfiguration` of the OpenAPI document. */
export type BackupConfiguration = Schemas["BackupConfiguration"];
/** `BackupConfigurationPatchRequest` of the OpenAPI document. */
export type BackupConfigurationPatchRequest = Schemas["BackupConfigurationPatchRequest"];
/** `ClickPipe` of the OpenAPI document. */
export type ClickPipe = Schemas["ClickPipe"];
/** `ClickPipeDestination` of the OpenAPI document. */
export type ClickPipeDestination = Schemas["ClickPipeDestination"];
/** `ClickPipeFieldMapping` of the OpenAPI document. */
export type ClickPipeFieldMapping = Schemas["ClickPipeFieldMapping"];
/** `ClickPipeMutateDestination` of the OpenAPI document. */
export type ClickPipeMutateDestination = Schemas["ClickPipeMutateDestination"];
/** `ClickPipeMutatePostgresSource` of the OpenAPI document. */
export type ClickPipeMutatePostgresSource = Schemas["ClickPipeMutatePostgresSource"];
/** `ClickPipePatchKafkaSource` of the OpenAPI document. */
export type ClickPipePatchKafkaSource = Schemas["ClickPipePatchKafkaSource"];
/** `ClickPipePatchKinesisSource` of the OpenAPI document. */
export type ClickPipePatchKinesisSource = Schemas["ClickPipePatchKinesisSource"];
/** `ClickPipePatchObjectStorageSource` of the OpenAPI document. */
export type ClickPipePatchObjectStorageSource = Schemas["ClickPipePatchObjectStorageSource"];
/** `ClickPipePatchPostgresSource` of the OpenAPI document. */
export type ClickPipePatchPostgresSource = Schemas["ClickPipePatchPostgresSource"];
/** `ClickPipePatchRequest` of the OpenAPI document. */
export type ClickPipePatchRequest = Schemas["ClickPipePatchRequest"];
/** `ClickPipePatchSource` of the OpenAPI document. */
export type ClickPipePatchSource = Schemas["ClickPipePatchSource"];
/** `ClickPipePostKafkaSource` of the OpenAPI document. */
export type ClickPipePostKafkaSource = Schemas["ClickPipePostKafkaSource"];
/** `ClickPipePostKinesisSource` of the OpenAPI document. */
export type ClickPipePostKinesisSource = Schemas["ClickPipePostKinesisSource"];
/** `ClickPipePostObjectStorageSource` of the OpenAPI document. */
export type ClickPipePostObjectStorageSource = Schemas["ClickPipePostObjectStorageSource"];
/** `ClickPipePostRequest` of the OpenAPI document. */
export type ClickPipePostRequest = Schemas["ClickPipePostRequest"];
/** `ClickPipePostSource` of the OpenAPI document. */
export type ClickPipePostSource = Schemas["ClickPipePostSource"];
/** `ClickPipePostgresPipeSettings` of the OpenAPI document. */
export type ClickPipePostgresPipeSettings = Schemas["ClickPipePostgresPipeSettings"];
/** `ClickPipePostgresPipeTableMapping` of the OpenAPI document. */
export type ClickPipePostgresPipeTableMapping = Schemas["ClickPipePostgresPipeTableMapping"];
/** `ClickPipeScaling` of the OpenAPI document. */
export type ClickPipeScaling = Schemas["ClickPipeScaling"];
/** `ClickPipeScalingPatchRequest` of the OpenAPI document. */
export type ClickPipeScalingPatchRequest = Schemas["ClickPipeScalingPatchRequest"];
/** `ClickPipeSettings` of the OpenAPI document. */
export type ClickPipeSettings = Schemas["ClickPipeSettings"];
/** `ClickPipeSource` of the OpenAPI document. */
export type ClickPipeSource = Schemas["ClickPipeSource"];
/** `ClickPipeStatePatchRequest` of the OpenAPI document. */
export type ClickPipeStatePatchRequest = Schemas["ClickPipeStatePatchRequest"];
/** `ClickPipesCdcScaling` of the OpenAPI document. */
export type ClickPipesCdcScaling = Schemas["ClickPipesCdcScaling"];
/** `ClickPipesCdcScalingPatchRequest` of the OpenAPI document. */
export type ClickPipesCdcScalingPatchRequest = Schemas["ClickPipesCdcScalingPatchRequest"];
/** `InstancePrivateEndpoint` of the OpenAPI document. */
export type InstancePrivateEndpoint = Schemas["InstancePrivateEndpoint"];
/** `InstanceServiceQueryApiEndpointsPostRequest` of the OpenAPI document. */
export type InstanceServiceQueryApiEndpointsPostRequest = Schemas["InstanceServiceQueryApiEndpointsPostRequest"];
/** `IpAccessListEntry` of the OpenAPI document. */
export type IpAccessListEntry = Schemas["IpAccessListEntry"];
/** `IpAccessListPatch` of the OpenAPI document. */
export type IpAccessListPatch = Schemas["IpAccessListPatch"];
/** `Organization` of the OpenAPI document. */
export type Organization = Schemas["Organization"];
/** `OrganizationPatchRequest` of the OpenAPI document. */
export type OrganizationPatchRequest = Schemas["OrganizationPatchRequest"];
/** `OrganizationPrivateEndpoint` of the OpenAPI document. */
export type OrganizationPrivateEndpoint = Schemas["OrganizationPrivateEndpoint"];
/** `PrivateEndpointConfig` of the OpenAPI document. */
export type PrivateEndpointConfig = Schemas["PrivateEndpointConfig"];
/** `ResourceTagsV1` of the OpenAPI document. */
export type ResourceTagsV1 = Schemas["ResourceTagsV1"];
/** `ScalingSchedule` of the OpenAPI document. */
export type ScalingSchedule = Schemas["ScalingSchedule"];
/** `ScalingScheduleEntry` of the OpenAPI document. */
export type ScalingScheduleEntry = Schemas["ScalingScheduleEntry"];
/** `ScalingScheduleEntryRequest` of the OpenAPI document. */
export type ScalingScheduleEntryRequest = Schemas["ScalingScheduleEntryRequest"];
/** `ScalingSchedulePostRequest` of the OpenAPI document. */
export type ScalingSchedulePostRequest = Schemas["ScalingSchedulePostRequest"];
/** `Service` of the OpenAPI document. */
export type Service = Schemas["Service"];
/** `ServiceClickhouseSetting` of the OpenAPI document. */
export type ServiceClickhouseSetting = Schemas["ServiceClickhouseSetting"];
/** `ServiceClickhouseSettingsList` of the OpenAPI document. */
export type ServiceClickhouseSettingsList = Schemas["ServiceClickhouseSettingsList"];
/** `ServiceClickhouseSettingsPatchRequest` of the OpenAPI document. */
export type ServiceClickhouseSettingsPatchRequest = Schemas["ServiceClickhouseSettingsPatchRequest"];
/** `ServiceClickhouseSettingsPatchResponse` of the OpenAPI document. */
export type ServiceClickhouseSettingsPatchResponse = Schemas["ServiceClickhouseSettingsPatchResponse"];
/** `ServiceEndpoint` of the OpenAPI document. */
export type ServiceEndpoint = Schemas["ServiceEndpoint"];
/** `ServiceEndpointChange` of the OpenAPI document. */
export type ServiceEndpointChange = Schemas["ServiceEndpointChange"];
/** `ServicePasswordPatchRequest` of the OpenAPI document. */
export type ServicePasswordPatchRequest = Schemas["ServicePasswordPatchRequest"];
/** `ServicePasswordPatchResponse` of the OpenAPI document. */
export type ServicePasswordPatchResponse = Schemas["ServicePasswordPatchResponse"];
/** `ServicePatchRequest` of the OpenAPI document. */
export type ServicePatchRequest = Schemas["ServicePatchRequest"];
/** `ServicePostRequest` of the OpenAPI document. */
export type ServicePostRequest = Schemas["ServicePostRequest"];
/** `ServicePostResponse` of the OpenAPI document. */
export type ServicePostResponse = Schemas["ServicePostResponse"];
/** `ServicPrivateEndpointePostRequest` of the OpenAPI document (the document's own spelling). */
export type ServicePrivateEndpointPostRequest = Schemas["ServicPrivateEndpointePostRequest"];
/** `ServiceQueryAPIEndpoint` of the OpenAPI document. */
export type ServiceQueryAPIEndpoint = Schemas["ServiceQueryAPIEndpoint"];
/** `ServiceReplicaScalingPatchRequest` of the OpenAPI document. */
export type ServiceReplicaScalingPatchRequest = Schemas["ServiceReplicaScalingPatchRequest"];
/** `ServiceScalingPatchRequest` of the OpenAPI document. */
export type ServiceScalingPatchRequest = Schemas["ServiceScalingPatchRequest"];
/** `ServiceScalingPatchResponse` of the OpenAPI document. */
export type ServiceScalingPatchResponse = Schemas["ServiceScalingPatchResponse"];
/** `ServiceStatePatchRequest` of the OpenAPI document. */
export type ServiceStatePatchRequest = Schemas["ServiceStatePatchRequest"];
/** `UpgradeWindow` of the OpenAPI document. */
export type UpgradeWindow = Schemas["UpgradeWindow"];
/** `UpgradeWindowPutRequest` of the OpenAPI document. */
export type UpgradeWindowPutRequest = Schemas["UpgradeWindowPutRequest"];

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
