#!/usr/bin/env node
// The `canteen` command: the same API and the same checks as the app, from a terminal or a script.
// Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
import { main } from '../electron/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
