import type { InputOf, MethodDef, OutputOf } from './contract.ts';
import { appApi } from './app.ts';
import { auditApi } from './audit.ts';
import { feesApi } from './fees.ts';
import { importsApi } from './imports.ts';
import { masterdataApi } from './masterdata.ts';
import { peopleApi } from './people.ts';
import { receivingApi } from './receiving.ts';
import { storeroomApi } from './storeroom.ts';
import { monthcloseApi } from './monthclose.ts';
import { maintenanceApi } from './maintenance.ts';
import { openingApi } from './opening.ts';
import { foodsafetyApi } from './foodsafety.ts';
import { menusApi } from './menus.ts';

/** The whole API: every domain's declarations in one map. Adding a method is one entry in its domain file. */
export const api = {
  ...peopleApi,
  ...masterdataApi,
  ...importsApi,
  ...auditApi,
  ...appApi,
  ...feesApi,
  ...receivingApi,
  ...storeroomApi,
  ...monthcloseApi,
  ...maintenanceApi,
  ...openingApi,
  ...foodsafetyApi,
  ...menusApi,
} satisfies Record<string, MethodDef>;

export type Api = typeof api;
export type MethodName = keyof Api;
export type Input<K extends MethodName> = InputOf<Api[K]>;
export type Output<K extends MethodName> = OutputOf<Api[K]>;
