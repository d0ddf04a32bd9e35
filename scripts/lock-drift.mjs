/**
 * @module lock-drift
 * Whether `functions/package-lock.json` still says what the functions ship: the dependencies of
 * functions/package.json, at exactly the versions the root lockfile installs for the functions
 * (which `npm test` ran). Pure: three parsed JSON documents in, a list of differences out.
 */

/** Where the root lock says `path` (a path inside the functions' own tree) resolves from functions/. */
const rootEntry = (rootLock, path) => rootLock.packages[`functions/${path}`] ?? rootLock.packages[path];

/**
 * Every way `functionsLock` departs from `manifest` and `rootLock`; empty when it is in sync.
 * @example lockDrift(functionsLock, manifest, rootLock) // ["node_modules/zod: 4.1.0 here, 4.2.1 in the root lock"]
 */
export function lockDrift(functionsLock, manifest, rootLock) {
  const drift = [];
  const root = functionsLock.packages?.[""] ?? {};
  for (const field of ["dependencies", "devDependencies"]) {
    if (JSON.stringify(root[field] ?? {}) !== JSON.stringify(manifest[field] ?? {})) drift.push(`${field} differ from functions/package.json`);
  }
  for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (!functionsLock.packages?.[`node_modules/${name}`]) drift.push(`${name} (${range}) is missing`);
  }
  for (const [path, entry] of Object.entries(functionsLock.packages ?? {})) {
    if (path === "") continue;
    const tested = rootEntry(rootLock, path);
    if (!tested) drift.push(`${path}: ${entry.version} here, absent from the root lock`);
    else if (tested.version !== entry.version) drift.push(`${path}: ${entry.version} here, ${tested.version} in the root lock`);
  }
  return drift;
}
