// Contract test between the CDK app and the runtime: synthesizes the stacks, feeds each function's environment from
// the template to the runtime's reader, and checks every alarm, dashboard metric and IAM condition against the
// names the runtime emits and uses. A name changed on one side only fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { evaluationSettings } from '../../lambda/composition';
import { settingsFromEnv } from '../../lambda/config';
import type { LambdaSettings } from '../../lambda/contract';
import {
  EMITTED_METRIC_NAMES,
  ENV,
  EXEMPT_TAG_KEY,
  METRICS_NAMESPACE,
  RUNTIME_ENVIRONMENT,
  SERVICE_NAME,
  WATCHED_EVENTS,
} from '../../lambda/contract';
import { awsManagedPolicyArn } from '../../lambda/domain/arn';
import { findExemption } from '../../lambda/domain/exemptions';
import { parseRoleChangeEvent, SUPPORTED_EVENT_NAMES } from '../../lambda/events/role-change';
import { loadGuardConfig } from '../../lib/config';
import {
  asList,
  identityStatements,
  isRecord,
  resolveIntrinsics,
  resources,
  TEST_INTRINSICS,
} from '../cdk/support/cfn';
import { synthGuardApp } from '../cdk/support/synth-app';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

/** Plausible deploy-time values for the template's references. */
const INTRINSICS = {
  ...TEST_INTRINSICS,
  account: ACCOUNT,
  region: REGION,
  attribute: (logicalId: string) => {
    if (logicalId.includes('Topic')) return `arn:aws:sns:${REGION}:${ACCOUNT}:${logicalId}`;
    if (logicalId.includes('Table')) return logicalId;
    return `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
  },
};

interface DeployedFunction {
  readonly description: string;
  readonly variables: Record<string, string>;
  readonly roleArn: string;
}

function deployedFunctions(template: Template): DeployedFunction[] {
  return resources(template, 'AWS::Lambda::Function').map(([id, fn]) => {
    const props = fn.Properties ?? {};
    const environment = isRecord(props.Environment) ? props.Environment.Variables : undefined;
    const variables = resolveIntrinsics(environment ?? {}, INTRINSICS);
    if (!isRecord(variables)) throw new Error(`${id}: no environment`);
    return {
      description: String(props.Description),
      variables: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])),
      roleArn: String(resolveIntrinsics(props.Role, INTRINSICS)),
    };
  });
}

const READ_BY_RUNTIME: ReadonlySet<string> = new Set([
  ...Object.values(ENV),
  ...Object.keys(RUNTIME_ENVIRONMENT),
]);

const APPS = {
  'alert mode, defaults': {},
  'remediate mode with every runtime setting': {
    mode: 'remediate',
    replacementPolicy: 'AmazonEC2ContainerRegistryPullOnly',
    exemptRoles: 'legacy-node,arn:aws:iam::111122223333:role/team/ci',
    extraPullActions: 'ecr:BatchImportUpstreamImage',
    eksRegions: 'eu-west-1,us-east-2',
    nodeRoleCacheTtlSeconds: 60,
    notifyExempt: true,
    securityHub: true,
    chatTopicArn: 'arn:aws:sns:eu-west-1:111122223333:chat',
    digestWhenClean: 'daily',
  },
  'clean digest off': { digestWhenClean: false },
} as const;

describe.each(Object.entries(APPS))('the functions read what the stack writes (%s)', (_name, context) => {
  const { home } = synthGuardApp({ context, env: { CDK_DEFAULT_REGION: REGION } });
  const functions = deployedFunctions(home);
  const values: Readonly<Record<string, unknown>> = context;
  const config = loadGuardConfig((key) => values[key]);

  it('deploys the two guard functions', () => {
    expect(functions).toHaveLength(2);
  });

  it.each(functions.map((fn) => [fn.description, fn]))(
    '%s: every variable is one the runtime reads',
    (_d, fn) => {
      const unknown = Object.keys(fn.variables).filter((name) => !READ_BY_RUNTIME.has(name));
      expect(unknown).toEqual([]);
      expect(fn.variables).toMatchObject(RUNTIME_ENVIRONMENT);
      expect(fn.variables.POWERTOOLS_SERVICE_NAME).toBe(SERVICE_NAME);
      expect(fn.variables.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
    },
  );

  it.each(functions.map((fn) => [fn.description, fn]))(
    '%s: the reader accepts it and gets the settings back',
    (_d, fn) => {
      const settings: LambdaSettings = settingsFromEnv(fn.variables);
      expect(settings.config).toMatchObject({
        mode: config.mode,
        replacementPolicy: config.replacementPolicy,
        exemptRoles: config.exemptRoles,
        extraPullActions: config.extraPullActions,
        eksRegions: config.eksRegions,
        nodeRoleCacheTtlSeconds: config.nodeRoleCacheTtlSeconds,
        notifyExempt: config.notifyExempt,
        digestWhenClean: config.digestWhenClean,
        securityHub: config.securityHub,
      });
      expect(settings.partition).toBe('aws');
      expect(settings.accountId).toBe(ACCOUNT);
      expect(settings.alertTopicArn).toMatch(/^arn:aws:sns:/);
      expect(settings.chatTopicArn).toBe(config.chatTopicArn ?? null);
      // The guard recognises its own changes by the role the function runs as.
      expect(settings.guardRoleArn).toBe(fn.roleArn);
    },
  );

  it('gives only the event function the idempotency table', () => {
    const withTable = functions.filter((fn) => settingsFromEnv(fn.variables).idempotencyTableName !== null);
    expect(withTable.map((fn) => fn.description)).toEqual([expect.stringMatching(/evaluates an IAM change/)]);
  });
});

/** Every metric a CloudWatch alarm or the dashboard reads from the guard's namespace. */
function guardMetricsWatched(template: Template): {
  alarms: string[];
  dashboard: string[];
  dimensions: unknown[];
} {
  const alarms: string[] = [];
  const dimensions: unknown[] = [];
  for (const [, alarm] of resources(template, 'AWS::CloudWatch::Alarm')) {
    const props = alarm.Properties ?? {};
    if (props.Namespace !== METRICS_NAMESPACE) {
      // Only AWS service metrics may live elsewhere.
      expect(String(props.Namespace)).toMatch(/^AWS\//);
      continue;
    }
    alarms.push(String(props.MetricName));
    dimensions.push(props.Dimensions);
  }
  const dashboard: string[] = [];
  for (const [, board] of resources(template, 'AWS::CloudWatch::Dashboard')) {
    const body: unknown = JSON.parse(String(resolveIntrinsics(board.Properties?.DashboardBody, INTRINSICS)));
    const widgets = isRecord(body) ? asList(body.widgets) : [];
    for (const widget of widgets.filter(isRecord)) {
      const metrics = isRecord(widget.properties) ? asList(widget.properties.metrics) : [];
      for (const line of metrics) {
        const [namespace, name] = asList(line);
        if (namespace === METRICS_NAMESPACE) dashboard.push(String(name));
      }
    }
  }
  return { alarms, dashboard, dimensions };
}

describe('every metric the alarms and the dashboard watch is one the runtime emits', () => {
  const { home } = synthGuardApp();
  const watched = guardMetricsWatched(home);
  const emitted: ReadonlySet<string> = new Set(EMITTED_METRIC_NAMES);

  it('alarms on at least one guard metric, each emitted, with the service dimension', () => {
    expect(watched.alarms.length).toBeGreaterThan(0);
    expect(watched.alarms.filter((name) => !emitted.has(name))).toEqual([]);
    for (const dimension of watched.dimensions) {
      expect(dimension).toEqual([{ Name: 'service', Value: SERVICE_NAME }]);
    }
  });

  it('charts only emitted metrics', () => {
    expect(watched.dashboard.length).toBeGreaterThan(0);
    expect(watched.dashboard.filter((name) => !emitted.has(name))).toEqual([]);
  });
});

describe('the IAM conditions allow exactly what the runtime would change', () => {
  const { home } = synthGuardApp({
    context: { mode: 'remediate', replacementPolicy: 'AmazonEC2ContainerRegistryPullOnly' },
    env: { CDK_DEFAULT_REGION: REGION },
  });
  const statements = identityStatements(home).map((statement) => ({
    ...statement,
    condition: resolveIntrinsics(statement.condition, INTRINSICS),
  }));
  const [eventFunction] = deployedFunctions(home).filter((fn) => /evaluates/.test(fn.description));
  /** What the runtime reads from that environment (inside each test: a refusal fails the test, not the file). */
  const runtimeOf = () => {
    const settings = settingsFromEnv(eventFunction?.variables ?? {});
    const arns = (names: readonly string[]) =>
      names.map((name) => awsManagedPolicyArn(settings.partition, name)).sort();
    return { settings, evaluation: evaluationSettings(settings.config, settings.partition), arns };
  };
  const policyArnsOf = (sid: string): string[] => {
    const found = statements.filter((statement) => statement.sid === sid);
    expect(found.length).toBeGreaterThan(0);
    return [
      ...new Set(
        found.flatMap((statement) => {
          const arnEquals = isRecord(statement.condition) ? statement.condition.ArnEquals : undefined;
          return asList(isRecord(arnEquals) ? arnEquals['iam:PolicyARN'] : undefined).map(String);
        }),
      ),
    ].sort();
  };

  it('may detach exactly the write policies the plan swaps', () => {
    const { evaluation, arns } = runtimeOf();
    expect(policyArnsOf('DetachEcrWritePolicies')).toEqual(arns(evaluation.swappableManagedPolicies));
  });

  it('may attach exactly the replacement the runtime reads from its environment', () => {
    const { settings, evaluation: runtime, arns } = runtimeOf();
    expect(runtime.pullPolicies).toContain(settings.config.replacementPolicy);
    expect(policyArnsOf('AttachReplacementPullPolicy')).toEqual(arns([settings.config.replacementPolicy]));
  });

  it('pins every IAM write to roles without the tag the runtime treats as an exemption', () => {
    const { evaluation: runtime } = runtimeOf();
    const writes = statements.filter((statement) =>
      statement.actions.some((action) => /^iam:(Attach|Detach|Put|Delete)/.test(action)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) {
      expect(statement.condition).toMatchObject({ Null: { [`aws:ResourceTag/${EXEMPT_TAG_KEY}`]: 'true' } });
    }
    const tagged = {
      name: 'r',
      arn: 'arn:aws:iam::111122223333:role/r',
      tags: { [EXEMPT_TAG_KEY]: 'CI builder' },
    };
    expect(
      findExemption(tagged, { exemptRoles: [], tagKey: runtime.exemptTagKey }, '2026-01-01').exemption,
    ).not.toBeNull();
    expect(runtime.exemptTagKey).toBe(EXEMPT_TAG_KEY);
  });

  it("tags the guard functions' own roles with that tag", () => {
    const roles = resources(home, 'AWS::IAM::Role').filter(([, role]) =>
      JSON.stringify(role.Properties?.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    );
    expect(roles).toHaveLength(2);
    for (const [, role] of roles) {
      expect(asList(role.Properties?.Tags)).toContainEqual({ Key: EXEMPT_TAG_KEY, Value: 'true' });
    }
  });
});

describe('the rules watch exactly the events the parser accepts', () => {
  const { home } = synthGuardApp();
  const rules = resources(home, 'AWS::Events::Rule')
    .map(([, rule]) => rule.Properties?.EventPattern)
    .filter(isRecord);

  /** Every (source, endpoint, name) triple the home rules match. */
  const matched = rules.flatMap((pattern) => {
    const detail = isRecord(pattern.detail) ? pattern.detail : {};
    const branches =
      Array.isArray(detail.$or) && isRecord(detail.$or[0]) && 'eventName' in detail.$or[0]
        ? detail.$or.filter(isRecord)
        : [detail];
    return asList(pattern.source).flatMap((source) =>
      branches.flatMap((branch) =>
        asList(branch.eventSource).flatMap((endpoint) =>
          asList(branch.eventName).map((name) => `${String(source)} ${String(endpoint)} ${String(name)}`),
        ),
      ),
    );
  });

  it('matches every watched IAM event name and nothing else', () => {
    const iam = rules.filter((pattern) => JSON.stringify(pattern.source) === '["aws.iam"]');
    expect(iam).toHaveLength(1);
    const detail = isRecord(iam[0]?.detail) ? iam[0].detail : {};
    expect(detail.eventName).toEqual([...SUPPORTED_EVENT_NAMES]);
    expect(detail.eventSource).toEqual([WATCHED_EVENTS['aws.iam'].serviceEndpoint]);
  });

  it('matches every name of every watched source with its endpoint, and the parser accepts each', () => {
    const expected = Object.entries(WATCHED_EVENTS).flatMap(([source, { serviceEndpoint, eventNames }]) =>
      eventNames.map((name) => `${source} ${serviceEndpoint} ${name}`),
    );
    for (const triple of expected) expect(matched).toContain(triple);
    // A rule may not pair a source with another source's endpoint in a way the contract does not list.
    const endpoints = new Map(
      Object.entries(WATCHED_EVENTS).map(([source, { serviceEndpoint }]) => [source, serviceEndpoint]),
    );
    const paired = matched.filter((triple) => {
      const [source, endpoint] = triple.split(' ');
      return endpoints.get(source ?? '') === endpoint;
    });
    expect(new Set(paired)).toEqual(new Set(expected));
    for (const [source, { serviceEndpoint, eventNames }] of Object.entries(WATCHED_EVENTS)) {
      for (const eventName of eventNames) {
        const change = parseRoleChangeEvent({
          version: '0',
          id: 'contract',
          'detail-type': 'AWS API Call via CloudTrail',
          source,
          account: ACCOUNT,
          time: '2026-11-20T08:00:00Z',
          region: REGION,
          resources: [],
          detail: { eventSource: serviceEndpoint, eventName, requestParameters: {} },
        });
        // Routed to the call's own parser: the empty parameters are what it refuses, not the name.
        expect(change.kind === 'ignored' ? change.reason : '').not.toMatch(
          /not one the guard evaluates|unsupported/,
        );
      }
    }
  });
});

describe('the contract module', () => {
  const folder = join(__dirname, '..', '..', 'lambda', 'contract');

  it.each(readdirSync(folder))(
    '%s imports nothing but zod and its own files (no CDK, no SDK, no runtime code)',
    (file) => {
      const source = readFileSync(join(folder, file), 'utf8');
      const imported = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(imported.filter((path) => path !== 'zod' && !/^\.\/[\w-]+$/.test(path ?? ''))).toEqual([]);
    },
  );
});
