import type { Writable } from 'node:stream';
import type { Backend } from '../core/backend.ts';
import type { LedgerLocation } from '../core/paths.ts';
import type { SessionInfo } from '../../shared/api/people.ts';
import type { ApiErrorShape } from '../../shared/errors.ts';

/** Exit codes every command keeps: scripts tell a rejected call from a mistyped command line. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** What a command gets: its words and flags, and the shared ways to open the ledger, log in and answer. */
export interface CliContext {
  io: CliIo;
  /** The words after the command name. */
  positionals: string[];
  /** A flag's value (globals --db, --data-dir, --user included); undefined when absent. */
  flag(name: string): string | undefined;
  has(name: string): boolean;
  /** A flag that must be present, else a usage error naming it. */
  requireFlag(name: string, label: string): string;
  location(): LedgerLocation;
  /**
   * Opens the ledger through openBackend (the dispatcher of the IPC path). `create: false` refuses a missing file
   * instead of creating an empty ledger. The backend is closed when the command ends.
   */
  open(opts?: { create?: boolean }): Promise<Backend>;
  /** Logs in as --user (or CANTEEN_USER) through auth.login, with CANTEEN_PASSWORD or a hidden prompt. */
  login(b: Backend): Promise<SessionInfo>;
  /** CANTEEN_PASSWORD, else a hidden prompt on a terminal, else a usage error. */
  password(prompt: string): Promise<string>;
  /** Writes a value as JSON on stdout (pretty unless `line`). */
  print(value: unknown, opts?: { line?: boolean }): Promise<void>;
  /** Prints a rejection as JSON on stdout and returns EXIT_REJECTED. */
  reject(error: ApiErrorShape): Promise<number>;
}

export interface CliCommand {
  name: string;
  /** One Chinese line for the usage text. */
  summary: string;
  /** How to call it, after `canteen`, e.g. `--db 文件 init --school 学校名称 --admin 用户名`. */
  usage: string;
  /** Flags taking a value that this command accepts besides the global --db, --data-dir, --user. */
  flags?: readonly string[];
  /** Flags without a value. */
  booleanFlags?: readonly string[];
  /** Value flags that may be given more than once (their values reach the command joined by commas). */
  repeatableFlags?: readonly string[];
  run(c: CliContext): Promise<number>;
}
