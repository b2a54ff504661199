// bench/rss-hook: preloaded with `node --import` when /usr/bin/time is not
// there; writes the process's peak RSS (KiB) to $BENCH_RSS_FILE at exit.
import fs from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
