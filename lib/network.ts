// Opt-in VPC mode (-c vpcId=…): the functions get their network interfaces in the bank's private subnets behind a
// security group that only lets HTTPS out. The VPC and subnets are described by context instead of looked up, so
// synth stays offline and reviewable. DynamoDB is reached through a gateway endpoint on the subnets' route tables,
// KMS through an interface endpoint; the issuer's JWKS (HTTPS) needs the bank's egress (NAT or proxy).
import type { IVpc, ISubnet } from 'aws-cdk-lib/aws-ec2';
import {
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  Subnet,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { VpcConfig } from './deploy-config';

export class FunctionNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: ISubnet[];
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, config: VpcConfig) {
    super(scope, id);
    this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: config.vpcId,
      availabilityZones: [...new Set(config.subnets.map((s) => s.availabilityZone))],
    });
    this.subnets = config.subnets.map((s) => Subnet.fromSubnetAttributes(this, s.subnetId, s));
    this.securityGroup = new SecurityGroup(this, 'FunctionsSecurityGroup', {
      vpc: this.vpc,
      description: 'obp-person-api functions: no inbound, HTTPS outbound only',
      allowAllOutbound: false,
    });
    // Any destination: DynamoDB's public ranges (through the gateway endpoint), the KMS endpoint and the JWKS host,
    // wherever the bank's routing sends them. Nothing else leaves, and nothing comes in.
    this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to DynamoDB, KMS and the token issuer JWKS');

    if (config.createEndpoints) {
      this.vpc.addGatewayEndpoint('DynamoDbEndpoint', {
        service: GatewayVpcEndpointAwsService.DYNAMODB,
        subnets: [{ subnets: this.subnets }],
      });
      const endpointSecurityGroup = new SecurityGroup(this, 'KmsEndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'obp-person-api KMS endpoint: HTTPS from the functions only',
        allowAllOutbound: false,
      });
      endpointSecurityGroup.addIngressRule(this.securityGroup, Port.tcp(443), 'HTTPS from the obp-person-api functions');
      new InterfaceVpcEndpoint(this, 'KmsEndpoint', {
        vpc: this.vpc,
        service: InterfaceVpcEndpointAwsService.KMS,
        subnets: { subnets: this.subnets },
        privateDnsEnabled: true,
        open: false,
        securityGroups: [endpointSecurityGroup],
      });
    }
  }
}
