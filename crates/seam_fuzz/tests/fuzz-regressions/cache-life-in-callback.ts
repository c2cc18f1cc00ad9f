// seam-fuzz (hostile-repositories review): a 'use cache' callback passed to `map`. Its
// missing-cache-life fix never resolved the finding, so every run inserted ten more
// `cacheLife('default')` calls. A fix whose finding survives it is now dropped.
export function all(xs: number[]) {
  return xs.map((x) => {
    'use cache'
    return x
  })
}
