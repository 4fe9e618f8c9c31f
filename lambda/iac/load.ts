// IaC input (file I/O): reads the paths given to `eks-ecr-guard iac` (templates, plans, or a cdk.out folder) and
// turns each file into the IaC model with the CloudFormation or the Terraform reader.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../domain/errors';
import { isCloudFormationTemplate, readCloudFormation } from './cloudformation';
import { type IacModel, mergeModels } from './model';
import { type ParsedSource, parseJsonSource, parseYamlSource } from './source';
import { isTerraformPlan, readTerraformPlan } from './terraform';

/** The `code` of a file-system error (duck-typed: under test runners the error may come from another realm). */
function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
}

export interface LoadedFiles {
  readonly files: readonly string[];
  readonly model: IacModel;
}

/** A folder is read as a cloud assembly (`cdk.out`): its `*.template.json` files, nested assemblies included. */
function templatesIn(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...templatesIn(path));
    else if (entry.name.endsWith('.template.json')) found.push(path);
  }
  return found;
}

function expand(path: string): string[] {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch (error) {
    throw new InvalidInputError(`cannot read ${path} (${errorCode(error)})`);
  }
  if (!isFolder) return [path];
  const templates = templatesIn(path);
  if (templates.length === 0)
    throw new InvalidInputError(`${path} holds no *.template.json file (is it a cdk.out folder?)`);
  return templates;
}

/** JSON for `.json` and for text starting with `{`; YAML otherwise. */
export function parseSource(file: string, text: string): ParsedSource {
  const json = file.endsWith('.json') || text.trimStart().startsWith('{');
  return json ? parseJsonSource(file, text) : parseYamlSource(file, text);
}

/** The model of one parsed file; a file that is neither a template nor a plan is an InvalidInputError. */
export function readSource(source: ParsedSource): IacModel {
  if (isTerraformPlan(source.value)) return readTerraformPlan(source);
  if (isCloudFormationTemplate(source.value)) return readCloudFormation(source);
  throw new InvalidInputError(
    `${source.file} is neither a CloudFormation template nor a Terraform plan JSON`,
  );
}

export function loadIacFiles(paths: readonly string[]): LoadedFiles {
  const files = paths.flatMap(expand);
  const models = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InvalidInputError(`cannot read ${file} (${errorCode(error)})`);
    }
    return readSource(parseSource(file, text));
  });
  return { files, model: mergeModels(models) };
}
