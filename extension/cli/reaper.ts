// A detached process a closing window leaves behind: `node reaper.js '{"containers": [...], "graceMs": 30000}'`.
import { reapDetached, type ReapRequest } from '../engine/docker/reaper';

reapDetached(JSON.parse(process.argv[2] ?? '{}') as ReapRequest).then(
  () => process.exit(0),
  () => process.exit(1), // nothing to report to: the agent's own grace period is the backstop
);
