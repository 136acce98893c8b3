import type { MethodName } from '../../shared/api/index.ts';
import type { Handlers } from './handlers.ts';
import { appHandlers } from './domains/app.ts';
import { auditHandlers } from './domains/audit.ts';
import { feesHandlers } from './domains/fees.ts';
import { importsHandlers } from './domains/imports.ts';
import { masterdataHandlers } from './domains/masterdata.ts';
import { peopleHandlers } from './domains/people.ts';
import { receivingHandlers } from './domains/receiving.ts';
import { storeroomHandlers } from './domains/storeroom.ts';
import { monthcloseHandlers } from './domains/monthclose.ts';
import { maintenanceHandlers } from './domains/maintenance.ts';
import { openingHandlers } from './domains/opening.ts';

/** Every method of the contract has exactly one handler; the type makes a missing one a compile error. */
export const allHandlers: Handlers<MethodName> = {
  ...peopleHandlers,
  ...masterdataHandlers,
  ...importsHandlers,
  ...auditHandlers,
  ...appHandlers,
  ...feesHandlers,
  ...receivingHandlers,
  ...storeroomHandlers,
  ...monthcloseHandlers,
  ...maintenanceHandlers,
  ...openingHandlers,
};
