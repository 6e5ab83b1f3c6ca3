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
};
