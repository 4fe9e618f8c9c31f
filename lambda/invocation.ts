// Lambda adapter shared by both handlers: each invocation gets the Lambda context in the logger (request id, cold
// start, function name) and its own X-Ray subsegment (Powertools' manual `captureLambdaHandler` pattern).
import type { Context } from 'aws-lambda';

/** What the instrumentation needs of Powertools Logger. */
export interface InvocationLogger {
  addContext(context: Context): void;
  /** Drops the keys appended during the invocation (the correlation id), so none leaks into the next one. */
  resetKeys(): void;
}

/** The X-Ray segment calls used (Powertools Tracer's segment objects satisfy it). */
export interface InvocationSegment {
  addNewSubsegment(name: string): InvocationSegment;
  close(): void;
}

/** What the instrumentation needs of Powertools Tracer (all no-ops when tracing is disabled). */
export interface InvocationTracer {
  getSegment(): InvocationSegment | undefined;
  setSegment(segment: InvocationSegment): void;
  annotateColdStart(): void;
  addServiceNameAnnotation(): void;
  addResponseAsMetadata(data?: unknown, methodName?: string): void;
  addErrorAsMetadata(error: Error, remote?: boolean): void;
}

export interface Instrumentation {
  readonly logger?: InvocationLogger;
  readonly tracer?: InvocationTracer;
  /** Subsegment name, as `captureLambdaHandler` names it. @default `## <name>` */
  readonly name: string;
}

/** Wraps a handler: context into the logger, a subsegment around the call with the result or error as metadata. */
export function instrumented<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  { logger, tracer, name }: Instrumentation,
): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    logger?.addContext(context);
    const segment = tracer?.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (tracer !== undefined && subsegment !== undefined) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      const result = await handler(event, context);
      tracer?.addResponseAsMetadata(result, name);
      return result;
    } catch (error) {
      if (error instanceof Error) tracer?.addErrorAsMetadata(error);
      throw error;
    } finally {
      subsegment?.close();
      if (tracer !== undefined && segment !== undefined) tracer.setSegment(segment);
      logger?.resetKeys();
    }
  };
}
