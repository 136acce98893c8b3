import type { ApiResult } from '../../shared/errors.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (and by the e2e harness): the one door to the backend. */
    canteen: {
      invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
      /** The shell's native folder/file dialog (Electron only; absent in a browser, where paths are typed). */
      pickPath?(kind: 'backupFolder' | 'backupFile' | 'packageFolder'): Promise<ApiResult<string | null>>;
    };
  }
}

export {};
