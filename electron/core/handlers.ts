import type { Api, MethodName, Output } from '../../shared/api/index.ts';
import type { ParsedInputOf } from '../../shared/api/contract.ts';
import type { Ctx } from './context.ts';
import type { ApiError } from '../../shared/errors.ts';

type In<K extends MethodName> = ParsedInputOf<Api[K]>;

/** A handler gets the validated input; the dispatcher has already checked the caller's roles. */
export type PlainHandler<K extends MethodName> = (ctx: Ctx, input: In<K>) => Output<K> | Promise<Output<K>>;

/**
 * A writing method that must first do asynchronous work (reading an .xlsx with exceljs) has two steps: `prepare`
 * runs before the transaction and must not write; `run` gets its result and runs synchronously inside the one
 * IMMEDIATE transaction, like every other write.
 */
export interface PreparedHandler<K extends MethodName, P> {
  prepare: (ctx: Ctx, input: In<K>) => Promise<P>;
  run: (ctx: Ctx, input: In<K>, prepared: P) => Output<K>;
}

// biome-ignore lint: the prepared value's type is private to each handler
export type Handler<K extends MethodName> = PlainHandler<K> | PreparedHandler<K, any>;
export type Handlers<Keys extends MethodName> = { [K in Keys]: Handler<K> };

export function prepared<K extends MethodName, P>(h: PreparedHandler<K, P>): PreparedHandler<K, P> {
  return h;
}

/**
 * Thrown by a writing handler whose writes must stand although the call is refused (a failed login is recorded and
 * audited): the dispatcher commits the transaction, then answers with `error`.
 */
export class RefusedAfterWrite extends Error {
  readonly error: ApiError;
  constructor(error: ApiError) {
    super(error.message);
    this.error = error;
  }
}
