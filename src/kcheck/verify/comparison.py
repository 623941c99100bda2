"""Child side: describe what changed between the saved and the reloaded object."""
from __future__ import annotations

BASE_KEYS = ("name", "trainable", "dtype")


def short(value, limit: int = 80) -> str:
    """repr(value) cut to `limit` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare_records(before: dict, after: dict) -> list[str]:
    """Differences in config keys, base attributes (trainable, dtype policy, name) and plain
    attributes. An attribute that changed and is missing from get_config() is reported as the
    config key it should have been, since that is the fix."""
    changes = []
    cfg_before, cfg_after = before.get("config") or {}, after.get("config") or {}
    if "__error__" in cfg_after and "__error__" not in cfg_before:
        changes.append(f"get_config() of the reloaded object raises {cfg_after['__error__']}")
    elif isinstance(cfg_before, dict) and isinstance(cfg_after, dict):
        for key in sorted(set(cfg_before) | set(cfg_after)):
            if key in BASE_KEYS:
                continue
            if key not in cfg_after:
                changes.append(f"config key {key!r} missing after reload (was "
                               f"{short(cfg_before[key])})")
            elif key not in cfg_before:
                changes.append(f"config key {key!r} appeared after reload: "
                               f"{short(cfg_after[key])}")
            elif cfg_before[key] != cfg_after[key]:
                changes.append(f"config key {key!r}: {short(cfg_before[key])} -> "
                               f"{short(cfg_after[key])}")
    for key in ("trainable", "dtype_policy", "name"):
        if key in before and before.get(key) != after.get(key):
            label = "dtype policy" if key == "dtype_policy" else key
            changes.append(f"{label}: {short(before[key])} -> {short(after.get(key))}")
    attrs_before, attrs_after = before.get("attributes", {}), after.get("attributes", {})
    for key in sorted(attrs_before):
        if key in attrs_after and attrs_before[key] != attrs_after[key]:
            where = "config key" if key not in cfg_before else "attribute"
            note = " (get_config() omits it)" if key not in cfg_before else ""
            changes.append(f"{where} {key!r}: {short(attrs_before[key])} -> "
                           f"{short(attrs_after[key])}{note}")
    return changes


def compare_weights(before: dict, after: dict, values_before: list,
                    values_after: list) -> list[str]:
    """Differences in weight count, shapes and values (weights must reload bit for bit)."""
    import numpy as np

    shapes_before, shapes_after = before.get("weights", []), after.get("weights", [])
    if len(shapes_before) != len(shapes_after):
        return [f"weights: {len(shapes_before)} before save, {len(shapes_after)} after reload"]
    changes = []
    for (path, shape), (_, shape_after), a, b in zip(shapes_before, shapes_after, values_before,
                                                     values_after):
        if list(shape) != list(shape_after):
            changes.append(f"weight {path!r} shape {tuple(shape)} -> {tuple(shape_after)}")
        elif not np.array_equal(a, b, equal_nan=True):
            diff = float(np.max(np.abs(a.astype("float64") - b.astype("float64"))))
            changes.append(f"weight {path!r} values differ (max abs diff {diff:.3g})")
    return changes


def tolerance(dtype) -> tuple[float, float]:
    """(atol, rtol) suited to an output dtype: tight for float64, loose for half precision."""
    name = str(dtype)
    if "float64" in name:
        return 1e-9, 1e-7
    if "float16" in name or "bfloat16" in name:
        return 1e-2, 1e-2
    if "float" in name:
        return 1e-5, 1e-5
    return 0.0, 0.0


def compare_outputs(before: list, after: list, atol: float | None = None,
                    noun: str = "outputs") -> tuple[list[str], float]:
    """Differences between two lists of output arrays, and the largest absolute difference.
    `noun` names them in messages ("outputs" of a layer, "results" of a loss on a sample)."""
    import numpy as np

    if len(before) != len(after):
        message = f"{noun}: {len(before)} arrays before save, {len(after)} after reload"
        return [message], float("inf")
    changes, worst = [], 0.0
    for index, (a, b) in enumerate(zip(before, after)):
        label = noun if len(before) == 1 else f"{noun} {index}"
        if a.shape != b.shape:
            changes.append(f"{label} shape {a.shape} -> {b.shape}")
            worst = float("inf")
            continue
        if a.size == 0:
            continue
        default_atol, rtol = tolerance(a.dtype)
        tol = default_atol if atol is None else atol
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            fa, fb = a.astype("float64"), b.astype("float64")
            diff = float(np.nanmax(np.abs(fa - fb))) if np.isfinite(fa).any() else 0.0
            same = np.allclose(fa, fb, atol=tol, rtol=rtol, equal_nan=True)
        else:
            diff = float(np.max(np.abs(a.astype("int64") - b.astype("int64")))) if a.size else 0.0
            same = np.array_equal(a, b)
        worst = max(worst, diff)
        if not same:
            changes.append(f"{label} differ (max abs diff {diff:.3g})")
    return changes, worst
