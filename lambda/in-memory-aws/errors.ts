// In-memory AWS: builds the errors the fake throws, as the SDK's own modeled exception
// classes where the service models one, else a ServiceException carrying the wire name, with $metadata/$fault.
import {
  AccessDeniedException as AccountAccessDeniedException,
  InternalServerException as AccountInternalServerException,
  ResourceNotFoundException as AccountResourceNotFoundException,
  AccountServiceException,
  TooManyRequestsException as AccountTooManyRequestsException,
  ValidationException as AccountValidationException,
} from '@aws-sdk/client-account';
import {
  AccessDeniedException as CloudTrailAccessDeniedException,
  CloudTrailServiceException,
  ThrottlingException as CloudTrailThrottlingException,
  InvalidLookupAttributesException,
} from '@aws-sdk/client-cloudtrail';
import {
  ECRServiceException,
  InvalidParameterException as EcrInvalidParameterException,
  LimitExceededException as EcrLimitExceededException,
  RepositoryNotFoundException as EcrRepositoryNotFoundException,
  ServerException as EcrServerException,
} from '@aws-sdk/client-ecr';
import {
  EKSServiceException,
  AccessDeniedException as EksAccessDeniedException,
  InvalidParameterException as EksInvalidParameterException,
  ResourceLimitExceededException as EksResourceLimitExceededException,
  ResourceNotFoundException as EksResourceNotFoundException,
  ServerException as EksServerException,
  ThrottlingException as EksThrottlingException,
} from '@aws-sdk/client-eks';
import {
  IAMServiceException,
  InvalidInputException,
  LimitExceededException,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import {
  InternalException as SecurityHubInternalException,
  InvalidAccessException as SecurityHubInvalidAccessException,
  InvalidInputException as SecurityHubInvalidInputException,
  LimitExceededException as SecurityHubLimitExceededException,
  ResourceNotFoundException as SecurityHubResourceNotFoundException,
  SecurityHubServiceException,
} from '@aws-sdk/client-securityhub';
import {
  AuthorizationErrorException,
  InternalErrorException,
  SNSServiceException,
  InvalidParameterException as SnsInvalidParameterException,
  NotFoundException as SnsNotFoundException,
  ThrottledException,
} from '@aws-sdk/client-sns';

export type FakeService = 'iam' | 'eks' | 'sns' | 'account' | 'ecr' | 'cloudtrail' | 'securityhub';

/**
 * What can go wrong, named once for every service and translated to each service's own error:
 * `NotFound` is IAM NoSuchEntity, EKS ResourceNotFound, SNS NotFound; `AccessDenied` is SNS AuthorizationError;
 * `UnrecognizedClient` is what an opt-in region that is not enabled answers; `EndpointUnreachable` is a DNS
 * failure (no HTTP response at all).
 */
export type FakeErrorKind =
  | 'AccessDenied'
  | 'Throttling'
  | 'ServiceFailure'
  | 'NotFound'
  | 'NoSuchEntity'
  | 'LimitExceeded'
  | 'InvalidParameter'
  | 'MalformedPolicyDocument'
  | 'UnrecognizedClient'
  | 'EndpointUnreachable';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'fake-request-id', attempts: 1 });

type ErrorFactory = (message: string) => Error;

/** A ServiceException for an error the service does not model (the SDK names it by its wire code). */
type GenericFactory = (name: string, fault: 'client' | 'server', status: number, message: string) => Error;

const iamGeneric: GenericFactory = (name, fault, status, message) =>
  new IAMServiceException({ name, $fault: fault, $metadata: meta(status), message });
const eksGeneric: GenericFactory = (name, fault, status, message) =>
  new EKSServiceException({ name, $fault: fault, $metadata: meta(status), message });
const snsGeneric: GenericFactory = (name, fault, status, message) =>
  new SNSServiceException({ name, $fault: fault, $metadata: meta(status), message });
const accountGeneric: GenericFactory = (name, fault, status, message) =>
  new AccountServiceException({ name, $fault: fault, $metadata: meta(status), message });

