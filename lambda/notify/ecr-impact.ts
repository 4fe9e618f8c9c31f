// Notify (pure): what the most harmful ECR write actions let an attacker do, so alerts can name them first.

/** Most harmful first; keys are the action name without its service prefix, lower-cased. */
const IMPACTS: ReadonlyArray<readonly [string, string]> = [
  ['putimage', 'push or overwrite images'],
  ['batchdeleteimage', 'delete images'],
  ['deleterepository', 'delete repositories'],
  ['setrepositorypolicy', 'change who can use a repository'],
  ['putregistrypolicy', 'change who can use the registry'],
  ['putreplicationconfiguration', 'replicate images elsewhere'],
  ['putimagetagmutability', 'make image tags overwritable'],
  ['deleterepositorypolicy', 'remove repository access rules'],
  ['putlifecyclepolicy', 'expire images'],
  ['completelayerupload', 'upload image layers'],
  ['createrepository', 'create repositories'],
  ['createpullthroughcacherule', 'pull images from other registries into this one'],
];

const RANK: ReadonlyMap<string, number> = new Map(IMPACTS.map(([name], index) => [name, index]));
const IMPACT: ReadonlyMap<string, string> = new Map(IMPACTS);

function localName(action: string): string {
  const colon = action.indexOf(':');
  return (colon === -1 ? action : action.slice(colon + 1)).toLowerCase();
}

/** What the action lets its holder do, for the actions worth naming; null for the rest. */
export function actionImpact(action: string): string | null {
  return IMPACT.get(localName(action)) ?? null;
}

/** Actions with the most harmful first (see IMPACTS), the rest in their given order. */
export function mostHarmfulFirst(actions: readonly string[]): string[] {
  const rank = (action: string): number => RANK.get(localName(action)) ?? IMPACTS.length;
  return actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => rank(a.action) - rank(b.action) || a.index - b.index)
    .map(({ action }) => action);
}
