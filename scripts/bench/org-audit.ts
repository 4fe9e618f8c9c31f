// Dev script (benchmark measurement): the organization audit (`audit --org`) over a simulated organization of up to
// 200 accounts, each the synthetic account of 500 roles answered by the in-memory AWS with 50 ms per call; shows that
// the time grows with accounts / concurrency (two sizes, two concurrencies) and the speed-up over one at a time.
import { AccountClient } from '@aws-sdk/client-account';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '../../lambda/composition';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { OrganizationsGateway } from '../../lambda/gateways/organizations-gateway';
import { StsGateway } from '../../lambda/gateways/sts-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { liveCollectionSources } from '../../lambda/usecases/collect-snapshot';
import { auditOrganization, type OrgSources } from '../../lambda/usecases/org-audit';
import { syntheticSnapshot } from '../synthetic-account';
import { type Measurement, ms, ratioOf, table, text } from './measurement';

export const LATENCY_MS = 50;
const ROLES = 500;
const NODEGROUPS = 25;
/** The fake's page size: the Account API's largest (IAM would give 100 by default: fewer pages than here). */
const PAGE_SIZE = 50;
/** Organizations ListAccounts returns at most 20 accounts a page. */
const ACCOUNTS_PER_PAGE = 20;
const TODAY = '2026-11-22';
/** Accounts audited one after another for the sequential baseline (its per-account time is extrapolated). */
const SEQUENTIAL_ACCOUNTS = 6;
/**
 * Two sizes at one concurrency (time ∝ accounts), then a wider concurrency on the larger size. Concurrency 4 keeps
 * the run latency-bound even on a busy 2-core machine; 16 shows where the CPU of one process becomes the limit.
 */
const CONCURRENCY = 4;
const WIDE_CONCURRENCY = 16;
const RUNS = [
  { accounts: 100, concurrency: CONCURRENCY },
  { accounts: 200, concurrency: CONCURRENCY },
  { accounts: 200, concurrency: WIDE_CONCURRENCY },
] as const;

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface OrgRunFigures {
  readonly accounts: number;
  readonly concurrency: number;
  readonly wallMs: number;
  /** Process CPU time (user + system) during the run: the tool, the SDK and the simulated AWS together. */
  readonly cpuMs: number;
  readonly callsPerAccount: number;
  readonly violations: number;
  readonly unreadable: number;
}

/**
 * One simulated organization: `accounts` ACTIVE accounts; Organizations and STS answered by aws-sdk-client-mock,
 * every member account by its own SDK clients wired to one shared in-memory account (read-only), each call after
 * LATENCY_MS.
 */
function simulatedOrganization(
  accounts: number,
  member: FakeAws,
): { sources: OrgSources; calls: () => number } {
  const ids = Array.from({ length: accounts }, (_, i) => String(300_000_000_000 + i));
  let orgCalls = 0;
  const organizations = new OrganizationsClient({ region: 'us-east-1' });
  const organizationsMock = mockClient(organizations);
  for (let page = 0; page * ACCOUNTS_PER_PAGE < ids.length; page += 1) {
    const slice = ids.slice(page * ACCOUNTS_PER_PAGE, (page + 1) * ACCOUNTS_PER_PAGE);
    const next = (page + 1) * ACCOUNTS_PER_PAGE < ids.length ? `page-${page + 1}` : undefined;
    organizationsMock
      .on(ListAccountsCommand, { NextToken: page === 0 ? undefined : `page-${page}` })
      .callsFake(async () => {
        orgCalls += 1;
        await sleep(LATENCY_MS);
        return {
          Accounts: slice.map((id) => ({
            Id: id,
            Arn: `arn:aws:organizations::999988887777:account/o-bench/${id}`,
            Name: `bench-${id}`,
            State: 'ACTIVE',
          })),
          NextToken: next,
        };
      });
  }
  const sts = new STSClient({ region: 'us-east-1' });
  mockClient(sts)
    .on(AssumeRoleCommand)
    .callsFake(async () => {
      orgCalls += 1;
      await sleep(LATENCY_MS);
      return {
        Credentials: {
          AccessKeyId: 'ASIABENCH',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(),
        },
      };
    });
  const memberClients = (): AwsClients => {
    const eks = new Map<string, EKSClient>();
    return {
      iam: member.connect(new IAMClient({ region: 'us-east-1' })),
      eksFor: (region) => {
        const client = eks.get(region) ?? member.connect(new EKSClient({ region }));
        eks.set(region, client);
        return client;
      },
      sns: member.connect(new SNSClient({ region: 'us-east-1' })),
      account: member.connect(new AccountClient({ region: 'us-east-1' })),
      cloudtrailFor: (region) => member.cloudtrailClientFor(region),
    };
  };
  return {
    sources: {
      organization: new OrganizationsGateway(organizations),
      sts: new StsGateway(sts),
      accountSources: () => liveCollectionSources(memberClients(), []),
    },
    calls: () => orgCalls + member.calls.length,
  };
}

