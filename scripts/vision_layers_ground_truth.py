#!/usr/bin/env python3
"""Ground truth for heft's per-layer tables and activation memory of torchvision models and torch.nn specs.

Runs the real libraries on CPU and writes one JSON file (versions inside) that heft's tests read:

  heft-core/src/test/resources/dev/heft/core/arch/vision/torchvision-layers.json

For every model (weights=None, eval mode, torch.no_grad(), float32, one forward pass at the input shape):

* ``torchinfo``: ``torchinfo.summary(model, input_size, depth=inf, verbose=0)`` (torchinfo 1.8.0): one row per
  module call in execution order, as its forward hooks record them (``summary_list``), with the row's depth,
  class, variable name, output shape, ``num_params`` (the module's whole subtree), the parameters it owns directly,
  ``output_bytes`` (element size x output elements; for a tuple output, its first tensor) and ``macs`` (torchinfo's
  Mult-Adds for leaf rows), plus torchinfo's totals (``total_params``, ``total_mult_adds``,
  ``total_output_bytes`` = 2 x output bytes of leaf layers with parameters, ``total_input``).
* ``flops_by_module``: ``torch.utils.flop_counter.FlopCounterMode`` per-module totals (``get_flop_counts()``:
  each module's FLOPs including its children; ``Global`` is the whole pass).
* ``activation_peak_bytes``: the peak, over the forward pass, of the bytes of tensor storages created during the
  pass that are still alive, measured with a ``TorchDispatchMode`` that sees every aten op's outputs. A storage
  counts once, from the op that allocates it until the last Python tensor referring to it is gone (a view or an
  in-place op adds nothing). Parameters, buffers and the input are not counted; the output is. What kernels
  allocate and free inside one op (workspaces) is not visible at this level and not counted. Measured at batch 1
  and batch 2.

torchvision's wheel here is a CUDA build whose C++ ops library cannot load next to torch's CPU build; the
classification models do not use those ops, so the two op schemas its fake-tensor registrations expect are
declared before importing it (``_declare_torchvision_ops``).

For the layer specs in SPECS (heft's spec format, built here as the nn.Sequential they describe) the same torchinfo
rows, FlopCounterMode counts and activation peak are written under "specs".

Usage: python scripts/vision_layers_ground_truth.py [OUTPUT]   (about 15 minutes on 2 cores;
HEFT_SPECS_ONLY=1 refreshes only the "specs" section of an existing OUTPUT)
"""
import json
import math
import os
import sys
import weakref
from pathlib import Path

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten
from torch.utils.flop_counter import FlopCounterMode


def _declare_torchvision_ops():
    lib = torch.library.Library("torchvision", "DEF")
    lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    lib.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    return lib


_LIB = _declare_torchvision_ops()
import torchinfo  # noqa: E402
import torchvision  # noqa: E402

# Models with a per-layer table (every family heft builds); activation peaks are measured for all of MODELS.
TABLE_MODELS = ["resnet18", "resnet50", "vgg11_bn", "alexnet", "squeezenet1_0", "densenet121", "mobilenet_v2",
                "mobilenet_v3_small", "efficientnet_b0", "efficientnet_v2_s", "convnext_tiny", "googlenet",
                "inception_v3", "mnasnet0_5", "shufflenet_v2_x0_5", "regnet_y_400mf", "regnet_x_400mf", "vit_b_16",
                "swin_t", "maxvit_t"]
MODELS = TABLE_MODELS + ["resnet34", "resnet101", "wide_resnet50_2", "resnext50_32x4d", "vgg16", "vgg19_bn",
                         "squeezenet1_1", "densenet161", "densenet201", "mobilenet_v3_large", "efficientnet_b3",
                         "efficientnet_b7", "efficientnet_v2_m", "convnext_small", "mnasnet1_3",
                         "shufflenet_v2_x2_0", "regnet_y_1_6gf", "regnet_y_16gf", "regnet_x_3_2gf", "vit_b_32",
                         "vit_l_16", "swin_s"]


def _skip_init():
    """Weights are never read for shapes, FLOPs or memory: skip the random initialisation (minutes for big models)."""
    def keep(t, *args, **kwargs):
        return t
    for name in ["uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "xavier_uniform_",
                 "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_"]:
        setattr(torch.nn.init, name, keep)


def build(name):
    kwargs = {"weights": None}
    if name in ("googlenet", "inception_v3"):
        kwargs.update(aux_logits=True, init_weights=False)
    return getattr(torchvision.models, name)(**kwargs).eval()


def input_shape(name, batch=1):
    return [batch, 3, 299, 299] if name == "inception_v3" else [batch, 3, 224, 224]


class LiveBytes(TorchDispatchMode):
    """Peak bytes of storages created by aten ops and still referenced (see the module docstring)."""

    def __init__(self, preexisting):
        super().__init__()
        self.preexisting = preexisting
        self.refs = {}      # storage data_ptr -> number of live Python tensors on it
        self.sizes = {}     # storage data_ptr -> bytes
        self.live = 0
        self.peak = 0

    def _release(self, key):
        self.refs[key] -= 1
        if self.refs[key] == 0:
            del self.refs[key]
            self.live -= self.sizes.pop(key)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in tree_flatten(out)[0]:
            if not isinstance(t, torch.Tensor):
                continue
            storage = t.untyped_storage()
            key = storage.data_ptr()
            if key == 0 or key in self.preexisting:
                continue
            if key not in self.refs:
                self.refs[key] = 0
                self.sizes[key] = storage.nbytes()
                self.live += storage.nbytes()
                self.peak = max(self.peak, self.live)
            self.refs[key] += 1
            weakref.finalize(t, self._release, key)
        return out


