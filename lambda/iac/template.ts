// IaC entry (pure): checks one CloudFormation template given as a value (no file, no line numbers), for callers
// that hold the template in memory, such as the CDK Aspect in lib/checks.
import { checkModel, type IacCheckOptions, type IacReport } from './check';
import { readCloudFormation } from './cloudformation';
import type { ParsedSource } from './source';

export function checkTemplateValue(
  name: string,
  template: unknown,
  options: IacCheckOptions = {},
): IacReport {
  const source: ParsedSource = {
    file: name,
    value: template,
    locate: () => ({ file: name, line: 1, column: 1 }),
  };
  return checkModel(readCloudFormation(source), [name], options);
}
