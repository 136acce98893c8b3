import type { Api, MethodName, Output } from '../../shared/api/index.ts';
import type { ParsedInputOf } from '../../shared/api/contract.ts';
import type { Ctx } from './context.ts';

/** A handler gets the validated input; the dispatcher has already checked the caller's roles. */
export type Handler<K extends MethodName> = (ctx: Ctx, input: ParsedInputOf<Api[K]>) => Output<K> | Promise<Output<K>>;
export type Handlers<Keys extends MethodName> = { [K in Keys]: Handler<K> };
