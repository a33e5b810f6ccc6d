// A ClickHouse Cloud service on AWS reachable over AWS PrivateLink.
//
// Step 1 (no `vpcEndpointId` set): deploy the service and read its endpoint service name and
// private DNS name: the two values an AWS VPC interface endpoint and a Route 53 private zone need.
// Step 2: create the VPC endpoint in AWS (see README.md), then
// `pulumi config set vpcEndpointId vpce-...` and `pulumi up` again to attach it to the service.
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";

const config = new pulumi.Config();
const region = config.get("region") ?? "us-east-1";

const service = new clickhouse.Service("private", {
    name: config.get("serviceName") ?? "private-analytics",
    provider: "aws",
    region,
    tier: "production",
    // No public address is allowed in: traffic comes through the private endpoint only.
    ipAccessList: [],
    minReplicaMemoryGb: 8,
    maxReplicaMemoryGb: 16,
    idleScaling: true,
    idleTimeoutMinutes: 15,
    // privateEndpointIds stays unset: the PrivateEndpoint resource below owns the attachment.
});

// What the VPC endpoint needs, known as soon as the service exists (before any endpoint does).
const endpointConfig = clickhouse.getPrivateEndpointConfigOutput(service.id);

/** AWS "Service name" of the VPC interface endpoint (aws.ec2.VpcEndpoint `serviceName`). */
export const endpointServiceId = endpointConfig.apply((c) => c.endpointServiceId);
/** Host name to resolve to the VPC endpoint inside the VPC (a Route 53 private zone record). */
export const privateDnsHostname = endpointConfig.apply((c) => c.privateDnsHostname);
export const serviceRegion = region;
export const serviceId = service.id;
/** The generated default-user password (secret): `pulumi stack output password --show-secrets`. */
export const password = service.password;

// Step 2: the VPC endpoint created in AWS (its id, `vpce-...`), attached to the service.
const vpcEndpointId = config.get("vpcEndpointId");
const attachment = vpcEndpointId
    ? new clickhouse.PrivateEndpoint("vpc-endpoint", {
          serviceId: service.id,
          endpointId: vpcEndpointId,
          description: config.get("vpcEndpointDescription") ?? `VPC endpoint ${vpcEndpointId}`,
      })
    : undefined;

export const attachedEndpoint = attachment
    ? { id: attachment.endpointId, cloudProvider: attachment.cloudProvider, region: attachment.region }
    : "none yet: create the VPC endpoint, then `pulumi config set vpcEndpointId vpce-...`";
