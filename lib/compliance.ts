// The policy checks every synth runs: cdk-nag's AwsSolutions, NIST 800-53 rev 5, PCI DSS 3.2.1 and HIPAA Security
// packs, and cfn-guard with the AWS Control Tower rules. Any unacknowledged finding stops the synth; the accepted
// ones are acknowledged on their resources (lib/findings.ts and next to the resources) with their reasons.
import { Validations, type App, type IPolicyValidationPlugin } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, type NagPack } from 'cdk-nag';

/** The cdk-nag packs, each bound to the app (tests call validateScope on them). */
export const nagPacks = (app: App): NagPack[] => [
  new AwsSolutionsChecks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
  new HIPAASecurityChecks(app),
];

/** cfn-guard with the bundled Control Tower rules, run on the synthesized templates (offline). */
export const cfnGuard = (): CfnGuardValidator => new CfnGuardValidator({ controlTowerRulesEnabled: true });

export const registerCompliancePlugins = (app: App): void => {
  const plugins: IPolicyValidationPlugin[] = [...nagPacks(app), cfnGuard() as unknown as IPolicyValidationPlugin];
  Validations.of(app).addPlugins(...plugins);
};
