// What the bundles' stand-ins for Node builtins share (http-on-first-use.cjs, assert-on-failure.cjs): `target` gets
// each of `names` as a property that reads and writes through to the builtin `id`, which is loaded at the first such
// access. Configurable, because patchers redefine some of them (the X-Ray SDK's HTTP capture: `request` and `get`).
'use strict';

module.exports = (target, id, names) => {
  let builtin;
  // Not require(): the bundler would resolve the name to the stand-in again.
  const real = () => (builtin ??= process.getBuiltinModule(id));
  for (const name of names) {
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get: () => real()[name],
      set: (value) => {
        real()[name] = value;
      },
    });
  }
  return real;
};
