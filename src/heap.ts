// heap: a scan's live data only grows (the whole repository's model), and
// parsing leaves a lot of short-lived garbage behind. V8's default lets the
// heap grow to several times what is live before it collects the old
// generation, which is right for a server and costs a batch scan hundreds of
// megabytes it never needed (bench/RESULTS.md, large corpus: peak RSS about
// 460 MB with the defaults, about 400 MB with this). Collecting once the heap
// has grown 20 % past what was live costs some time, about 10 % on the large
// corpus: within the speed targets by far.
import v8 from 'node:v8';

/** How far the heap grows past what the last full collection kept, before the next one (V8's --heap-growing-percent). */
export const HEAP_GROWING_PERCENT = 20;

/** Sets the scan's garbage-collection policy, for this process and the parse workers it starts. Entry points only: a library user's process keeps its own. */
export function tuneHeapForScan(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
