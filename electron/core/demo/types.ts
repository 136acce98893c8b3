import type { Backend } from '../backend.ts';
import type { Input, MethodName, Output } from '../../../shared/api/index.ts';
import type { Ingredient, Supplier } from '../../../shared/api/masterdata.ts';
import type { Role } from '../../../shared/roles.ts';

export interface DemoAccount {
  username: string;
  password: string;
  roles: Role[];
  displayName: string;
}

/** What every seed step shares: the backend, the API as a throwing call, who is logged in, and what earlier steps made. */
export interface DemoContext {
  backend: Backend;
  /** Invokes through the dispatcher (same validation, roles and audit as the app); a rejection aborts the seed. */
  call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>>;
  /** Logs in as one of the demo accounts (made by the people step). */
  loginAs(username: string): Promise<void>;
  /** The school's date today (China time) by the backend's clock; demo dates are relative to it. */
  today: string;
  schoolName: string;
  accounts: DemoAccount[];
  /** Created records by name, for later steps (deliveries, fees) to refer to. */
  suppliers: Map<string, Supplier>;
  ingredients: Map<string, Ingredient>;
}

/** One piece of the demo. Later issues append steps (a month of deliveries, fees, a closed month) to DEMO_STEPS. */
export interface DemoStep {
  name: string;
  run(d: DemoContext): Promise<void>;
}
