// seam-fuzz: `cacheLife` names another import, so the missing-cache-life fix imported a second
// `cacheLife` and added a call on every pass (never converging, and not a loadable module).
import { unstable_cacheDife as cacheLife, unstable_cacheTag as cacheTag } from 'next/cache';

export async function getReport(id: string) {
  'use cache';
  cacheTag(`report-${id}`);
  return { id };
}
