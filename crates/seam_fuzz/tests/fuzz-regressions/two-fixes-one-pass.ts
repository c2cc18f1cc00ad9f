// seam-fuzz (hostile-repositories review): two findings fixed in one pass, one of whose fixes
// waited for the next pass. Counting the waiting fix as one that did not resolve its finding
// dropped it in the first run and applied it in the second: --fix was not idempotent.
'use server';

import { revalidateTag } from 'next/cache';
import { redirect } from 'next/navigation';

export async function refreshReport(id: string) {
  revalidateTag(`report-${id}`);
  try {
    await fetch(`https://example.com/reports/${id}`, { method: 'POST' });
    redirect(`/reports/${id}`);
  } catch (e) {
    console.error(e);
  }
  return { ok: false };
}