async function timedOrgAudit(accounts: number, concurrency: number, member: FakeAws): Promise<OrgRunFigures> {
  member.resetCalls();
  const organization = simulatedOrganization(accounts, member);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await auditOrganization(organization.sources, {
    roleName: 'EksEcrGuardAudit',
    concurrency,
    eksConcurrency: 4,
    today: TODAY,
    settingsFor: (partition) => evaluationSettings(parseConfig({}), partition, () => TODAY),
  });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    accounts,
    concurrency,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    callsPerAccount: organization.calls() / accounts,
    violations: report.totals.summary.violations.total,
    unreadable: report.totals.accountsUnreadable,
  };
}

export const orgAudit: Measurement = {
  name: 'organization audit',
  run: async ({ log }) => {
    const { snapshot } = syntheticSnapshot({ roles: ROLES, nodegroups: NODEGROUPS, documents: 'encoded' });
    const member = FakeAws.fromSnapshot(snapshot, { latencyMs: LATENCY_MS, pageSize: PAGE_SIZE });
    // Warm-up (JIT, first-use costs), untimed.
    await timedOrgAudit(4, 4, member);
    const sequential = await timedOrgAudit(SEQUENTIAL_ACCOUNTS, 1, member);
    const perAccountMs = sequential.wallMs / SEQUENTIAL_ACCOUNTS;
    log(
      `org audit, one account at a time: ${SEQUENTIAL_ACCOUNTS} accounts in ${ms(sequential.wallMs)} ` +
        `(${ms(perAccountMs)} an account, ${sequential.callsPerAccount.toFixed(0)} calls an account)`,
    );
    const runs: OrgRunFigures[] = [];
    for (const { accounts, concurrency } of RUNS) {
      const figures = await timedOrgAudit(accounts, concurrency, member);
      runs.push(figures);
      log(
        `org audit, ${accounts} accounts, concurrency ${concurrency}: ${ms(figures.wallMs)} ` +
          `(CPU ${ms(figures.cpuMs)}, ${figures.callsPerAccount.toFixed(0)} calls an account, speed-up ` +
          `${ratioOf(perAccountMs * accounts, figures.wallMs)} over one at a time)`,
      );
    }
    const [small, large, wide] = runs;
    const growth = small && large ? large.wallMs / small.wallMs : Number.NaN;
    const widening = large && wide ? large.wallMs / wide.wallMs : Number.NaN;
    const speedUp = wide ? (perAccountMs * wide.accounts) / wide.wallMs : Number.NaN;
    return {
      targets: [
        {
          name: `org audit: 200 vs 100 accounts at concurrency ${CONCURRENCY} < 2.5x the time`,
          pass: growth < 2.5,
          detail: `${growth.toFixed(2)}x (time grows with the accounts)`,
        },
        {
          name: `org audit: 200 accounts, concurrency ${WIDE_CONCURRENCY} vs ${CONCURRENCY} ≥ 1.3x faster`,
          pass: widening >= 1.3,
          detail: `${widening.toFixed(2)}x (time shrinks with the concurrency until the CPU is the limit)`,
        },
        {
          name: `org audit: 200 accounts at concurrency ${WIDE_CONCURRENCY} ≥ 2.5x faster than one at a time`,
          pass: speedUp >= 2.5,
          detail: `${speedUp.toFixed(1)}x (one at a time extrapolated from ${SEQUENTIAL_ACCOUNTS} accounts)`,
        },
      ],
      notes: [
        'Org audit: CPU is the whole process (tool, SDK and the simulated AWS, about 90 ms an account here); once ' +
          'concurrency × CPU per account nears the per-account latency chain (about 1.1 s), more concurrency stops helping.',
      ],
      sections: [
        {
          heading: 'Organization audit',
          level: 2,
          blocks: [
            text(
              `\`auditOrganization\` (what \`audit --org\` runs) over a simulated organization: Organizations ListAccounts ` +
                `(${ACCOUNTS_PER_PAGE} accounts a page) and STS AssumeRole answered by aws-sdk-client-mock, each member ` +
                `account the synthetic account of ${ROLES} roles and ${NODEGROUPS} node groups over 17 regions, answered by`,
              `the in-memory AWS through the account's own SDK clients; every call (Organizations, STS, IAM, EKS, Account) ` +
                `waits ${LATENCY_MS} ms. Page size ${PAGE_SIZE}. Each account: AssumeRole, the GetAccountAuthorizationDetails ` +
                'pages (sequential), the EKS inventory (4 regions at a time), then the audit in memory.',
              `One at a time: ${SEQUENTIAL_ACCOUNTS} accounts at concurrency 1, ${ms(perAccountMs)} an account; the speed-up ` +
                'compares with that time times the number of accounts. CPU is the whole process (tool, SDK and the ' +
                'simulated AWS): when it nears the wall time the run is CPU-bound and more concurrency stops helping.',
            ),
            table(
              [
                ['accounts', 'right'],
                ['concurrency', 'right'],
                ['total', 'right'],
                ['CPU', 'right'],
                ['calls an account', 'right'],
                ['one at a time (extrapolated)', 'right'],
                ['speed-up', 'right'],
              ],
              [sequential, ...runs].map((run) => [
                String(run.accounts),
                String(run.concurrency),
                ms(run.wallMs),
                ms(run.cpuMs),
                run.callsPerAccount.toFixed(1),
                ms(perAccountMs * run.accounts),
                ratioOf(perAccountMs * run.accounts, run.wallMs),
              ]),
            ),
          ],
        },
      ],
    };
  },
};
