// CLI support: the organization snapshot folder (`snapshot --org --out DIR` writes it, `audit --snapshot DIR` reads
// it): one snapshot file per account, `<accountId>.json`, and `organization.json`, which lists the accounts and
// the ones that could not be read, so the offline report has the same gaps as the live one.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../domain/errors';
import type { OrgAccount, UnreadableAccount } from '../domain/org-report';
import { TOOL_NAME, TOOL_VERSION } from '../report/json';
import { unreadableJson } from '../report/org-json';
import { type CollectedSnapshot, withReadableDocuments } from '../usecases/collect-snapshot';
import { unreadable } from '../usecases/org-audit';
import { readJsonFile } from './io';

export const MANIFEST_FILE = 'organization.json';
export const MANIFEST_KIND = 'eks-ecr-guard/organization-snapshot';
const ACCOUNT_FILE = /^(\d{12})\.json$/;

const AccountSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  accountName: z.string().nullable(),
  arn: z.string().nullable(),
});
const ManifestSchema = z.object({
  kind: z.literal(MANIFEST_KIND),
  formatVersion: z.literal(1),
  capturedAt: z.string(),
  roleName: z.string().nullable(),
  accounts: z.array(AccountSchema),
  unreadable: z.array(
    AccountSchema.omit({ arn: true }).extend({
      stage: z.enum(['assume-role', 'read', 'snapshot-file']),
      code: z.string(),
      message: z.string(),
    }),
  ),
});

/** The folder, created if needed; refuses a path that is a file. */
export function prepareFolder(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new InvalidInputError(`--out ${dir} is a file; --org writes a folder`);
  }
  mkdirSync(dir, { recursive: true });
}

/** Writes `<accountId>.json` in the format `snapshot` writes for one account. */
export function writeAccountSnapshot(dir: string, account: OrgAccount, snapshot: CollectedSnapshot): void {
  const text = `${JSON.stringify(withReadableDocuments(snapshot), null, 2)}\n`;
  writeText(join(dir, `${account.id}.json`), text);
}

function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unwritable';
    throw new InvalidInputError(`cannot write ${path} (${code})`);
  }
}

export function writeManifest(
  dir: string,
  content: {
    readonly capturedAt: string;
    readonly roleName: string;
    readonly written: readonly OrgAccount[];
    readonly unreadable: readonly UnreadableAccount[];
  },
): void {
  const manifest: z.infer<typeof ManifestSchema> & { tool: object } = {
    kind: MANIFEST_KIND,
    formatVersion: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    capturedAt: content.capturedAt,
    roleName: content.roleName,
    accounts: [...content.written]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((account) => ({ accountId: account.id, accountName: account.name, arn: account.arn })),
    unreadable: content.unreadable.map(unreadableJson),
  };
  writeText(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** What a folder holds: the accounts to audit from their files, and the accounts known to be unreadable. */
export interface OrgFolder {
  readonly roleName: string | null;
  readonly accounts: readonly { readonly account: OrgAccount; readonly file: string }[];
  readonly unreadable: readonly UnreadableAccount[];
}

/**
 * Reads the folder's manifest when there is one (a listed account without its file becomes unreadable, stage
 * `snapshot-file`); without it, every `<12 digits>.json` file is an account.
 */
export function readOrgFolder(dir: string): OrgFolder {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    const accounts = readdirSync(dir)
      .flatMap((name) => {
        const id = ACCOUNT_FILE.exec(name)?.[1];
        return id === undefined
          ? []
          : [{ account: { id, arn: null, name: null, email: null }, file: join(dir, name) }];
      })
      .sort((a, b) => (a.account.id < b.account.id ? -1 : 1));
    if (accounts.length === 0) {
      throw new InvalidInputError(`folder ${dir} holds no ${MANIFEST_FILE} and no <accountId>.json snapshot`);
    }
    return { roleName: null, accounts, unreadable: [] };
  }
  const parsed = ManifestSchema.safeParse(readJsonFile(manifestPath, 'organization manifest'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new InvalidInputError(`invalid organization manifest ${manifestPath}${where}`);
  }
  const manifest = parsed.data;
  const known: UnreadableAccount[] = manifest.unreadable.map((item) => ({
    account: { id: item.accountId, arn: null, name: item.accountName, email: null },
    stage: item.stage,
    code: item.code,
    message: item.message,
  }));
  const accounts: { account: OrgAccount; file: string }[] = [];
  for (const item of manifest.accounts) {
    const account = { id: item.accountId, arn: item.arn, name: item.accountName, email: null };
    const file = join(dir, `${item.accountId}.json`);
    if (existsSync(file)) accounts.push({ account, file });
    else known.push(unreadable(account, 'snapshot-file', new InvalidInputError(`${file} is missing`)));
  }
  return { roleName: manifest.roleName, accounts, unreadable: known };
}
