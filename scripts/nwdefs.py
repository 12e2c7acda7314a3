"""Reads defs/nestwalk.toml, the one source of the project's shared facts,
for the generators and the flows (synthesis, formal, reports).

    import nwdefs
    D = nwdefs.load()
    D.params("full")   -> {"ENABLE_VIRT": 1, ...}
    D.mask("nofilt")   -> 0x0b (the model's feature mask)
"""
import os
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, "defs", "nestwalk.toml")


class Defs:
    def __init__(self, data):
        self.data = data
        self.features = data["feature"]
        self.configs = data["config"]
        self.flows = data["flows"]
        names = {f["name"] for f in self.features}
        for c, v in self.configs.items():
            for f in v["features"]:
                if f not in names:
                    raise ValueError("defs: configuration %s names unknown feature %s" % (c, f))

    def params(self, config):
        """The RTL parameters of a configuration, in the table's order."""
        on = set(self.configs[config]["features"])
        return {f["param"]: int(f["name"] in on) for f in self.features}

    def mask(self, config):
        on = set(self.configs[config]["features"])
        return sum(1 << f["bit"] for f in self.features if f["name"] in on)

    def label(self, config):
        return self.configs[config]["label"]


def load(path=PATH):
    with open(path, "rb") as f:
        return Defs(tomllib.load(f))
