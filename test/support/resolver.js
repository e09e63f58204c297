// jest's CommonJS runtime resolves with the `require` condition only; middy and jose publish `import` only.
module.exports = (path, options) => {
  if (/^(@middy\/|jose($|\/))/.test(path)) {
    return options.defaultResolver(path, { ...options, conditionNames: ['import', 'node', 'default'] });
  }
  return options.defaultResolver(path, options);
};
