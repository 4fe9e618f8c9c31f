// Notify (pure): the human part of the alert e-mail: the first screen (alert-first-screen, 40 columns), then the
// detail sections with headings, lines of ~100 characters (alert-finding, alert-action, alert-commands on the
// layout of alert-layout).
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
import { firstScreen } from './alert-first-screen';
import { type AlertInput, alertState } from './alert-input';
import { type BodyOptions, paragraph, section } from './alert-layout';
import { resourcePolicySection } from './alert-resource-policies';
import { podRoleSection, usageSection } from './usage-section';

const SHORTENED_NOTE =
  'NOTE: this alert was shortened to fit the SNS message size limit: lists and long values below are cut.';

/** The readable part of the alert: the first screen, then every section that applies to the state, in reading order. */
export function alertText(input: AlertInput, options: BodyOptions): string {
  const state = alertState(input.decision, input.outcome);
  const shortened = options.textShortened === true ? ['', ...paragraph(SHORTENED_NOTE, '')] : [];
  const lines = [
    ...firstScreen(input, state),
    ...section('SUMMARY', summary(input, state)),
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
    ...resourcePolicySection(input, options),
    ...rollbackSection(input, state),
    ...consoleSection(input),
    ...exemptionSection(input, state),
    ...warningSection(input, options),
  ];
  return lines.join('\n');
}
