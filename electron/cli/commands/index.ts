import type { CliCommand } from '../command.ts';
import { backupCommand } from './backup.ts';
import { batchCommand } from './batch.ts';
import { closeMonthCommand } from './close-month.ts';
import { exportMonthCommand } from './export-month.ts';
import { callCommand } from './call.ts';
import { centreCommand } from './centre.ts';
import { checklistCommand } from './checklist.ts';
import { demoCommand } from './demo.ts';
import { initCommand } from './init.ts';
import { methodsCommand } from './methods.ts';
import { keyCommand, packageMonthCommand } from './package-month.ts';
import { restoreCommand } from './restore.ts';
import { verifyCommand } from './verify.ts';

/** The command table. A new command is a file in this folder exporting a CliCommand, plus its line here. */
export const COMMANDS: CliCommand[] = [
  initCommand,
  methodsCommand,
  callCommand,
  batchCommand,
  demoCommand,
  checklistCommand,
  closeMonthCommand,
  exportMonthCommand,
  keyCommand,
  packageMonthCommand,
  backupCommand,
  restoreCommand,
  verifyCommand,
  centreCommand,
];
