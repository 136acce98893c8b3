import type { MethodName } from '../../shared/api/index.ts';
import type { Handlers } from './handlers.ts';
import { appHandlers } from './domains/app/index.ts';
import { auditHandlers } from './domains/audit/index.ts';
import { feesHandlers } from './domains/fees/index.ts';
import { importsHandlers } from './domains/imports/index.ts';
import { masterdataHandlers } from './domains/masterdata/index.ts';
import { peopleHandlers } from './domains/people/index.ts';
import { receivingHandlers } from './domains/receiving/index.ts';
import { storeroomHandlers } from './domains/storeroom/index.ts';
import { monthcloseHandlers } from './domains/monthclose/index.ts';
import { previewHandlers } from './domains/monthclose/preview.ts';
import { maintenanceHandlers } from './domains/maintenance/index.ts';
import { openingHandlers } from './domains/opening/index.ts';
import { foodsafetyHandlers } from './domains/foodsafety/index.ts';
import { menusHandlers } from './domains/menus/index.ts';

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
  ...previewHandlers,
  ...maintenanceHandlers,
  ...openingHandlers,
  ...foodsafetyHandlers,
  ...menusHandlers,
};
