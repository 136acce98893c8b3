import { api } from '../../../shared/api/index.ts';
import { z, type MethodDef } from '../../../shared/api/contract.ts';
import { ROLES, type Role } from '../../../shared/roles.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

export interface MethodListing {
  name: string;
  summary: string;
  /** As declared: a role list, 'any' (every logged-in user) or 'public' (no login needed). */
  access: readonly Role[] | 'any' | 'public';
  /** The roles that may call it (all roles for 'any' and 'public'). */
  roles: Role[];
  loginRequired: boolean;
  writes: boolean;
  /** JSON Schema (2020-12) of the input as a caller writes it (defaults may be left out). */
  input: unknown;
}

/** The contract as JSON, for scripts and for people reading what the CLI can do. */
export function listMethods(): MethodListing[] {
  return Object.entries(api as Record<string, MethodDef>)
    .map(([name, def]) => ({
      name,
      summary: def.summary,
      access: def.access,
      roles: typeof def.access === 'string' ? [...ROLES] : [...def.access],
      loginRequired: def.access !== 'public',
      writes: def.writes,
      // Refinements (credit-code check digits, real dates) have no JSON Schema form; the dispatcher still applies them.
      input: z.toJSONSchema(def.input, { io: 'input', unrepresentable: 'any' }),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const methodsCommand: CliCommand = {
  name: 'methods',
  summary: '列出全部 API 功能：名称、说明、允许的角色、是否写入、输入的 JSON Schema',
  usage: '[--db 账本文件] methods',
  async run(c) {
    await c.print(listMethods());
    return EXIT_OK;
  },
};
