// Contract between the CDK app (lib/) and the runtime (lambda/): the one place a name both sides need is written.
// Imports nothing but zod; lambda/domain does not import it (the composition root passes names in).
export * from './config';
export * from './environment';
export * from './events';
export * from './metrics';
export * from './names';
