# pydock demo: run each cell with "Run Cell" above it, or select a line and run "pydock: Run Selection or Line".

# %% A print, streamed while the cell runs
import time

for step in range(3):
    print(f"step {step}", flush=True)
    time.sleep(0.3)
print(6 * 7)

# %% A plot, shown as an image in the session panel
import matplotlib.pyplot as plt

xs = [x / 10 for x in range(100)]
plt.plot(xs, [x * x for x in xs], label="x²")
plt.legend()
plt.show()

# %% A DataFrame: open it in the table viewer from the panel
import numpy as np
import pandas as pd

df = pd.DataFrame({
    "city": np.random.default_rng(0).choice(["Oslo", "Lima", "Pune", "Kyiv"], 1_000_000),
    "temperature": np.random.default_rng(1).normal(15, 8, 1_000_000).round(2),
    "when": pd.date_range("2024-01-01", periods=1_000_000, freq="min", tz="Europe/Oslo"),
})
df
