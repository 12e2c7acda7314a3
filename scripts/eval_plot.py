"""The chart of `make eval`, after Figure 5 of Agile Paging (Gandhi et al.):
per workload, each mode's translation overhead as a share of the program's
own cycles, stacked as page walks and VMM interventions; without walk
caches on the left, with them on the right.

Usage: python eval_plot.py RESULTS.jsonl OUT.png
RESULTS.jsonl: the lines of `nestwalk sim --json`, every workload.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MODES = ["native", "nested", "shadow", "agile", "vmm-direct", "dual-direct", "dmt", "pvdmt"]


def main(src, dst):
    rows = [json.loads(line) for line in open(src) if line.strip()]
    workloads = list(dict.fromkeys(r["workload"] for r in rows))
    modes = [m for m in MODES if any(r["mode"] == m for r in rows)]
    by = {(r["workload"], r["mode"], r["wc"]): r for r in rows}
    fig, axes = plt.subplots(1, 2, figsize=(15, 4.8), sharey=True)
    width = 0.8 / len(modes)
    colours = plt.get_cmap("tab10")
    for wc, ax in enumerate(axes):
        for k, mode in enumerate(modes):
            xs, walk, vmm = [], [], []
            for i, w in enumerate(workloads):
                r = by.get((w, mode, wc))
                if not r:
                    continue
                base = r["base_cycles_per_k"] or 1.0
                xs.append(i + (k - (len(modes) - 1) / 2) * width)
                walk.append(100.0 * r["walk_cycles_per_k"] / base)
                vmm.append(100.0 * r["vmm_cycles_per_k"] / base)
            ax.bar(xs, walk, width, color=colours(k), label=mode)
            ax.bar(xs, vmm, width, bottom=walk, color=colours(k), hatch="///",
                   edgecolor="black", linewidth=0.3)
        ax.set_xticks(range(len(workloads)))
        ax.set_xticklabels(workloads)
        ax.set_title("with walk caches" if wc else "without walk caches")
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("translation overhead, % of the program's cycles")
    handles, labels = axes[0].get_legend_handles_labels()
    handles.append(matplotlib.patches.Patch(facecolor="white", edgecolor="black", hatch="///"))
    labels.append("VMM interventions (hatched)")
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
