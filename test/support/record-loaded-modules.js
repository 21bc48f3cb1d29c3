// Loaded with `node --require` by the module-loading test: when the process exits, it writes the path of every
// module it loaded (require's cache, which also holds the CommonJS modules that `import()` loaded) to
// LOADED_MODULES_FILE.
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache)));
});
