// Dev script support (benchmark, synthetic account): the account's identity and the ARNs its roles and policies use.

export const ACCOUNT_ID = '123456789012';
export const PARTITION = 'aws';

export type Json = Record<string, unknown>;

export const awsManaged = (name: string): string => `arn:${PARTITION}:iam::aws:policy/${name}`;
export const roleArn = (path: string, name: string): string =>
  `arn:${PARTITION}:iam::${ACCOUNT_ID}:role${path}${name}`;
export const customerPolicyArn = (name: string): string =>
  `arn:${PARTITION}:iam::${ACCOUNT_ID}:policy/${name}`;
