// The figures each issue names, with their targets, so the bench report says which are met.

export interface Target {
  /** What the figure is, for the table. */
  what: string;
  unit: string;
  /** A test of the measured value (with all figures of the same run, for ratios); absent: reported only. */
  met?: (value: number, all: Record<string, number>) => boolean;
  goal?: string;
}

export const TARGETS: Record<string, Target> = {
  eval_roundtrip_p50_ms: { what: '`1+1` round trip, docker, p50', unit: 'ms', goal: '≤ 0.5 and ≥ 8× faster than ipykernel', met: (v, a) => v <= 0.5 && a.ipykernel_roundtrip_p50_ms / v >= 8 },
  eval_roundtrip_p99_ms: { what: '`1+1` round trip, docker, p99', unit: 'ms' },
  local_eval_roundtrip_p50_ms: { what: '`1+1` round trip, local backend, p50', unit: 'ms' },
  local_eval_roundtrip_p99_ms: { what: '`1+1` round trip, local backend, p99', unit: 'ms' },
  ipykernel_roundtrip_p50_ms: { what: 'peer: ipykernel execute `1+1` via jupyter_client, same image, p50', unit: 'ms' },
  ipykernel_roundtrip_p99_ms: { what: 'peer: ipykernel execute `1+1`, p99', unit: 'ms' },
  roundtrip_speedup_vs_ipykernel: { what: 'ipykernel p50 / pydock p50', unit: '×', goal: '≥ 8', met: (v) => v >= 8 },
  cold_start_ms: { what: 'container create to first result', unit: 'ms', goal: '≤ 500 and ≤ 35% of ipykernel ready', met: (v, a) => v <= 500 && v / a.ipykernel_ready_ms <= 0.35 },
  ipykernel_ready_ms: { what: 'peer: ipykernel container create to kernel ready', unit: 'ms' },
  cold_start_fraction_of_ipykernel_ready: { what: 'cold start / ipykernel ready', unit: '', goal: '≤ 0.35', met: (v) => v <= 0.35 },
  stream_mb_per_s: { what: '100 MB of bytes returned', unit: 'MB/s', goal: '≥ 100', met: (v) => v >= 100 },
  marshal_float64_mb_per_s: { what: '10M float64 array, the slower direction', unit: 'MB/s', goal: '≥ 100', met: (v) => v >= 100 },
  marshal_float64_to_python_mb_per_s: { what: 'define a 10M float64 Matrix (becomes an ndarray)', unit: 'MB/s' },
  marshal_float64_from_python_mb_per_s: { what: 'eval a 10M float64 ndarray (arrives as a Matrix)', unit: 'MB/s' },
  marshal_records_per_s: { what: 'a list of 100k small dicts, the slower direction', unit: 'records/s' },
  marshal_records_to_python_per_s: { what: 'define a list of 100k small dicts', unit: 'records/s' },
  marshal_records_from_python_per_s: { what: 'eval a list of 100k small dicts', unit: 'records/s' },
  pool_map_overhead_ms: { what: 'pool.map, 4 workers, `lambda x: x`: wall time per item', unit: 'ms' },
  table_rows: { what: 'rows of the 10-column mixed-dtype bench frame', unit: '' },
  table_first_page_ms: { what: 'table.open to the first 100 x 10 page, p50', unit: 'ms', goal: '≤ 10', met: (v) => v <= 10 },
  table_page_p50_ms: { what: 'random 100-row page of all 10 columns, p50', unit: 'ms' },
  table_page_p95_ms: { what: 'random 100-row page of all 10 columns, p95', unit: 'ms', goal: '≤ 5', met: (v) => v <= 5 },
  table_sort_ms: { what: 'table.sort on one float column', unit: 'ms', goal: '≤ 2500 and ≤ 1.2× numpy argsort', met: (v, a) => v <= 2500 && v <= 1.2 * a.numpy_argsort_ms },
  numpy_argsort_ms: { what: 'peer: `np.argsort(kind="stable")` of the same column, timed in the agent', unit: 'ms' },
  table_sort_vs_numpy_argsort: { what: 'table.sort / numpy argsort', unit: '×', goal: '≤ 1.2', met: (v) => v <= 1.2 },
  table_filter_ms: { what: 'table.filter: a numeric compare on one column', unit: 'ms', goal: '≤ 200', met: (v) => v <= 200 },
  table_profile_ms: { what: 'table.profile of one float column', unit: 'ms', goal: '≤ 1000', met: (v) => v <= 1000 },
  table_host_rss_mb: { what: 'RSS growth of the node process over 3,000 random pages', unit: 'MB', goal: '≤ 50', met: (v) => v <= 50 },
  jupyter_viewer_ms: { what: 'peer: `df.to_json(orient="table")`, what Jupyter\'s Data Viewer does, timed in the agent', unit: 'ms' },
  table_first_page_speedup_vs_jupyter: { what: 'jupyter_viewer_ms / table_first_page_ms', unit: '×', goal: '≥ 1000', met: (v) => v >= 1000 },
  stream_latency_ms: { what: 'a printed line, from the agent writing it to the panel DOM, p50', unit: 'ms', goal: '≤ 30', met: (v) => v <= 30 },
  panel_100mb_print_ms: { what: '100 MB printed, run start to the entry done in the panel', unit: 'ms' },
  panel_100mb_max_block_ms: { what: 'longest main-thread task of the panel while it streams 100 MB', unit: 'ms', goal: '≤ 100', met: (v) => v <= 100 },
  runs_10k_transcript_ms: { what: 'a 10,000-entry transcript, message to first frame with the newest entry', unit: 'ms' },
  runs_10k_scroll_max_block_ms: { what: 'longest main-thread task while scrolling that transcript', unit: 'ms', goal: '≤ 100', met: (v) => v <= 100 },
  env_cached_start_ms: { what: 'start from an already built derived image, create to first result, p50', unit: 'ms', goal: '≤ 1.2× plain start', met: (v, a) => v <= 1.2 * a.env_plain_start_ms },
  env_plain_start_ms: { what: 'the same start from the plain base image, same run', unit: 'ms' },
  env_cached_start_ratio: { what: 'cached derived / plain start', unit: '×', goal: '≤ 1.2', met: (v) => v <= 1.2 },
  first_run_pull_ms: { what: 'first run with the image missing: pulled from a local registry, started, `1+1` answered', unit: 'ms', goal: '≤ 1.2× docker pull', met: (v, a) => v <= 1.2 * a.docker_pull_ms },
  docker_pull_ms: { what: 'peer: `docker pull` of the same image alone, same run', unit: 'ms' },
  first_run_pull_ratio: { what: 'first run with the pull / docker pull', unit: '×', goal: '≤ 1.2', met: (v) => v <= 1.2 },
  reattach_ms: { what: 'detach as a window reload does, a new Session reattaches, to the result of `1+1`', unit: 'ms', goal: '≤ 200', met: (v) => v <= 200 },
  prewarm_start_ms: { what: 'start with a warm agent ready, to the result of `1+1`', unit: 'ms', goal: '≤ 50', met: (v) => v <= 50 },
  reattached_eval_roundtrip_p50_ms: { what: '`1+1` round trip on a reattached agent, p50', unit: 'ms', goal: '≤ 1.2× eval_roundtrip_p50_ms', met: (v, a) => v <= 1.2 * a.eval_roundtrip_p50_ms },
  debug_cell_stop_ms: { what: 'Debug Cell on a running session to the stopped event at a breakpoint on the cell\'s second line, after the first, p50', unit: 'ms', goal: '≤ 1500', met: (v) => v <= 1500 },
  debug_cell_stop_first_ms: { what: 'the same, the first time in an agent: debugpy imported and listening (its adapter process started); reported', unit: 'ms' },
  soak_evals: { what: 'mixed requests answered by one session: evals, prints, defines, table pages, variables', unit: '', goal: '≥ 100,000', met: (v) => v >= 100_000 },
  soak_host_rss_growth_mb: { what: 'RSS growth of the node process from the first tenth of the soak to its end', unit: 'MB', goal: '≤ 20', met: (v) => v <= 20 },
  soak_agent_rss_growth_mb: { what: 'VmRSS growth of the agent (its /proc/self/status) over the same span', unit: 'MB', goal: '≤ 20', met: (v) => v <= 20 },
  soak_start_roundtrip_p50_ms: { what: 'small eval round trip in the soak\'s first tenth, p50', unit: 'ms' },
  soak_start_roundtrip_p99_ms: { what: 'small eval round trip in the soak\'s first tenth, p99', unit: 'ms' },
  soak_end_roundtrip_p50_ms: { what: 'small eval round trip in the soak\'s last tenth, p50', unit: 'ms' },
  soak_end_roundtrip_p99_ms: { what: 'small eval round trip in the soak\'s last tenth, p99', unit: 'ms' },
  concurrent_sessions: { what: 'sessions started at once that answered 100 runs each, every answer and line in order', unit: '', goal: '≥ 20 of 20', met: (v) => v >= 20 },
  concurrent_sessions_wall_ms: { what: 'those 20 sessions, from the start of all to the last answer', unit: 'ms' },
};
