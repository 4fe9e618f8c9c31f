// Tests for the per-invocation instrumentation of both handlers: the Lambda context reaches the Powertools Logger
// (request id, cold start in every line), appended keys do not leak into the next invocation, and the handler
// runs in its own trace subsegment with the result or error as metadata.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { type InvocationSegment, type InvocationTracer, instrumented } from '../lambda/invocation';

const context = (requestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'eks-ecr-guard-event',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:eks-ecr-guard-event',
  memoryLimitInMB: '256',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/eks-ecr-guard-event',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** Log lines the Powertools Logger wrote, parsed (it writes JSON lines to stdout). */
function captureLogs(): { lines: Record<string, unknown>[]; restore: () => void } {
  const lines: Record<string, unknown>[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n').filter((l) => l.trim().startsWith('{'))) lines.push(JSON.parse(line));
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

class FakeSegment implements InvocationSegment {
  readonly children: FakeSegment[] = [];
  closed = false;
  constructor(readonly name: string) {}
  addNewSubsegment(name: string): FakeSegment {
    const child = new FakeSegment(name);
    this.children.push(child);
    return child;
  }
  close(): void {
    this.closed = true;
  }
}

function fakeTracer(root: FakeSegment) {
  let current: InvocationSegment = root;
  const calls: string[] = [];
  const tracer: InvocationTracer = {
    getSegment: () => current,
    setSegment: (segment) => {
      current = segment;
    },
    annotateColdStart: () => calls.push('coldStart'),
    addServiceNameAnnotation: () => calls.push('service'),
    addResponseAsMetadata: (data) => calls.push(`response:${JSON.stringify(data)}`),
    addErrorAsMetadata: (error) => calls.push(`error:${error.message}`),
  };
  return { tracer, calls, current: () => current };
}

describe('instrumented', () => {
  // Powertools keeps the cold-start flag per process (jest workers share it), so only its presence and its
  // value on a second invocation are asserted.
  it('gives the logger the Lambda context: request id and cold start in every line, per invocation', async () => {
    const logger = new Logger({ serviceName: 'eks-ecr-guard', logLevel: 'INFO' });
    const handler = instrumented(
      async (event: { id: string }) => {
        logger.appendKeys({ correlation_id: event.id });
        logger.info('decision');
        return 'ok';
      },
      { logger, name: 'eventHandler' },
    );
    const logs = captureLogs();
    try {
      await handler({ id: 'evt-1' }, context('req-1'));
      await handler({ id: 'evt-2' }, context('req-2'));
      logger.info('between invocations');
    } finally {
      logs.restore();
    }
    expect(logs.lines[0]).toMatchObject({
      message: 'decision',
      function_request_id: 'req-1',
      cold_start: expect.any(Boolean),
      function_name: 'eks-ecr-guard-event',
      correlation_id: 'evt-1',
    });
    expect(logs.lines[1]).toMatchObject({
      function_request_id: 'req-2',
      cold_start: false,
      correlation_id: 'evt-2',
    });
    // The correlation id of the last event does not stick to later lines.
    expect(logs.lines[2]).not.toHaveProperty('correlation_id');
  });

  it('runs the handler in its own subsegment, annotated, with the result as metadata, and restores the segment', async () => {
    const root = new FakeSegment('facade');
    const { tracer, calls, current } = fakeTracer(root);
    const handler = instrumented(async () => ({ outcomes: 1 }), { tracer, name: 'eventHandler' });
    await handler({}, context('req-1'));
    expect(root.children.map((child) => [child.name, child.closed])).toEqual([['## eventHandler', true]]);
    expect(calls).toEqual(['coldStart', 'service', 'response:{"outcomes":1}']);
    expect(current()).toBe(root);
  });

  it('records an error as metadata, closes the subsegment and rethrows', async () => {
    const root = new FakeSegment('facade');
    const { tracer, calls, current } = fakeTracer(root);
    const handler = instrumented(
      async () => {
        throw new Error('publish failed');
      },
      { tracer, name: 'sweepHandler' },
    );
    await expect(handler({}, context('req-1'))).rejects.toThrow('publish failed');
    expect(calls).toContain('error:publish failed');
    expect(root.children[0]?.closed).toBe(true);
    expect(current()).toBe(root);
  });
});
