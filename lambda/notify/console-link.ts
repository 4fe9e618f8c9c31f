// Notify (pure): the IAM console link to a role, per partition.

const CONSOLE_HOSTS: ReadonlyMap<string, string> = new Map([
  ['aws', 'console.aws.amazon.com'],
  ['aws-cn', 'console.amazonaws.cn'],
  ['aws-us-gov', 'console.amazonaws-us-gov.com'],
]);

/** The role's page in the IAM console, or null for a partition whose console host is not known here. */
export function roleConsoleUrl(partition: string, roleName: string): string | null {
  const host = CONSOLE_HOSTS.get(partition);
  if (host === undefined) return null;
  return `https://${host}/iam/home#/roles/details/${encodeURIComponent(roleName)}`;
}
