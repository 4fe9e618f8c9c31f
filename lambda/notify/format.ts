// Notify (pure): a decision (and remediation outcome) as one SNS message: subject, readable e-mail body with the
// JSON for machines appended between marker lines, and String message attributes for filter policies.

import { heading, utf8Bytes, wrap } from '../present/text';
import { type AlertInput, alertAccount } from './alert-input';
import { alertKind } from './alert-kind';
import { BODY_WIDTH } from './alert-layout';
import { alertAttributes, MESSAGE_BYTE_BUDGET, messageBytes } from './attributes';
import { alertText } from './body';
import { roleConsoleUrl } from './console-link';
import {
  ALERT_DOCUMENT_TYPE,
  type AlertDocument,
  jsonBlock,
  KEEP_EVERYTHING,
  type Shortening,
  shorten,
} from './document';
import { alertSubject } from './subject';

export type { AlertInput, AlertMode } from './alert-input';
export { type AlertKind, alertKind } from './alert-kind';
export { MAX_ATTRIBUTES, MAX_MESSAGE_BYTES, messageBytes } from './attributes';
export { type ChatNotification, formatChatNotification } from './chat';
export { ALERT_JSON_BEGIN, ALERT_JSON_END, type AlertDocument, extractAlertJson } from './document';

export interface FormattedAlert {
  readonly subject: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly json: AlertDocument;
}

/** A shortening step and whether the text is rendered from the shortened decision too (last resort only). */
interface Stage {
  readonly shortening: Shortening;
  readonly shortenText: boolean;
}

const bulky = (bulkyLimit: number): Stage => ({
  shortening: { ...KEEP_EVERYTHING, bulkyLimit },
  shortenText: false,
});

/** Cuts the text too: small whatever the input. */
const LAST_RESORT: Stage = {
  shortening: { bulkyLimit: 10, coreLimit: 10, maxString: 200 },
  shortenText: true,
};

/** Tried in order until the message fits; then the last resort. */
const STAGES: readonly Stage[] = [
  { shortening: KEEP_EVERYTHING, shortenText: false },
  bulky(1000),
  bulky(200),
  bulky(50),
  bulky(10),
  bulky(0),
];

function machineSection(document: AlertDocument): string[] {
  const intro =
    'For machines: the decision and the remediation outcome as JSON between the marker lines below ' +
    '(parse the text between them).';
  const shortened = document.truncated
    ? ' Shortened to fit the SNS message size limit: "omitted" says what was left out.'
    : '';
  return [
    '',
    ...heading('MACHINE-READABLE'),
    ...wrap(`${intro}${shortened}`, BODY_WIDTH, '  '),
    '',
    jsonBlock(document),
  ];
}

/** The readable text of the full decision; the same for every stage but the last, so it is worked out once. */
type FullText = (jsonTruncated: boolean) => string;

function render(input: AlertInput, stage: Stage, fullText: FullText): FormattedAlert {
  const { decision, outcome } = input;
  const kind = alertKind(decision, outcome, { notifyExempt: true });
  const subject = alertSubject(decision, outcome);
  const short = shorten(decision, outcome, stage.shortening);
  const truncated = Object.keys(short.omitted).length > 0;
  const json: AlertDocument = {
    type: ALERT_DOCUMENT_TYPE,
    version: 1,
    kind,
    mode: input.mode,
    account: alertAccount(input),
    partition: input.partition,
    subject,
    consoleUrl: decision.role === null ? null : roleConsoleUrl(input.partition, decision.role.name),
    truncated,
    omitted: short.omitted,
    decision: short.decision,
    outcome: short.outcome,
  };
  const text = stage.shortenText
    ? alertText(
        { ...input, decision: short.decision, outcome: short.outcome },
        { jsonTruncated: truncated, textShortened: true },
      )
    : fullText(truncated);
  const body = [text, ...machineSection(json), ''].join('\n');
  return { subject, body, attributes: alertAttributes(input, kind), json };
}

function memoisedFullText(input: AlertInput): FullText {
  const texts = new Map<boolean, string>();
  return (jsonTruncated) => {
    const known = texts.get(jsonTruncated);
    if (known !== undefined) return known;
    const text = alertText(input, { jsonTruncated });
    texts.set(jsonTruncated, text);
    return text;
  };
}

/**
 * The alert for a decision. Total: formats any verdict (the notify use case decides what is sent). Keeps the
 * whole publish under the SNS 256 KiB limit by shortening lists ("… and N more", `truncated: true` in the JSON).
 */
export function formatAlert(input: AlertInput): FormattedAlert {
  const fullText = memoisedFullText(input);
  // When the readable text alone is too big, only the last resort (which shortens the text too) can fit.
  const stages = utf8Bytes(fullText(true)) > MESSAGE_BYTE_BUDGET ? [] : STAGES;
  for (const stage of stages) {
    const alert = render(input, stage, fullText);
    if (messageBytes(alert) <= MESSAGE_BYTE_BUDGET) return alert;
  }
  return render(input, LAST_RESORT, fullText);
}