const ecrGeneric: GenericFactory = (name, fault, status, message) =>
  new ECRServiceException({ name, $fault: fault, $metadata: meta(status), message });
const securityHubGeneric: GenericFactory = (name, fault, status, message) =>
  new SecurityHubServiceException({ name, $fault: fault, $metadata: meta(status), message });

const throttled = <E extends Error>(error: E): E =>
  Object.assign(error, { $retryable: { throttling: true } });

const IAM_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => iamGeneric('AccessDenied', 'client', 403, message),
  Throttling: (message) => throttled(iamGeneric('Throttling', 'client', 400, message)),
  ServiceFailure: (message) => new ServiceFailureException({ message, $metadata: meta(500) }),
  NotFound: (message) => new NoSuchEntityException({ message, $metadata: meta(404) }),
  NoSuchEntity: (message) => new NoSuchEntityException({ message, $metadata: meta(404) }),
  LimitExceeded: (message) => new LimitExceededException({ message, $metadata: meta(409) }),
  InvalidParameter: (message) => new InvalidInputException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) =>
    new MalformedPolicyDocumentException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => iamGeneric('InvalidClientTokenId', 'client', 403, message),
};

const EKS_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => new EksAccessDeniedException({ message, $metadata: meta(403) }),
  Throttling: (message) => throttled(new EksThrottlingException({ message, $metadata: meta(429) })),
  ServiceFailure: (message) => new EksServerException({ message, $metadata: meta(500) }),
  NotFound: (message) => new EksResourceNotFoundException({ message, $metadata: meta(404) }),
  NoSuchEntity: (message) => new EksResourceNotFoundException({ message, $metadata: meta(404) }),
  LimitExceeded: (message) => new EksResourceLimitExceededException({ message, $metadata: meta(400) }),
  InvalidParameter: (message) => new EksInvalidParameterException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) => new EksInvalidParameterException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => eksGeneric('UnrecognizedClientException', 'client', 403, message),
};

const SNS_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => new AuthorizationErrorException({ message, $metadata: meta(403) }),
  Throttling: (message) => throttled(new ThrottledException({ message, $metadata: meta(400) })),
  ServiceFailure: (message) => new InternalErrorException({ message, $metadata: meta(500) }),
  NotFound: (message) => new SnsNotFoundException({ message, $metadata: meta(404) }),
  NoSuchEntity: (message) => new SnsNotFoundException({ message, $metadata: meta(404) }),
  LimitExceeded: (message) => snsGeneric('LimitExceeded', 'client', 400, message),
  InvalidParameter: (message) => new SnsInvalidParameterException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) => new SnsInvalidParameterException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => snsGeneric('InvalidClientTokenId', 'client', 403, message),
};

const ACCOUNT_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => new AccountAccessDeniedException({ message, $metadata: meta(403) }),
  Throttling: (message) => throttled(new AccountTooManyRequestsException({ message, $metadata: meta(429) })),
  ServiceFailure: (message) => new AccountInternalServerException({ message, $metadata: meta(500) }),
  NotFound: (message) => new AccountResourceNotFoundException({ message, $metadata: meta(404) }),
  NoSuchEntity: (message) => new AccountResourceNotFoundException({ message, $metadata: meta(404) }),
  LimitExceeded: (message) => accountGeneric('LimitExceeded', 'client', 400, message),
  InvalidParameter: (message) => new AccountValidationException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) => new AccountValidationException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => accountGeneric('UnrecognizedClientException', 'client', 403, message),
};

const ECR_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => ecrGeneric('AccessDeniedException', 'client', 400, message),
  Throttling: (message) => throttled(ecrGeneric('ThrottlingException', 'client', 400, message)),
  ServiceFailure: (message) => new EcrServerException({ message, $metadata: meta(500) }),
  NotFound: (message) => new EcrRepositoryNotFoundException({ message, $metadata: meta(400) }),
  NoSuchEntity: (message) => new EcrRepositoryNotFoundException({ message, $metadata: meta(400) }),
  LimitExceeded: (message) => new EcrLimitExceededException({ message, $metadata: meta(400) }),
  InvalidParameter: (message) => new EcrInvalidParameterException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) => new EcrInvalidParameterException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => ecrGeneric('UnrecognizedClientException', 'client', 403, message),
};

