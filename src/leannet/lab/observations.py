"""Observations on a finished run, in plain words, computed from its numbers."""

from __future__ import annotations

import math

from .document import fmt
from .trends import curve_trend

__all__ = ["observations", "target_scaled"]


def target_scaled(metrics: dict) -> bool:
    """Whether the run's regression target was standardised (its losses are then in
    squared standard deviations of the target, not in its units)."""
    return bool((metrics.get("data_summary") or {}).get("target_scaled"))


def observations(metrics: dict, config: dict, history: dict | None = None) -> list[str]:
    """Plain-words observations computed from a run's numbers (never boilerplate)."""
    out: list[str] = []
    splits = metrics.get("metrics", {})
    task = metrics.get("task")
    train = splits.get("train", {})
    held_name = "test" if "test" in splits else ("validation" if "validation" in splits else None)
    held = splits.get(held_name, {}) if held_name else {}
    if task == "classification" and "accuracy" in train and "accuracy" in held:
        gap = 100.0 * (train["accuracy"] - held["accuracy"])
        size = "small" if abs(gap) < 2 else ("moderate" if abs(gap) < 10 else "large")
        out.append(
            f"Generalization gap: training accuracy {100 * train['accuracy']:.1f}% vs "
            f"{held_name} accuracy {100 * held['accuracy']:.1f}%, a gap of {gap:+.1f} points "
            f"({size}{', a sign of overfitting' if size == 'large' and gap > 0 else ''})."
        )
    elif task == "regression" and "data_loss" in train and "data_loss" in held:
        ratio = held["data_loss"] / train["data_loss"] if train["data_loss"] > 0 else math.inf
        # a standardised target: the loss is the MSE in standard deviations squared
        scaled = " (standardised target)" if target_scaled(metrics) else ""
        out.append(
            f"Generalization gap: {held_name} MSE{scaled} {fmt(held['data_loss'])} vs training MSE "
            f"{fmt(train['data_loss'])} (ratio {ratio:.2f}"
            f"{'; the model fits the training data much better than new data' if ratio > 1.5 else ''})."
        )
    out += _against_baseline(metrics.get("scores") or {}, held_name, config)
    if "loss" in train and train.get("reg_loss"):
        share = train["reg_loss"] / train["loss"] if train["loss"] else 0.0
        out.append(
            f"The penalty is {100 * share:.1f}% of the final training objective "
            f"(data loss {fmt(train['data_loss'])}, penalty {fmt(train['reg_loss'])})."
        )
    weights = metrics.get("weights", {})
    if weights:
        norms = {k: v["l2_norm"] for k, v in weights.items()}
        big = max(norms, key=norms.get)
        out.append(
            "Weight norms ||W||_2 per layer: "
            + ", ".join(f"{k} {fmt(v, 3)}" for k, v in norms.items())
            + f"; the largest single weight is {fmt(max(v['max_abs'] for v in weights.values()), 3)} "
            f"(in {max(weights, key=lambda k: weights[k]['max_abs'])})."
            if len(norms) > 1
            else f"Weight norm ||W||_2 of {big}: {fmt(norms[big], 3)}."
        )
        zeros = sum(v["n_zero"] for v in weights.values())
        total = sum(v["size"] for v in weights.values())
        l1 = config.get("l1", 0) or 0
        if zeros:
            out.append(
                f"{zeros} of {total} weights ({100 * zeros / total:.1f}%) are exactly zero"
                f"{' (proximal L1 sets weights to exactly zero)' if config.get('l1_proximal') else ''}."
            )
        elif l1 and config.get("l1_proximal"):
            out.append(
                f"No weight reached exactly zero with proximal L1 = {fmt(l1)}: the soft "
                "threshold was too small to reach zero in this run; a larger λ or more epochs "
                "zeroes more weights."
            )
        elif l1:
            out.append(
                f"No weight is exactly zero although L1 = {fmt(l1)}: the sign subgradient "
                "makes weights oscillate around zero; use the proximal L1 step "
                "(--l1-proximal) for exact zeros."
            )
    es = metrics.get("early_stopping")
    if es and es.get("stopped_epoch"):
        out.append(
            f"Early stopping ended training at epoch {es['stopped_epoch']}; the weights of "
            f"epoch {es.get('best_epoch')} (lowest {es.get('monitor', 'val_loss')}) were kept."
        )
    elif history and history.get("val_loss"):
        # demos may watch the test set during training (never selecting on it)
        watched = metrics.get("monitor", "validation")
        cap = config.get("epochs")
        trend = curve_trend(
            history["val_loss"],
            history.get("data_loss") or history.get("loss"),
            epoch_cap=cap if isinstance(cap, int) else None,
            split=watched,
        )
        if trend is not None:
            sentence = trend.sentence
            if trend.kind == "overfitting" and watched == "validation":
                sentence += (
                    " Early stopping (--early-stopping) on the validation set would have "
                    "kept the better weights."
                )
            out.append(sentence)
    if metrics.get("interrupted"):
        out.append(
            "Training was interrupted (Ctrl-C); the numbers are for the last complete epoch."
        )
    if metrics.get("diverged"):
        out.append(f"Training diverged at epoch {metrics['diverged']}; lower the learning rate.")
    return out


def _against_baseline(scores: dict, split: str | None, config: dict) -> list[str]:
    """A sentence when the model does not beat its baseline on the held-out split
    (accuracy vs the majority class; RMSE vs the training mean)."""
    held = scores.get(split) if split else None
    base = (held or {}).get("baseline") or {}
    if "accuracy" in (held or {}) and "accuracy" in base:
        if held["accuracy"] > base["accuracy"]:
            return []
        weighted = (
            " With class weights the model trades accuracy on frequent classes for recall "
            "on rare ones"
            if config.get("class_weight")
            else ""
        )
        balanced = ""
        if "balanced_accuracy" in held and "balanced_accuracy" in base:
            balanced = (
                f"; balanced accuracy {fmt(held['balanced_accuracy'])} vs the baseline's "
                f"{fmt(base['balanced_accuracy'])}"
            )
        return [
            f"The {split} accuracy {100 * held['accuracy']:.1f}% is not above the baseline's "
            f"{100 * base['accuracy']:.1f}% ({base.get('rule', 'majority class')}){balanced}."
            + (weighted + "." if weighted else "")
        ]
    if "rmse" in (held or {}) and "rmse" in base and held["rmse"] >= base["rmse"]:
        return [
            f"The {split} RMSE {fmt(held['rmse'])} is not below the baseline's "
            f"{fmt(base['rmse'])} ({base.get('rule', 'the training mean')}): the model "
            "predicts no better than a constant."
        ]
    return []