def activation_peak(model, shape):
    x = torch.zeros(shape)
    pre = {p.untyped_storage().data_ptr() for p in model.parameters()}
    pre |= {b.untyped_storage().data_ptr() for b in model.buffers()}
    pre.add(x.untyped_storage().data_ptr())
    with torch.no_grad():
        mode = LiveBytes(pre)
        with mode:
            y = model(x)
        out_bytes = y.untyped_storage().nbytes()
    return {"batch": shape[0], "peak_bytes": mode.peak, "output_bytes": out_bytes}


def own_params(module):
    return sum(p.numel() for p in module.parameters(recurse=False))


def torchinfo_rows(model, shape):
    stats = torchinfo.summary(model, input_size=shape, depth=math.inf, verbose=0, device="cpu")
    rows = []
    for info in stats.summary_list:
        rows.append({
            "depth": info.depth,
            "class": info.class_name,
            "var_name": info.var_name,
            "executed": info.executed,
            "recursive": info.is_recursive,
            "leaf": info.is_leaf_layer,
            "output_shape": info.output_size,
            "num_params": info.num_params,
            "own_params": own_params(info.module),
            "output_bytes": info.output_bytes,
            "macs": info.macs,
        })
    totals = {"total_params": stats.total_params, "total_mult_adds": stats.total_mult_adds,
              "total_output_bytes": stats.total_output_bytes, "total_input": stats.total_input,
              "total_param_bytes": stats.total_param_bytes}
    return rows, totals


def flops_by_module(model, shape):
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(torch.zeros(shape))
    return {k: sum(v.values()) for k, v in counter.get_flop_counts().items()}


# Layer specs in heft's format (dev.heft.core.arch.torch.LayerSpec), built here as the nn.Sequential they describe.
SPECS = {
    "cnn": {"input": [2, 3, 32, 32], "layers": [
        {"type": "Conv2d", "in_channels": 3, "out_channels": 16, "kernel_size": 3, "padding": 1},
        {"type": "BatchNorm2d", "num_features": 16},
        {"type": "ReLU", "inplace": True},
        {"type": "MaxPool2d", "kernel_size": 2},
        {"type": "Conv2d", "in_channels": 16, "out_channels": 32, "kernel_size": 3, "stride": 2, "bias": False},
        {"type": "ReLU"},
        {"type": "AdaptiveAvgPool2d", "output_size": 1},
        {"type": "Flatten"},
        {"type": "Dropout", "p": 0.1},
        {"type": "Linear", "in_features": 32, "out_features": 10}]},
    "mlp": {"input": [4, 64], "layers": [
        {"type": "Linear", "in_features": 64, "out_features": 256},
        {"type": "GELU"},
        {"type": "LayerNorm", "normalized_shape": 256},
        {"type": "Sequential", "layers": [
            {"type": "Linear", "in_features": 256, "out_features": 256},
            {"type": "SiLU"}], "repeat": 3},
        {"type": "Linear", "in_features": 256, "out_features": 8, "bias": False}]},
}


def build_spec(layers):
    mods = []
    for spec in layers:
        spec = dict(spec)
        kind = spec.pop("type")
        repeat = spec.pop("repeat", 1)
        for _ in range(repeat):
            if kind == "Sequential":
                mods.append(build_spec(spec["layers"]))
            else:
                mods.append(getattr(torch.nn, kind)(**spec))
    return torch.nn.Sequential(*mods)


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / (
        "heft-core/src/test/resources/dev/heft/core/arch/vision/torchvision-layers.json")
    torch.manual_seed(0)
    torch.set_num_threads(2)
    _skip_init()
    result = {
        "generator": "scripts/vision_layers_ground_truth.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                     "torchinfo": torchinfo.__version__},
        "conventions": __doc__.split("Usage:")[0].strip(),
        "models": {},
    }
    specs_only = os.environ.get("HEFT_SPECS_ONLY") == "1" and out.exists()
    if specs_only:  # refresh the layer-spec section of an existing file, keeping its models
        result["models"] = json.loads(out.read_text())["models"]
    for name in ([] if specs_only else MODELS):
        print(name, file=sys.stderr, flush=True)
        model = build(name)
        entry = {"input": input_shape(name),
                 "activation_peaks": [activation_peak(model, input_shape(name, b)) for b in (1, 2)]}
        if name in TABLE_MODELS:
            entry["torchinfo"], entry["torchinfo_totals"] = torchinfo_rows(model, input_shape(name))
            entry["flops_by_module"] = flops_by_module(model, input_shape(name))
        result["models"][name] = entry
        del model
    result["specs"] = {}
    for name, spec in SPECS.items():
        print("spec " + name, file=sys.stderr, flush=True)
        model = build_spec(spec["layers"]).eval()
        shape = spec["input"]
        rows, totals = torchinfo_rows(model, shape)
        peak = activation_peak(model, shape)
        result["specs"][name] = {"spec": json.dumps(spec), "torchinfo": rows, "torchinfo_totals": totals,
                                 "flops_by_module": flops_by_module(model, shape), "activation_peak": peak}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
