// Tests for the Amazon Q Developer in chat applications custom notification (version 1.0, source custom).
import { formatChatNotification } from '../../lambda/notify/chat';
import { alertSubject } from '../../lambda/notify/subject';
import {
  alertInput,
  appliedOutcome,
  FULL_ACCESS_ARN,
  READ_ONLY_ARN,
  ROLE_ARN,
  ROLE_NAME,
  violationDecision,
} from './support';

describe('formatChatNotification', () => {
  const chat = formatChatNotification(alertInput());

  it('has the custom notification shape: version 1.0, source custom, client-markdown content', () => {
    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(chat.content.textType).toBe('client-markdown');
    expect(Object.keys(chat).sort()).toEqual(['content', 'id', 'metadata', 'source', 'version']);
    expect(Object.keys(chat.content).sort()).toEqual([
      'description',
      'keywords',
      'nextSteps',
      'textType',
      'title',
    ]);
    expect(Object.keys(chat.metadata).sort()).toEqual([
      'additionalContext',
      'eventType',
      'relatedResources',
      'summary',
      'threadId',
    ]);
    for (const value of Object.values(chat.metadata.additionalContext)) expect(typeof value).toBe('string');
    expect(JSON.parse(JSON.stringify(chat))).toEqual(chat);
  });

  it('is short: the ASCII subject as title, then what the guard did, role, clusters, write actions, the change', () => {
    expect(chat.content.title).toBe(alertSubject(violationDecision(), null));
    expect(chat.content.title).toMatch(/^[\x20-\x7E]{1,99}$/);
    const lines = chat.content.description.split('\n');
    expect(lines).toEqual([
      'Guard: alert only, nothing changed',
      `Role: \`${ROLE_NAME}\``,
      'Clusters: eu-west-1/prod (ng-1)',
      'Write actions (34): ecr:PutImage, ecr:BatchDeleteImage, ecr:DeleteRepository, ecr:SetRepositoryPolicy, ecr:PutRegistryPolicy … and 29 more',
      'Granted by: AmazonEC2ContainerRegistryFullAccess',
      expect.stringMatching(
        /^Change: AttachRolePolicy by `arn:aws:sts::111122223333:assumed-role\/.+` at 2026-11-20T09:15:42Z$/,
      ),
    ]);
    expect(chat.content.description.length).toBeLessThan(1000);
  });

  it('gives the one fix command and its rollback as the first next steps, then the console link', () => {
    expect(chat.content.nextSteps).toEqual([
      `Fix: \`aws iam attach-role-policy --role-name ${ROLE_NAME} --policy-arn ${READ_ONLY_ARN} && aws iam detach-role-policy --role-name ${ROLE_NAME} --policy-arn ${FULL_ACCESS_ARN}\``,
      `Undo the fix: \`aws iam attach-role-policy --role-name ${ROLE_NAME} --policy-arn ${FULL_ACCESS_ARN} && aws iam detach-role-policy --role-name ${ROLE_NAME} --policy-arn ${READ_ONLY_ARN}\``,
      `Open the role: https://console.aws.amazon.com/iam/home#/roles/details/${ROLE_NAME}`,
    ]);
  });

  it('threads by role and names the role and granting policies as related resources', () => {
    expect(chat.metadata.threadId).toBe(`eks-ecr-guard:${ROLE_ARN}`);
    expect(chat.metadata.relatedResources).toEqual([ROLE_ARN, FULL_ACCESS_ARN]);
    expect(chat.metadata.eventType).toBe('eks-ecr-guard-violation');
    expect(chat.metadata.additionalContext).toMatchObject({
      severity: 'high',
      verdict: 'violation',
      account: '111122223333',
    });
    expect(chat.content.keywords).toEqual(['HIGH', 'violation', 'AttachRolePolicy', 'CIS EKS 5.1.3']);
  });

  it('after a fix: reports it and offers the rollback instead of the fix', () => {
    const fixed = formatChatNotification(alertInput({ mode: 'remediate', outcome: appliedOutcome() }));
    expect(fixed.content.title.startsWith('[FIXED]')).toBe(true);
    expect(fixed.content.description).toContain('Guard: fixed and verified');
    expect(fixed.content.nextSteps.filter((step) => step.startsWith('Fix:'))).toEqual([]);
    expect(fixed.content.nextSteps.filter((step) => step.startsWith('Undo:'))).toEqual([
      `Undo: \`aws iam attach-role-policy --role-name ${ROLE_NAME} --policy-arn ${FULL_ACCESS_ARN} && aws iam detach-role-policy --role-name ${ROLE_NAME} --policy-arn ${READ_ONLY_ARN}\``,
    ]);
    expect(fixed.metadata.eventType).toBe('eks-ecr-guard-remediation');
  });

  it('leaves out id and threadId when there is no event id and no role', () => {
    const bare = formatChatNotification(
      alertInput({
        decision: violationDecision({
          verdict: 'indeterminate',
          role: null,
          event: { id: null, name: null, time: null, actor: null },
        }),
      }),
    );
    expect('id' in bare).toBe(false);
    expect('threadId' in bare.metadata).toBe(false);
  });

  it('keeps markdown code spans closed even when a name holds a backtick', () => {
    const decision = violationDecision({ role: { name: 'a`b', arn: null } });
    const description = formatChatNotification(alertInput({ decision })).content.description;
    expect(description.split('\n')[1]).toBe("Role: `a'b`");
  });
});
