// The compliance findings this design accepts, each acknowledged on the resource it concerns with the reason it
// holds there.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface FunctionResources {
  fn: IConstruct;
  role: IConstruct;
  policy: IConstruct;
}

export interface FunctionSettings {
  network?: unknown;
}

export const acknowledgeFunctionFindings = ({ role, policy }: FunctionResources, settings: FunctionSettings): void => {
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) support no resource-level permissions; every other statement names its resource.',
  });
  if (settings.network !== undefined) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      reason: "The network-interface permissions Lambda needs in a VPC, as AWS maintains them; ec2:CreateNetworkInterface and the Describe calls it needs support no narrower resource.",
    });
  }
};
