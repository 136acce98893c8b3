#!/usr/bin/env node
// The `canteen` command: the same API and the same checks as the app, from a terminal or a script.
// Node 24 runs the TypeScript sources directly (type stripping), so there is no build step. The sources are loaded
// after the version check, so an older Node says what is wrong instead of failing on a .ts import.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `canteen 需要 Node.js 24 或更高版本（当前 ${process.version}）。请在项目目录中用 npx canteen …（使用项目自带的 Node 24）运行。\n`,
  );
  process.exit(2);
}
// `canteen methods | head` closes the pipe early: stop quietly, as Unix tools do, instead of a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
