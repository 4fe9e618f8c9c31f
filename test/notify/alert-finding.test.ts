// Notify: the words an alert uses for a decision about the change alone (scope `change`): what the change adds,
// never "compliant" or "cannot write", since the role's other policies were not re-read.
import { changeGrantsNothingDecision } from '../../lambda/domain/decision';
import { formatAlert } from '../../lambda/notify/format';
import { humanPart } from './read-alert';
import { alertInput, ROLE_NAME, violationDecision } from './support';

describe('formatAlert: a decision about the change alone', () => {
  const event = violationDecision().event;
  const decision = changeGrantsNothingDecision(event, 'policy p grants no ECR write action.', {
    name: ROLE_NAME,
    arn: null,
  });
  const alert = formatAlert(alertInput({ decision }));
  const text = humanPart(alert);

  it('says the change adds no ECR write access, in the headline, the reason and the verdict line', () => {
    expect(text.replace(/\s+/g, ' ')).toContain(`This change to role ${ROLE_NAME} adds no ECR write access`);
    expect(text).toMatch(/Reason: +This change adds no ECR write access: policy p/);
    expect(text).toMatch(/Verdict: +this change adds no ECR write access/);
    expect(alert.subject).toContain('adds no ECR write access');
  });

  it('never calls it compliant, nor says the role cannot write', () => {
    expect(text).not.toMatch(/compliant/i);
    expect(text).not.toContain('cannot write');
    expect(alert.subject).not.toContain('cannot write');
  });
});

describe('formatAlert: what each write action reaches', () => {
  const base = violationDecision();
  const decision = {
    ...base,
    ecrWriteActions: ['ecr:BatchDeleteImage', 'ecr:PutImage'],
    reach: [
      {
        action: 'ecr:BatchDeleteImage',
        on: 'repository' as const,
        all: true,
        resources: [],
        conditional: false,
      },
      {
        action: 'ecr:PutImage',
        on: 'repository' as const,
        all: false,
        resources: ['arn:aws:ecr:*:*:repository/ci-*'],
        conditional: true,
      },
    ],
  };
  const text = humanPart(formatAlert(alertInput({ decision }))).replace(/\s+/g, ' ');

  it('names the scoped and conditional actions with their repositories, and sums up the rest', () => {
    expect(text).toContain(
      'Reach: ecr:PutImage on arn:aws:ecr:*:*:repository/ci-* (only under a condition); the other 1 on every repository (or the registry).',
    );
  });

  it('says nothing of reach when the decision has none', () => {
    expect(humanPart(formatAlert(alertInput({ decision: base })))).not.toContain('Reach:');
  });
});
