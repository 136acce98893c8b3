import { z } from 'zod';
import type { Access } from '../roles.ts';

z.config(z.locales.zhCN());

/**
 * One declaration per API method: its input schema, who may call it, whether it writes, and (as a phantom type)
 * what it returns. IPC, the CLI and tests all go through the same dispatcher that reads these declarations.
 */
export interface MethodDef<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  access: Access;
  /** Writing methods run in one IMMEDIATE transaction and are refused in read-only contexts. */
  writes: boolean;
  summary: string;
  /** Never set at run time: carries the output type for `Output<M>`. */
  readonly _output?: O;
}

export function method<O>() {
  return <I extends z.ZodType>(def: { input: I; access: Access; writes: boolean; summary: string }): MethodDef<I, O> => def;
}

export type InputOf<M> = M extends MethodDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<M> = M extends MethodDef<infer I, unknown> ? z.output<I> : never;
export type OutputOf<M> = M extends MethodDef<z.ZodType, infer O> ? O : never;

export { z };
