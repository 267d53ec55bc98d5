import {
  describeZodError,
  eventContract,
  fail,
  invokeContract,
  type EventMethod,
  type IpcHandlers,
  type PayloadOf,
  type Result,
} from '../../../shared/ipc/index.ts';
import type { Logger } from '../../../shared/log/index.ts';
import { isTrustedSender, originOf, type IpcSender } from '../security/origins.ts';
import { isCheckedWith } from '../services/checked-answers.ts';

export interface IpcDispatcher {
  /** The channels to listen on, one per operation of the contract. */
  readonly channels: readonly string[];
  /**
   * Runs one call: refuses a foreign sender, parses the input from `unknown`, runs the
   * handler and answers with a `Result`. Never throws; a handler's bug becomes `internal`.
   */
  dispatch(channel: string, input: unknown, sender: IpcSender): Promise<Result<unknown>>;
}

export interface DispatcherOptions {
  handlers: IpcHandlers;
  /** `scheme://host[:port]` values our own pages are served from. */
  trustedOrigins: readonly string[];
  logger: Logger;
}

type AnyHandler = (input: unknown) => Promise<Result<unknown>>;

/**
 * The one place calls from a renderer are checked. Both the Electron adapter (`register.ts`)
 * and the Chromium test host serve this same dispatcher, so the renderer cannot tell them apart.
 */
export function createIpcDispatcher(options: DispatcherOptions): IpcDispatcher {
  const { handlers, trustedOrigins, logger } = options;
  const byChannel = new Map(
    Object.entries(invokeContract).map(([method, spec]) => [
      spec.channel as string,
      { method, spec, handler: handlers[method as keyof IpcHandlers] as AnyHandler },
    ]),
  );

  return {
    channels: [...byChannel.keys()],
    async dispatch(channel, input, sender) {
      if (!isTrustedSender(sender, trustedOrigins)) {
        logger.warn('ipc call refused: foreign sender', {
          channel,
          origin: originOf(sender.frameUrl) ?? 'none',
        });
        return fail('forbidden', 'This window is not allowed to call PassDesk.');
      }
      const entry = byChannel.get(channel);
      if (entry === undefined)
        return fail('unknown-operation', `There is no operation "${channel}".`);
      const parsed = entry.spec.input.safeParse(input);
      if (!parsed.success) {
        return fail(
          'invalid-input',
          `Invalid input for ${channel}: ${describeZodError(parsed.error)}`,
        );
      }
      try {
        const result = await entry.handler(parsed.data);
        if (!result.ok) return result;
        // An answer the provisioning client parsed with this same schema is not parsed again.
        const output = isCheckedWith(result.data, entry.spec.output)
          ? { success: true as const, data: result.data }
          : entry.spec.output.safeParse(result.data);
        if (output.success) return { ok: true, data: output.data };
        logger.error('ipc handler returned data outside the contract', {
          channel,
          problem: describeZodError(output.error),
        });
        return fail('internal', 'PassDesk hit an internal error; the details are in its log.');
      } catch (error) {
        logger.error('ipc handler failed', { channel, error });
        return fail('internal', 'PassDesk hit an internal error; the details are in its log.');
      }
    },
  };
}

/** Where main → renderer events go: every window of ours, or a test host's page. */
export type EventSink = (channel: string, payload: unknown) => void;

export interface EventPublisher {
  /** Parses the payload with the event's schema (dropping unknown fields), then sends it. */
  publish<E extends EventMethod>(event: E, payload: PayloadOf<E>): void;
}

export function createEventPublisher(sink: EventSink): EventPublisher {
  return {
    publish(event, payload) {
      const spec = eventContract[event];
      sink(spec.channel, spec.payload.parse(payload));
    },
  };
}