const cloudtrailGeneric: GenericFactory = (name, fault, status, message) =>
  new CloudTrailServiceException({ name, $fault: fault, $metadata: meta(status), message });

const CLOUDTRAIL_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => new CloudTrailAccessDeniedException({ message, $metadata: meta(403) }),
  Throttling: (message) => throttled(new CloudTrailThrottlingException({ message, $metadata: meta(400) })),
  ServiceFailure: (message) => cloudtrailGeneric('InternalFailure', 'server', 500, message),
  NotFound: (message) => cloudtrailGeneric('ResourceNotFoundException', 'client', 404, message),
  NoSuchEntity: (message) => cloudtrailGeneric('ResourceNotFoundException', 'client', 404, message),
  LimitExceeded: (message) => cloudtrailGeneric('LimitExceeded', 'client', 400, message),
  InvalidParameter: (message) => new InvalidLookupAttributesException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) =>
    new InvalidLookupAttributesException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => cloudtrailGeneric('UnrecognizedClientException', 'client', 403, message),
};

const SECURITY_HUB_ERRORS: Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory> = {
  AccessDenied: (message) => securityHubGeneric('AccessDeniedException', 'client', 403, message),
  // Security Hub answers throttling with LimitExceededException (HTTP 429).
  Throttling: (message) =>
    throttled(new SecurityHubLimitExceededException({ message, $metadata: meta(429) })),
  ServiceFailure: (message) => new SecurityHubInternalException({ message, $metadata: meta(500) }),
  NotFound: (message) => new SecurityHubResourceNotFoundException({ message, $metadata: meta(404) }),
  NoSuchEntity: (message) => new SecurityHubResourceNotFoundException({ message, $metadata: meta(404) }),
  LimitExceeded: (message) => new SecurityHubLimitExceededException({ message, $metadata: meta(429) }),
  InvalidParameter: (message) => new SecurityHubInvalidInputException({ message, $metadata: meta(400) }),
  MalformedPolicyDocument: (message) =>
    new SecurityHubInvalidInputException({ message, $metadata: meta(400) }),
  UnrecognizedClient: (message) => securityHubGeneric('UnrecognizedClientException', 'client', 403, message),
};

/** Security Hub's "not subscribed" error (the account or Region has Security Hub off). */
export function securityHubNotEnabledError(message: string): Error {
  return new SecurityHubInvalidAccessException({ message, $metadata: meta(401) });
}

const BY_SERVICE: Record<FakeService, Record<Exclude<FakeErrorKind, 'EndpointUnreachable'>, ErrorFactory>> = {
  iam: IAM_ERRORS,
  eks: EKS_ERRORS,
  sns: SNS_ERRORS,
  account: ACCOUNT_ERRORS,
  ecr: ECR_ERRORS,
  cloudtrail: CLOUDTRAIL_ERRORS,
  securityhub: SECURITY_HUB_ERRORS,
};

/** The error `service` would raise for `kind`, with a default message when none is given. */
export function fakeServiceError(service: FakeService, kind: FakeErrorKind, message?: string): Error {
  const text = message ?? defaultMessage(kind);
  if (kind === 'EndpointUnreachable') {
    return Object.assign(new Error(text), { code: 'ENOTFOUND', $metadata: { attempts: 1 } });
  }
  return BY_SERVICE[service][kind](text);
}

function defaultMessage(kind: FakeErrorKind): string {
  switch (kind) {
    case 'AccessDenied':
      return 'User: arn:aws:sts::111122223333:assumed-role/guard/session is not authorized to perform this action';
    case 'Throttling':
      return 'Rate exceeded';
    case 'ServiceFailure':
      return 'The request processing has failed because of an unknown error, exception or failure.';
    case 'UnrecognizedClient':
      return 'The security token included in the request is invalid.';
    case 'EndpointUnreachable':
      return 'getaddrinfo ENOTFOUND (fake endpoint)';
    default:
      return `${kind} (injected by FakeAws)`;
  }
}
