// Notify (pure): the human part of the alert e-mail: plain text, sections with headings, lines of ~100 characters.
// The sections live beside it (alert-finding, alert-action, alert-commands) on the layout of alert-layout.
import { guardAction } from './alert-action';
import { checkByHand, consoleSection, exemptionSection, fixSection, rollbackSection } from './alert-commands';
import {
  summary,
  warningSection,
  whatChanged,
  whatGrants,
  whereUsed,
  whoAndWhen,
  whyItMatters,
} from './alert-finding';
import { type AlertInput, alertState } from './alert-input';
import { type BodyOptions, paragraph } from './alert-layout';
import { podRoleSection, usageSection } from './usage-section';

const SHORTENED_NOTE =
  'NOTE: this alert was shortened to fit the SNS message size limit: lists and long values below are cut.';

/** The readable part of the alert, every section that applies to the decision's state, in reading order. */
export function alertText(input: AlertInput, options: BodyOptions): string {
  const state = alertState(input.decision, input.outcome);
  const shortened = options.textShortened === true ? ['', ...paragraph(SHORTENED_NOTE, '')] : [];
  const lines = [
    ...summary(input, state),
    ...shortened,
    ...whatChanged(input),
    ...whoAndWhen(input),
    ...whereUsed(input, options),
    ...whatGrants(input, options),
    ...usageSection(input, state),
    ...whyItMatters(state),
    ...guardAction(input, state),
    ...(state === 'indeterminate' ? checkByHand(input, options) : []),
    ...podRoleSection(input, state),
    ...fixSection(input, state),
    ...rollbackSection(input, state),
    ...consoleSection(input),
    ...exemptionSection(input, state),
    ...warningSection(input, options),
  ];
  return lines.join('\n');
}
