#!/usr/bin/env node
// The `outloud` command. The CLI itself is TypeScript (./main.ts), which Node 22 runs by stripping
// types; an older Node cannot load it, so say so in one line instead of a stack trace.
const [major, minor] = process.versions.node.split('.').map(Number);
const canStripTypes = Boolean(process.features && process.features.typescript);
if (major < 22 || (major === 22 && minor < 12) || !canStripTypes) {
  process.stderr.write(
    `outloud: Node 22 (22.18 or newer) is needed, this is Node ${process.versions.node}; the repository pins it: use \`npm run outloud -- <args>\`\n`,
  );
  process.exit(1);
}
const { main } = await import('./main.ts');
await main();
