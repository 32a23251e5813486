// How the table writes numbers, and a figure that could not be measured.

/** A whole number with thousands separators; '-' when not finite. */
export const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');

/** Two decimals; '-' when not finite. */
export const ratio = (n) => (Number.isFinite(n) ? n.toFixed(2) : '-');

/** Bytes, in B, KiB or MiB. */
export const bytes = (n) => (Math.abs(n) >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : Math.abs(n) >= 1024 ? `${(n / 1024).toFixed(2)} KiB` : `${Math.round(n)} B`);

/** A median with the min–max of its rounds: '0.93 (0.90–0.97)'. */
export const spread = (s) => (s ? `${ratio(s.median)} (${ratio(s.min)}–${ratio(s.max)})` : '-');

/** 'error: …' or 'skipped: …' for a result that holds one; undefined for a measured one. */
export const failed = (r) => (r?.error ? `error: ${r.error.split('\n')[0].slice(0, 60)}` : r?.skipped ? `skipped: ${r.skipped}` : undefined);
