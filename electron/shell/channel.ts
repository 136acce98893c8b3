/**
 * The one IPC channel between the preload and the main process. Kept in a file of its own, free of imports, because
 * the sandboxed preload is bundled from it and may require nothing but 'electron'.
 */
export const INVOKE_CHANNEL = 'canteen:invoke';

/** The shell's native file dialogs (pick-path.ts): the renderer asks for a folder or a backup file, never a path it typed. */
export const PICK_PATH_CHANNEL = 'canteen:pick-path';

/**
 * What the renderer may ask to pick: a folder to back up into (a USB stick), a backup file to restore, or (the
 * centre, issue 18) the folder of schools' packages to import.
 */
export const PICK_PATH_KINDS = ['backupFolder', 'backupFile', 'packageFolder'] as const;
export type PickPathKind = (typeof PICK_PATH_KINDS)[number];

/** Open a file the app wrote (an export, a backup) or show it in its folder (open-path.ts). */
export const OPEN_PATH_CHANNEL = 'canteen:open-path';

/** 'open' hands the file to the system's program for it (shell.openPath); 'folder' shows it in the file manager. */
export const OPEN_PATH_ACTIONS = ['open', 'folder'] as const;
export type OpenPathAction = (typeof OPEN_PATH_ACTIONS)[number];
