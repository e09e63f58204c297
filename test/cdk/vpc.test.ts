// Opt-in VPC mode (lib/network.ts): the functions in the given private subnets behind an HTTPS-out-only security
// group, a DynamoDB gateway endpoint on the subnets' route tables and a KMS interface endpoint open to the functions
// only; none of it by default, and no endpoint when the bank's VPC already has them.
import { OPERATIONS } from '../../functions/common/operations';
import { asArray, build, describeValue, ofType, onlyOf, roleOf, VPC_CONTEXT, type Built, type Json } from '../support/template';

const SUBNETS = VPC_CONTEXT.subnetIds!.split(',');
const ROUTE_TABLES = VPC_CONTEXT.subnetRouteTableIds!.split(',');

describe('VPC mode (-c vpcId …)', () => {
  let built: Built;
  beforeAll(() => {
    built = build(VPC_CONTEXT);
  });

  const functionsGroup = (): [string, Json] => {
    const groups = ofType(built.api, 'AWS::EC2::SecurityGroup').filter(([, g]) => /^obp-person-api functions:/.test(g.Properties.GroupDescription));
    expect(groups).toHaveLength(1);
    return groups[0]!;
  };

  it('puts every function in the given subnets, behind its security group', () => {
    const [groupId] = functionsGroup();
    const functions = ofType(built.api, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(OPERATIONS.length);
    for (const [id, fn] of functions) {
      expect({ id, subnets: fn.Properties.VpcConfig?.SubnetIds }).toEqual({ id, subnets: SUBNETS });
      expect({ id, groups: fn.Properties.VpcConfig.SecurityGroupIds.map((g: Json) => describeValue(built, g)) }).toEqual({ id, groups: [`api:${groupId}.GroupId`] });
    }
  });

  it('the functions’ security group lets nothing in and only HTTPS out', () => {
    const [, group] = functionsGroup();
    expect(describeValue(built, group.Properties.VpcId)).toBe(VPC_CONTEXT.vpcId);
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(group.Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', Description: expect.stringMatching(/HTTPS/), FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
    expect(ofType(built.api, 'AWS::EC2::SecurityGroupIngress').every(([, r]) => r.Properties.FromPort === 443 && r.Properties.ToPort === 443)).toBe(true);
  });

  it('creates a DynamoDB gateway endpoint on the subnets’ route tables', () => {
    const gateways = ofType(built.api, 'AWS::EC2::VPCEndpoint').filter(([, e]) => (e.Properties.VpcEndpointType ?? 'Gateway') === 'Gateway');
    expect(gateways).toHaveLength(1);
    const [, gateway] = gateways[0]!;
    expect(describeValue(built, gateway.Properties.ServiceName)).toBe('com.amazonaws.api:Ref(AWS::Region).dynamodb');
    expect([...gateway.Properties.RouteTableIds].sort()).toEqual([...ROUTE_TABLES].sort());
    expect(gateway.Properties.VpcId).toBe(VPC_CONTEXT.vpcId);
  });

  it('creates a KMS interface endpoint with private DNS in the subnets, reachable from the functions only', () => {
    const interfaces = ofType(built.api, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    expect(interfaces).toHaveLength(1);
    const [, kms] = interfaces[0]!;
    expect(describeValue(built, kms.Properties.ServiceName)).toBe('com.amazonaws.api:Ref(AWS::Region).kms');
    expect(kms.Properties).toMatchObject({ PrivateDnsEnabled: true, SubnetIds: SUBNETS });
    const [endpointGroup] = asArray<Json>(kms.Properties.SecurityGroupIds).map((g) => /^api:(.+)\.GroupId$/.exec(describeValue(built, g))?.[1]);
    const [functionsGroupId] = functionsGroup();
    const ingress = ofType(built.api, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    expect(ingress).toEqual([
      expect.objectContaining({ FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
    ]);
    expect(describeValue(built, ingress[0].GroupId)).toBe(`api:${endpointGroup}.GroupId`);
    expect(describeValue(built, ingress[0].SourceSecurityGroupId)).toBe(`api:${functionsGroupId}.GroupId`);
    expect(built.api.Resources[endpointGroup as string].Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('gives each function role the AWS managed policy for its network interfaces', () => {
    for (const [id] of ofType(built.api, 'AWS::Lambda::Function')) {
      const [, role] = roleOf(built, id);
      expect({ id, managed: asArray<Json>(role.Properties.ManagedPolicyArns).map((a) => describeValue(built, a)) }).toEqual({
        id,
        managed: ['arn:api:Ref(AWS::Partition):iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
      });
    }
  });

  it('creates no endpoint with -c createVpcEndpoints=false (the VPC already has them), and one route table may serve every subnet', () => {
    const own = build({ ...VPC_CONTEXT, createVpcEndpoints: 'false', subnetRouteTableIds: 'rtb-0a1b2c3d4e5f60718' });
    expect(ofType(own.api, 'AWS::EC2::VPCEndpoint')).toEqual([]);
    expect(ofType(own.api, 'AWS::EC2::SecurityGroup')).toHaveLength(1);
    onlyOf(own.api, 'AWS::EC2::SecurityGroup');
    for (const [, fn] of ofType(own.api, 'AWS::Lambda::Function')) expect(fn.Properties.VpcConfig.SubnetIds).toEqual(SUBNETS);
  });
});

describe('outside VPC mode', () => {
  it('no function is in a VPC and the stack creates no network resource', () => {
    const built = build();
    for (const [id, fn] of ofType(built.api, 'AWS::Lambda::Function')) expect({ id, vpc: fn.Properties.VpcConfig }).toEqual({ id, vpc: undefined });
    expect(Object.values<Json>(built.api.Resources).filter((r) => String(r.Type).startsWith('AWS::EC2::'))).toEqual([]);
  });

  it.each([
    ['vpcId without subnets', { vpcId: VPC_CONTEXT.vpcId }, /subnetIds/],
    ['subnets without vpcId', { subnetIds: VPC_CONTEXT.subnetIds! }, /vpcId/],
    ['a malformed vpcId', { ...VPC_CONTEXT, vpcId: 'my-vpc' }, /vpcId/],
    ['a malformed subnet id', { ...VPC_CONTEXT, subnetIds: 'subnet-0a1b2c3d4e5f60718,private-b' }, /private-b/],
    ['a zone per subnet missing', { ...VPC_CONTEXT, subnetAvailabilityZones: 'eu-west-1a' }, /zones/],
    ['route tables neither one nor one per subnet', { ...VPC_CONTEXT, subnetRouteTableIds: 'rtb-0a1b2c3d,rtb-0b1c2d3e,rtb-0c1d2e3f' }, /route tables/],
    ['a non-boolean createVpcEndpoints', { ...VPC_CONTEXT, createVpcEndpoints: 'no' }, /createVpcEndpoints/],
  ])('refuses %s', (_label, context, message) => {
    expect(() => build(context as Record<string, string>)).toThrow(message);
  });
});
