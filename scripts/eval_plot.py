"""The chart of `make eval`, after Figure 5 of Agile Paging (Gandhi et al.):
per workload, each mode's translation overhead as a share of the program's
own cycles, stacked as page walks and VMM interventions; without walk
caches on the left, with them on the right. Beside the chart, OUT.md: the
same figures as Markdown tables (the README's).

Usage: python eval_plot.py RESULTS.jsonl OUT.png
RESULTS.jsonl: the lines of `nestwalk sim --json`, every workload.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MODES = ["native", "nested", "shadow", "agile", "vmm-direct", "dual-direct", "dmt", "pvdmt"]


def tables(workloads, modes, by):
    """Reads per miss (without / with walk caches), and the overhead in % of
    the program's cycles (page walks + VMM interventions, without walk
    caches), one row a workload."""
    head = "| workload | misses/1k | " + " | ".join(modes) + " |"
    rule = "| --- | ---: | " + " | ".join("---:" for _ in modes) + " |"
    out = ["Reads per TLB miss, without / with walk caches:", "", head, rule]
    for w in workloads:
        r0 = by[(w, modes[0], 0)]
        cells = ["%.2f / %.2f" % (by[(w, m, 0)]["reads_per_miss"], by[(w, m, 1)]["reads_per_miss"])
                 for m in modes]
        out.append("| %s | %.3f | %s |" % (w, r0["misses_per_k"], " | ".join(cells)))
    out += ["", "Translation overhead, % of the program's cycles (page walks + VMM "
            "interventions), without / with walk caches:", "", head, rule]
    for w in workloads:
        cells = []
        for m in modes:
            part = []
            for wc in (0, 1):
                r = by[(w, m, wc)]
                walk = 100.0 * r["walk_cycles_per_k"] / r["base_cycles_per_k"]
                vmm = 100.0 * r["vmm_cycles_per_k"] / r["base_cycles_per_k"]
                part.append("%.1f + %.1f" % (walk, vmm) if vmm else "%.1f" % walk)
            cells.append(" / ".join(part))
        out.append("| %s | %.3f | %s |" % (w, by[(w, modes[0], 0)]["misses_per_k"],
                                          " | ".join(cells)))
    return "\n".join(out) + "\n"


def main(src, dst):
    rows = [json.loads(line) for line in open(src) if line.strip()]
    workloads = list(dict.fromkeys(r["workload"] for r in rows))
    modes = [m for m in MODES if any(r["mode"] == m for r in rows)]
    by = {(r["workload"], r["mode"], r["wc"]): r for r in rows}
    with open(dst.rsplit(".", 1)[0] + ".md", "w") as f:
        f.write(tables(workloads, modes, by))
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
