// Golden example: the alert for a realistic violation (alert mode) and its applied fix (remediate mode), kept in
// docs/ (and in docs/alerts.md) so the alerts page shows what on-call really gets.
// `UPDATE_GOLDEN=1 npx jest test/notify/golden.test.ts` rewrites them; otherwise they must equal the current
// output, so the docs cannot go stale. After rewriting, `npx biome check --write docs/` lays the JSON files out
// (they are compared by value, so the layout does not matter here).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatChatNotification } from '../../lambda/notify/chat';
import { type FormattedAlert, formatAlert } from '../../lambda/notify/format';
import { alertInput, appliedOutcome, violationDecision } from './support';

const DOCS = join(__dirname, '..', '..', 'docs');
const TEXT_FILE = join(DOCS, 'alert-example.txt');
const JSON_FILE = join(DOCS, 'alert-example.json');
const CHAT_FILE = join(DOCS, 'chat-example.json');
const README_SECTION = join(DOCS, 'alerts.md');
const BLOCK_BEGIN = '<!-- alert-example:begin -->';
const BLOCK_END = '<!-- alert-example:end -->';
const updating = process.env.UPDATE_GOLDEN === '1';

// The node role inherits its owner from its cluster, as the demo account's eksctl node group role does.
const decision = violationDecision({
  owner: {
    status: 'owned',
    owner: 'platform',
    source: { level: 'cluster', tagKey: 'team', region: 'eu-west-1', cluster: 'prod' },
  },
});
const alertMode = alertInput({ decision });
const remediateMode = alertInput({ decision, mode: 'remediate', outcome: appliedOutcome() });

function example(title: string, alert: FormattedAlert): string {
  return [title, '='.repeat(title.length), '', `Subject: ${alert.subject}`, '', alert.body].join('\n');
}

function goldenText(): string {
  return [
    example('Example 1: alert mode (the default): a violation, nothing changed', formatAlert(alertMode)),
    example('Example 2: remediate mode: the guard applied the fix', formatAlert(remediateMode)),
  ].join('\n');
}

/** The e-mail of example 1 as docs/alerts.md shows it: subject and readable part, without the JSON block. */
function readmeBlock(): string {
  const alert = formatAlert(alertMode);
  const readable = alert.body.slice(0, alert.body.indexOf('\n\nMACHINE-READABLE\n'));
  return ['```text', `Subject: ${alert.subject}`, '', readable, '```'].join('\n');
}

function withReadmeBlock(markdown: string): string {
  const begin = markdown.indexOf(BLOCK_BEGIN);
  const end = markdown.indexOf(BLOCK_END);
  if (begin === -1 || end < begin)
    throw new Error(`${README_SECTION} lacks the ${BLOCK_BEGIN} / ${BLOCK_END} markers`);
  return `${markdown.slice(0, begin + BLOCK_BEGIN.length)}\n${readmeBlock()}\n${markdown.slice(end)}`;
}

function goldenJson(): object {
  return {
    alertModeViolation: formatAlert(alertMode).json,
    remediateModeApplied: formatAlert(remediateMode).json,
  };
}

describe('golden alert example (docs/)', () => {
  it('is deterministic', () => {
    expect(goldenText()).toBe(goldenText());
    expect(formatChatNotification(alertMode)).toEqual(formatChatNotification(alertMode));
  });

  if (updating) {
    it('rewrites docs/alert-example.txt, .json, docs/chat-example.json and the example in docs/alerts.md', () => {
      writeFileSync(TEXT_FILE, goldenText());
      writeFileSync(JSON_FILE, `${JSON.stringify(goldenJson(), null, 2)}\n`);
      writeFileSync(CHAT_FILE, `${JSON.stringify(formatChatNotification(alertMode), null, 2)}\n`);
      writeFileSync(README_SECTION, withReadmeBlock(readFileSync(README_SECTION, 'utf8')));
      expect(readFileSync(TEXT_FILE, 'utf8')).toBe(goldenText());
    });
    return;
  }

  it('docs/alert-example.txt is the current subject and body of both examples', () => {
    expect(readFileSync(TEXT_FILE, 'utf8')).toBe(goldenText());
  });

  // JSON files are compared by value, so the formatter (biome) may lay them out its own way.
  it('docs/alert-example.json is the current JSON of both examples', () => {
    expect(JSON.parse(readFileSync(JSON_FILE, 'utf8'))).toEqual(goldenJson());
  });

  it('docs/chat-example.json is the current chat notification', () => {
    expect(JSON.parse(readFileSync(CHAT_FILE, 'utf8'))).toEqual(formatChatNotification(alertMode));
  });

  it('docs/alerts.md shows the current e-mail of example 1', () => {
    const markdown = readFileSync(README_SECTION, 'utf8');
    expect(markdown).toBe(withReadmeBlock(markdown));
    expect(markdown).toContain(`Subject: ${formatAlert(alertMode).subject}`);
  });
});
