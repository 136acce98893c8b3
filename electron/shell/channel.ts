/**
 * The one IPC channel between the preload and the main process. Kept in a file of its own, free of imports, because
 * the sandboxed preload is bundled from it and may require nothing but 'electron'.
 */
export const INVOKE_CHANNEL = 'canteen:invoke';
