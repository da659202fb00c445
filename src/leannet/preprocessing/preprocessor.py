"""The preprocessing step that travels with a model: raw table in, float matrix out.

Built from scikit-learn's transformers, applied as a ``ColumnTransformer`` would::

    numeric and date-part columns: SimpleImputer(strategy="median") -> StandardScaler()
    text columns:                  SimpleImputer(strategy="most_frequent")
                                   -> OneHotEncoder(handle_unknown="ignore")

Their fitted state is kept as plain JSON data (`leannet.preprocessing.state`), which
``model.npz`` stores beside the weights, and the transformers are rebuilt from it on load.
For regression the target is standardised too, ``t = (y - mean) / scale``, and
predictions are mapped back with ``y = t * scale + mean``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np

from ..errors import ConfigError, DataError
from .columns import column_kind, raw_blocks, to_float, uninformative_reason
from .state import FORMAT, VERSION, validate_state
from .table import as_columns, is_missing, n_rows
from .target import scale_target_values, target_scaling, unscale_target_values

__all__ = [
    "Prepared",
    "Preprocessor",
    "scale_target_values",
    "target_scaling",
    "target_values",
    "unscale_target_values",
]


@dataclass
class Prepared:
    """Rows made ready for the network.

    Attributes:
        X: float features, one row per kept row.
        target: the target values of the kept rows (float for numbers, text otherwise),
            or None when the table has no target column.
        weights: per-row sample weights from the weight column, or None.
        rows: indices of the kept rows in the input table.
        counts: what happened to the cells: ``imputed`` / ``unreadable`` / ``unknown``
            (categories not seen in training), each ``{column: cells}``.
    """

    X: np.ndarray
    target: np.ndarray | None
    weights: np.ndarray | None
    rows: np.ndarray
    counts: dict = field(default_factory=dict)


class Preprocessor:
    """Column selection, imputation, one-hot encoding, dates and standardisation.

    Args:
        target: name of the target column (None: no target, features only).
        features: use only these columns (None: every column but the target, the
            weight column and ``drop``); id-like and constant detection skips them.
        drop: columns never to use.
        missing: ``"impute"`` (median for numbers, most frequent for text) or
            ``"drop"`` (training rows with a missing feature cell are dropped).
            Rows with a missing target are always dropped, and counted.
        dates: ``"parts"`` (year, month, day, weekday as numbers) or ``"drop"``.
        standardize: scale numeric features to mean 0, std 1 (training statistics).
        scale_target: standardise a regression target.
        weight_column: a column of non-negative per-row sample weights.
        task: ``"classification"`` or ``"regression"`` (None: inferred from the target).
    """

    def __init__(
        self,
        target: str | None = None,
        *,
        features: list[str] | None = None,
        drop: list[str] | tuple = (),
        missing: str = "impute",
        dates: str = "parts",
        standardize: bool = True,
        scale_target: bool = True,
        weight_column: str | None = None,
        task: str | None = None,
    ):
        if missing not in ("impute", "drop"):
            raise ConfigError(f"missing must be 'impute' or 'drop', got {missing!r}")
        if dates not in ("parts", "drop"):
            raise ConfigError(f"dates must be 'parts' or 'drop', got {dates!r}")
        self.target, self.features, self.drop = target, features, list(drop)
        self.missing, self.dates, self.standardize = missing, dates, standardize
        self.scale_target, self.weight_column, self.task = scale_target, weight_column, task
        self.state: dict | None = None

    # -- fitting ------------------------------------------------------------------------------
    def select(self, data, *, source: str = "the data") -> np.ndarray:
        """Decide the columns and the usable rows of ``data``; return those rows' indices.

        Column rules (id-like, constant, dates) look at every row with a target, so a
        row-number column is recognised before any split. Rows with a missing target or
        weight are left out, and with ``missing="drop"`` rows with a missing feature.
        """
        columns = as_columns(data, source=source)
        named = [self.target, self.weight_column, *self.drop, *(self.features or [])]
        for name in (n for n in named if n is not None):
            _check_column(name, columns, source)
        total = n_rows(columns)
        keep = np.ones(total, dtype=bool)
        summary: dict = {"rows_in": total}
        if self.target is not None:
            no_target = is_missing(columns[self.target])
            summary["rows_dropped_missing_target"] = int(no_target.sum())
            keep &= ~no_target
        if self.weight_column is not None:
            no_weight = is_missing(columns[self.weight_column])
            summary["rows_dropped_missing_weight"] = int((no_weight & keep).sum())
            keep &= ~no_weight
        reserved = {self.target, self.weight_column, *self.drop}
        candidates = self.features or [c for c in columns if c not in reserved]
        dropped = [{"column": c, "reason": "dropped by request"} for c in self.drop]
        inputs = []
        for name in candidates:
            values = columns[name]  # every row: a row number stays consecutive
            kind = column_kind(values)
            reason = None if self.features else uninformative_reason(values, kind)
            if reason is None and kind == "date" and self.dates == "drop":
                reason = "date column (dates='drop')"
            if reason is None and len(values) and _all_missing(values):
                reason = "empty: every cell is missing"
            if reason:
                dropped.append({"column": name, "reason": reason})
            else:
                inputs.append({"name": name, "kind": kind})
        if not inputs:
            why = "; ".join(f"{d['column']}: {d['reason']}" for d in dropped) or "none given"
            raise DataError(f"{source}: no feature columns are left to learn from ({why})")
        if self.missing == "drop":
            incomplete = np.zeros(total, dtype=bool)
            for item in inputs:
                incomplete |= is_missing(columns[item["name"]])
            summary["rows_dropped_missing_features"] = int((incomplete & keep).sum())
            keep &= ~incomplete
        rows = np.flatnonzero(keep)
        if len(rows) < 2:
            raise DataError(
                f"{source}: only {len(rows)} complete rows are left; use missing='impute' "
                "(--missing impute) or fix the file"
            )
        summary["rows_used"] = len(rows)
        self._plan = (inputs, dropped, summary, rows)
        return rows

    def fit(self, data, rows=None, *, source: str = "the data") -> Preprocessor:
        """Fit imputers, encoder and scalers on ``rows`` of ``data`` (default: every row
        `select` keeps; pass the training rows to keep held-out rows unseen)."""
        from ..datasets import infer_task

        kept = self.select(data, source=source)
        inputs, dropped, summary, _ = self._plan
        rows = kept if rows is None else np.asarray(rows, dtype=np.intp)
        if len(rows) < 1 or not np.isin(rows, kept).all():
            raise ConfigError("fit rows must be a non-empty subset of the rows select() keeps")
        columns = as_columns(data, source=source)
        numeric, text, numeric_names, counts = raw_blocks(columns, inputs, rows)
        task = self.task
        if self.target is not None and task is None:
            task = infer_task(target_values(columns[self.target][kept]))
        target_state = self._fit_target(columns, rows, task, source)
        self.state = self._fit_transformers(numeric, text, numeric_names, inputs)
        self.state.update(target=target_state, dropped=dropped)
        summary = dict(summary)
        summary.update(
            rows_fitted=len(rows),
            columns_used=len(inputs),
            features_out=len(self.state["output_names"]),
            imputed_in_fitted_rows={k: v for k, v in counts["imputed"].items() if v},
        )
        self.state["summary"] = summary
        validate_state(self.state)
        self._build()
        return self

    def fit_transform(self, data, *, source: str = "the data") -> Prepared:
        """Learn the preprocessing from every usable row of ``data``; transform those rows."""
        self.fit(data, source=source)
        return self.transform(data, rows=self._plan[3], source=source)

    def _fit_target(self, columns, rows, task, source) -> dict | None:
        if self.target is None:
            return None
        target = target_values(columns[self.target][rows])
        if task == "regression" and target.dtype.kind != "f":
            raise DataError(
                f"{source}: target {self.target!r} holds text, so it cannot be used for "
                "regression; pick a numeric target or use classification"
            )
        mean = scale = None
        if task == "regression" and self.scale_target:
            mean, scale = target_scaling(target)
        return {"name": self.target, "task": task, "mean": mean, "scale": scale}

    def _fit_transformers(self, numeric, text, numeric_names, inputs) -> dict:
        from sklearn.impute import SimpleImputer
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        state = {"format": FORMAT, "version": VERSION, "missing": self.missing}
        state.update(dates=self.dates, inputs=inputs, numeric_names=numeric_names)
        state.update(weight_column=self.weight_column)
        if numeric.shape[1]:
            imputer = SimpleImputer(strategy="median", keep_empty_features=True).fit(numeric)
            state["numeric_fill"] = imputer.statistics_.tolist()
            if self.standardize:
                # Fit on columns divided by their largest magnitude: squares of values
                # near 1e300 overflow (the scale became inf and every value 0).
                values = imputer.transform(numeric)
                peak = np.abs(values).max(axis=0) if len(values) else np.ones(values.shape[1])
                peak = np.where((peak > 0) & np.isfinite(peak), peak, 1.0)
                scaler = StandardScaler().fit(values / peak)
                scale = np.where(scaler.var_ > 0, scaler.scale_ * peak, 1.0)
                state.update(mean=(scaler.mean_ * peak).tolist(), scale=scale.tolist())
        state.setdefault("numeric_fill", [])
        state.setdefault("mean", [] if self.standardize else None)
        state.setdefault("scale", [] if self.standardize else None)
        state["text_fill"], state["categories"] = [], []
        if text.shape[1]:
            imputer = SimpleImputer(strategy="most_frequent", missing_values=None).fit(text)
            encoder = OneHotEncoder(handle_unknown="ignore").fit(imputer.transform(text))
            state["text_fill"] = [str(v) for v in imputer.statistics_]
            state["categories"] = [[str(c) for c in cats] for cats in encoder.categories_]
        text_names = [i["name"] for i in inputs if i["kind"] == "text"]
        onehot = [f"{n}_{c}" for n, cats in zip(text_names, state["categories"]) for c in cats]
        state["output_names"] = numeric_names + onehot
        return state

    # -- the fitted state -----------------------------------------------------------------------
    def to_state(self) -> dict:
        """The fitted preprocessing as JSON data (see `leannet.preprocessing.state`)."""
        if self.state is None:
            raise ConfigError("the preprocessor is not fitted; call fit_transform first")
        return self.state

    @classmethod
    def from_state(cls, state: dict) -> Preprocessor:
        """Rebuild a fitted preprocessor from `to_state` data (validated first)."""
        validate_state(state)
        target = state["target"]
        pre = cls(
            target["name"] if target else None,
            missing=state["missing"],
            dates=state["dates"],
            standardize=state["mean"] is not None,
            scale_target=bool(target and target["mean"] is not None),
            weight_column=state["weight_column"],
            task=target["task"] if target else None,
        )
        pre.state = state
        pre._build()
        return pre

    def _build(self) -> None:
        """scikit-learn transformers holding exactly the stored fitted state."""
        from sklearn.impute import SimpleImputer
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        s = self.state
        self._numeric_imputer = self._scaler = self._text_imputer = self._encoder = None
        if s["numeric_fill"]:
            fill = np.array([s["numeric_fill"]], dtype=float)  # the median of one row is itself
            self._numeric_imputer = SimpleImputer(strategy="median").fit(fill)
            if s["mean"] is not None:
                self._scaler = StandardScaler()
                self._scaler.mean_ = np.array(s["mean"], dtype=float)
                self._scaler.scale_ = np.array(s["scale"], dtype=float)
                with np.errstate(over="ignore"):  # informational; inf for scales near 1e300
                    self._scaler.var_ = self._scaler.scale_**2
                self._scaler.n_features_in_ = len(s["mean"])
                self._scaler.n_samples_seen_ = s["summary"].get("rows_used", 0)
        if s["categories"]:
            fill = np.array([s["text_fill"]], dtype=object)
            self._text_imputer = SimpleImputer(strategy="most_frequent", missing_values=None)
            self._text_imputer.fit(fill)
            cats = [np.array(c, dtype=object) for c in s["categories"]]
            longest = max(len(c) for c in cats)
            grid = np.array([[c[i % len(c)] for c in cats] for i in range(longest)], dtype=object)
            self._encoder = OneHotEncoder(categories=cats, handle_unknown="ignore").fit(grid)

    # -- applying -------------------------------------------------------------------------------
    @property
    def output_names(self) -> list[str]:
        """Names of the features the network sees, in order."""
        return list(self.to_state()["output_names"])

    @property
    def input_names(self) -> list[str]:
        """The raw columns the preprocessing reads."""
        return [item["name"] for item in self.to_state()["inputs"]]

    def transform(
        self,
        data,
        rows=None,
        *,
        source: str = "the data",
        require_target: bool = False,
        ignore_target: bool = False,
    ) -> Prepared:
        """Features of every row of ``data`` (missing cells imputed, unknown categories
        encoded as all-zero one-hot columns; both counted in ``Prepared.counts``).

        The target and weight columns are read when present (the target is required
        with ``require_target``, never read with ``ignore_target``, e.g. to predict
        every row); rows whose target is missing are then left out.
        ``rows`` limits the result to those row indices.
        """
        state = self.to_state()
        columns = as_columns(data, source=source)
        lacking = [name for name in self.input_names if name not in columns]
        if lacking:
            raise DataError(
                f"{source}: the model needs column{'s' if len(lacking) > 1 else ''} "
                f"{', '.join(map(repr, lacking))}, which the file lacks; its columns are: "
                f"{', '.join(columns)}"
            )
        rows = np.arange(n_rows(columns)) if rows is None else np.asarray(rows, dtype=np.intp)
        target = weights = None
        target_name = state["target"]["name"] if state["target"] else None
        if require_target and target_name is not None:
            _check_column(target_name, columns, source)
        if target_name is not None and target_name in columns and not ignore_target:
            rows = rows[~is_missing(columns[target_name][rows])]
            target = target_values(columns[target_name][rows])
        numeric, text, _, counts = raw_blocks(columns, state["inputs"], rows)
        if self._encoder is not None:
            text_names = [i["name"] for i in state["inputs"] if i["kind"] == "text"]
            filled = self._text_imputer.transform(text)
            counts["unknown"] = {
                name: int((~np.isin(filled[:, j], cats)).sum())
                for j, (name, cats) in enumerate(zip(text_names, state["categories"]))
            }
        if self.weight_column is not None and self.weight_column in columns and not ignore_target:
            weights = self._weights(columns, rows, source)
        return Prepared(self._apply(numeric, text), target, weights, rows, counts)

    def _apply(self, numeric: np.ndarray, text: np.ndarray) -> np.ndarray:
        blocks = []
        if self._numeric_imputer is not None:
            block = self._numeric_imputer.transform(numeric)
            blocks.append(self._scaler.transform(block) if self._scaler is not None else block)
        if self._encoder is not None:
            filled = self._text_imputer.transform(text)
            blocks.append(self._encoder.transform(filled).toarray())
        return np.column_stack(blocks).astype(float)

    def _weights(self, columns, rows, source) -> np.ndarray | None:
        if self.weight_column is None:
            return None
        weights, unreadable = to_float(columns[self.weight_column][rows])
        if unreadable.any() or (weights < 0).any():
            raise DataError(
                f"{source}: sample weight column {self.weight_column!r} must hold "
                "non-negative finite numbers"
            )
        return weights

    # -- the target -----------------------------------------------------------------------------
    def transform_target(self, y: np.ndarray) -> np.ndarray:
        """``(y - mean) / scale`` for a standardised regression target, else ``y``."""
        return scale_target_values(y, self.to_state()["target"])

    def inverse_transform_target(self, t: np.ndarray) -> np.ndarray:
        """Network outputs back in the target's units: ``t * scale + mean``."""
        return unscale_target_values(t, self.to_state()["target"])


def target_values(raw: np.ndarray) -> np.ndarray:
    """Target cells as floats when every one is a number, else as stripped text."""
    numbers, unreadable = to_float(raw)
    return numbers if not unreadable.any() else np.array([str(v).strip() for v in raw])


def _all_missing(values: np.ndarray) -> bool:
    return bool(is_missing(values).all())


def _check_column(name: str, columns: dict, source: str) -> None:
    if name in columns:
        return
    close = difflib.get_close_matches(name, list(columns), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise DataError(
        f"{source}: no column named {name!r}{hint}; the columns are: {', '.join(columns)}"
    )
