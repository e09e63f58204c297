// The compliance findings this design accepts, each acknowledged on the resource it concerns with the reason it
// holds there.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface FunctionResources {
  fn: IConstruct;
  role: IConstruct;
  policy: IConstruct;
}

export const acknowledgeFunctionFindings = ({ policy }: FunctionResources): void => {
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) support no resource-level permissions; every other statement names its resource.',
  });
};
