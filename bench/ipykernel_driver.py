"""Drives Debian's ipykernel the usual way (jupyter_client) inside the bench image; prints JSON timings."""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

runs = int(sys.argv[1])
manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60)
print(json.dumps({"event": "ready"}), flush=True)


def execute(code):
    msg_id = client.execute(code, store_history=False)
    while True:  # the result is complete when the kernel goes idle for this request
        msg = client.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    client.get_shell_msg(timeout=30)


for _ in range(200):
    execute("1+1")
samples = []
for _ in range(runs):
    start = time.perf_counter()
    execute("1+1")
    samples.append((time.perf_counter() - start) * 1000)
print(json.dumps({"event": "done", "samples": samples}), flush=True)
client.stop_channels()
manager.shutdown_kernel(now=True)
