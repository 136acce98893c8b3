import type { ApiResult } from '../../shared/errors.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (and by the e2e harness): the one door to the backend. */
    canteen: {
      invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
    };
  }
}

export {};
