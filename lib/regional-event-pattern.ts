// Infrastructure (CDK) layer: the EventBridge pattern for the regional sources (every watched source but IAM).
import { type EventPattern, Match } from 'aws-cdk-lib/aws-events';
import { CLOUDTRAIL_DETAIL_TYPE, GLOBAL_EVENT_SOURCES, WATCHED_EVENTS } from '../lambda/contract';

interface WatchedSource {
  readonly source: string;
  readonly serviceEndpoint: string;
  readonly eventNames: readonly string[];
}

/** Every watched source whose events arrive in the Region of the call (EKS, ECR...), from the contract. */
export function regionalSources(): WatchedSource[] {
  return Object.entries(WATCHED_EVENTS)
    .filter(([source]) => !GLOBAL_EVENT_SOURCES.includes(source))
    .map(([source, { serviceEndpoint, eventNames }]) => ({ source, serviceEndpoint, eventNames }));
}

export interface RegionalChangePatternOptions {
  /**
   * Only events that originated in this Region (`region` is kept when an event is forwarded): the forwarder then
   * never forwards an event another bus put on its bus, so two forwarders cannot bounce an event between them.
   * @default - any Region (the home rule, which also matches the forwarded events)
   */
  readonly originRegion?: string;
}

/**
 * Successful CloudTrail calls (`errorCode` absent) of every regional source, each source with its own endpoint and
 * names (`$or` of one branch per source). Always on `detail-type`: EKS and ECR emit native events under the same
 * `source` (AWS-FACTS §13).
 */
export function regionalChangePattern(options: RegionalChangePatternOptions = {}): EventPattern {
  const sources = regionalSources();
  const branches = sources.map(({ serviceEndpoint, eventNames }) => ({
    eventSource: [serviceEndpoint],
    eventName: [...eventNames],
  }));
  const [only] = branches;
  const names = branches.length === 1 && only !== undefined ? only : { $or: branches };
  return {
    source: sources.map(({ source }) => source),
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    ...(options.originRegion === undefined ? {} : { region: [options.originRegion] }),
    detail: { ...names, errorCode: Match.doesNotExist() },
  };
}
