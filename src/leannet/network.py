"""The [`Sequential`][leannet.network.Sequential] network: layers in order over one flat parameter buffer."""

from __future__ import annotations

import numpy as np

from . import losses as losses_module
from . import regularizers, serialization, training
from ._validation import (
    as_float_array,
    as_sparse_rows,
    check_positive_int,
    check_sample_weight,
    check_seed,
    is_sparse,
)
from .errors import ConfigError, DataError
from .layers import LAYER_CLASSES, Dense, Layer
from .losses import Loss, normalized_weights
from .metrics import accuracy, r2_score
from .targets import check_output_layer, check_target

_DTYPES = {"float32": np.float32, "float64": np.float64}


class Sequential:
    """A feed-forward network: the output of each layer is the input of the next.

    Args:
        layers: the layers, in order (``ln.Dense``, activations, ``ln.Dropout``...).
        seed: seed of the generator that draws the initial weights (and, unless
            ``fit(seed=...)`` says otherwise, shuffles and dropout masks). Same seed,
            same data: bitwise identical weights and history.
        dtype: "float32" (default, fast) or "float64" (for gradient checks).

    All parameters live in one flat array `params` (every weight matrix
    first, then every bias vector) and all gradients in `grads`, with the
    same layout; each Dense layer's ``W``, ``b``, ``dW``, ``db`` are views into
    them. An optimizer step is then a handful of vectorised operations, and a
    snapshot of the whole network is one copy. `decay_mask` is True on the
    weights (what decoupled weight decay shrinks) and False on the biases;
    `param_slices` gives each named parameter's place in the buffer.
    """

    def __init__(self, layers, *, seed: int | None = 0, dtype: str = "float32"):
        if isinstance(layers, Layer) or not hasattr(layers, "__iter__"):
            raise ConfigError("layers must be a list of layers, e.g. [ln.Dense(2, 4), ln.ReLU()]")
        self.layers: list[Layer] = list(layers)
        if not self.layers:
            raise ConfigError("layers is empty; give at least one ln.Dense layer")
        for i, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise ConfigError(
                    f"layers[{i}] is {type(layer).__name__}, not a leannet layer "
                    "(use ln.Dense, ln.ReLU, ln.Dropout, ...)"
                )
        dtype_name = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
        if dtype_name not in _DTYPES:
            raise ConfigError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
        self.dtype = np.dtype(_DTYPES[dtype_name])
        seed = check_seed(seed)
        # seed=None draws a fresh seed and records it, so the run can be repeated
        self.seed = int(np.random.SeedSequence().generate_state(1)[0]) if seed is None else seed
        self._check_chain()
        self.dense_layers = [layer for layer in self.layers if isinstance(layer, Dense)]
        if not self.dense_layers:
            raise ConfigError("the network has no ln.Dense layer, so nothing to train")
        # layers before this one need no backward pass, and it needs no input gradient
        self._first_dense = self.layers.index(self.dense_layers[0])
        self._allocate()
        rng = np.random.default_rng(self.seed)
        for layer in self.dense_layers:
            layer.initialize(rng)

    # -- construction ---------------------------------------------------------------------------
    def _check_chain(self) -> None:
        width, source = None, None
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                if width is not None and width != layer.n_in:
                    raise ConfigError(
                        f"layer sizes don't chain: layers[{i}] {layer!r} expects {layer.n_in} inputs "
                        f"but layers[{source[0]}] {source[1]!r} outputs {width}; "
                        f"make layers[{i}] Dense({width}, {layer.n_out})"
                    )
                width, source = layer.n_out, (i, layer)

    def _allocate(self) -> None:
        n_w = sum(layer.W.size for layer in self.dense_layers)
        n_b = sum(layer.b.size for layer in self.dense_layers)
        self.n_weights = n_w
        self.params = np.zeros(n_w + n_b, dtype=self.dtype)
        self.grads = np.zeros(n_w + n_b, dtype=self.dtype)
        self.decay_mask = np.zeros(n_w + n_b, dtype=bool)
        self.decay_mask[:n_w] = True
        self.param_slices: dict[str, slice] = {}
        w_off, b_off = 0, n_w
        for layer in self.dense_layers:
            ws, bs = layer.W.size, layer.b.size
            i = self.layers.index(layer)
            self.param_slices[f"layers.{i}.W"] = slice(w_off, w_off + ws)
            self.param_slices[f"layers.{i}.b"] = slice(b_off, b_off + bs)
            layer.bind(
                self.params[w_off : w_off + ws].reshape(layer.W.shape),
                self.params[b_off : b_off + bs],
                self.grads[w_off : w_off + ws].reshape(layer.W.shape),
                self.grads[b_off : b_off + bs],
            )
            w_off += ws
            b_off += bs

    @property
    def n_params(self) -> int:
        return self.params.size

    @property
    def n_inputs(self) -> int:
        return self.dense_layers[0].n_in

    @property
    def n_outputs(self) -> int:
        return self.dense_layers[-1].n_out

    def parameters(self) -> list[tuple[str, np.ndarray]]:
        """``(name, array)`` for every parameter, e.g. ``("layers.0.W", W)``."""
        out = []
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                out += [(f"layers.{i}.W", layer.W), (f"layers.{i}.b", layer.b)]
        return out

    def penalty_terms(self) -> list[regularizers.PenaltyTerm]:
        """``(array, grad, regularizer)`` for every penalised weight matrix and bias vector."""
        return [term for layer in self.dense_layers for term in layer.regularizers()]

    def reg_loss(self) -> float:
        """Sum of every penalty on weights and biases at the current parameters."""
        return regularizers.total_penalty(self.penalty_terms())

    def get_config(self) -> dict:
        """JSON-able description of the architecture (no weights)."""
        return {
            "dtype": self.dtype.name,
            "seed": self.seed,
            "layers": [
                {"class": type(la).__name__, "config": la.get_config()} for la in self.layers
            ],
        }

    @classmethod
    def from_config(cls, config: dict) -> Sequential:
        """Rebuild a network (fresh weights) from [`get_config`][leannet.network.Sequential.get_config] output."""
        try:
            specs = config["layers"]
            layers = []
            for spec in specs:
                name = spec["class"]
                if name not in LAYER_CLASSES:
                    raise ConfigError(
                        f"unknown layer {name!r}; known layers: {', '.join(sorted(LAYER_CLASSES))}"
                    )
                layers.append(LAYER_CLASSES[name](**spec.get("config", {})))
            return cls(layers, seed=config.get("seed", 0), dtype=config.get("dtype", "float32"))
        except ConfigError:
            raise
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"invalid network description: {exc!r}") from None

    def copy(self, dtype: str | None = None) -> Sequential:
        """A deep copy with the same weights, optionally converted to another dtype."""
        config = self.get_config()
        if dtype is not None:
            config["dtype"] = dtype
        clone = Sequential.from_config(config)
        clone.params[...] = self.params
        return clone

    # -- computation ------------------------------------------------------------------------------
    def check_input(self, X, name: str = "X"):
        """``X`` as a 2-D array of this network's dtype, with the right width, or a clear error.

        A SciPy sparse matrix stays sparse (as CSR): the first Dense layer multiplies
        it directly, so it is never densified. That needs the network to start with
        a Dense layer (noise on a sparse input would densify it).
        """
        if is_sparse(X):
            if self._first_dense != 0:
                raise DataError(
                    f"{name} is a sparse matrix, but the network starts with "
                    f"{type(self.layers[0]).__name__}; sparse input needs ln.Dense as the first "
                    "layer (or pass X.toarray())"
                )
            X = as_sparse_rows(X, name, self.dtype)
        else:
            X = as_float_array(X, name, self.dtype, ndim=(1, 2))
            if X.ndim == 1:
                if self.n_inputs != 1:
                    raise DataError(
                        f"{name} is 1-D but the network expects {self.n_inputs} features per "
                        f"sample; pass an array of shape (n_samples, {self.n_inputs})"
                    )
                X = X.reshape(-1, 1)
        if X.shape[1] != self.n_inputs:
            raise DataError(
                f"{name} has {X.shape[1]} features but the first layer expects {self.n_inputs}; "
                "check the columns or change Dense(n_in=...)"
            )
        return X

    def fuses_with(self, loss_fn: Loss) -> bool:
        """True when the network ends in the output layer ``loss_fn`` fuses with: training
        and evaluation then stop at the logits and use ``loss_fn.from_logits``."""
        return loss_fn.fuses_with is not None and isinstance(self.layers[-1], loss_fn.fuses_with)

    def forward(self, X, training: bool = False, *, logits: bool = False):
        """Run the layers (all but the output activation when ``logits``); return the
        output and the backward closures, in forward order.

        The layers before the first Dense layer need no backward pass, and the
        first Dense layer computes no input gradient (nobody needs it).
        """
        layers = self.layers[:-1] if logits else self.layers
        first_dense = self._first_dense
        backwards = []
        out = X
        for i, layer in enumerate(layers):
            if i == first_dense:
                out, backward = layer.forward(out, training, need_input_grad=False)
            else:
                out, backward = layer.forward(out, training)
            if i >= first_dense:
                backwards.append(backward)
        return out, backwards

    def predict(self, X, batch_size: int | None = None) -> np.ndarray:
        """Output activations for ``X`` (inference mode: no dropout, no noise).

        ``batch_size`` bounds memory for large or memory-mapped inputs (default 4096 rows).
        """
        size = check_positive_int(batch_size, "batch_size", allow_none=True) or 4096
        X = self.check_input(X)
        if X.shape[0] <= size:
            return self.forward(X)[0]
        out = np.empty((X.shape[0], self.n_outputs), dtype=self.dtype)
        for start, xb in _row_batches(X, size):
            out[start : start + xb.shape[0]] = self.forward(xb)[0]
        return out

    def evaluate(self, X, y, *, loss, batch_size: int | None = None, sample_weight=None) -> dict:
        """Loss (data + penalty) and metrics on ``(X, y)``.

        Args:
            X: inputs (as for [`fit`][leannet.training.fit]).
            y: targets (as for [`fit`][leannet.training.fit]).
            loss: loss name or object.
            batch_size: rows per forward pass (memory bound; default 4096).
            sample_weight: per-row weights: the data loss, the accuracy and R² become
                weighted means (the penalty is unchanged).

        Returns:
            dict with ``loss``, ``data_loss``, ``reg_loss`` and ``accuracy``
            (classification losses) or ``r2`` (regression losses).
        """
        loss_fn = losses_module.get(loss)
        self.check_loss(loss_fn)
        batch_size = check_positive_int(batch_size, "batch_size", allow_none=True)
        X = self.check_input(X)
        y = self.check_target(y, loss_fn, X.shape[0])
        weights = check_sample_weight(sample_weight, X.shape[0])
        return self.evaluate_checked(X, y, loss_fn, batch_size, weights)

    def evaluate_checked(
        self, X, y, loss_fn: Loss, batch_size: int | None = None, sample_weight=None
    ) -> dict:
        """[`evaluate`][leannet.network.Sequential.evaluate] on inputs already checked ([`check_input`][leannet.network.Sequential.check_input],
        [`check_target`][leannet.network.Sequential.check_target]); used after every epoch on the validation data."""
        logits = self.fuses_with(loss_fn)
        n = X.shape[0]
        total, outputs = 0.0, []
        for start, xb in _row_batches(X, batch_size or 4096):
            stop = start + xb.shape[0]
            out = self.forward(xb, logits=logits)[0]
            if sample_weight is None:
                weights, share = None, xb.shape[0]
            else:
                weights = normalized_weights(sample_weight[start:stop])
                share = sample_weight[start:stop].sum() / sample_weight.sum() * n
            total += (
                losses_module.value(loss_fn, out, y[start:stop], weights, logits=logits) * share
            )
            outputs.append(out)
        data_loss = total / n
        reg = self.reg_loss()
        result = {"loss": data_loss + reg, "data_loss": data_loss, "reg_loss": reg}
        out = np.concatenate(outputs) if len(outputs) > 1 else outputs[0]
        if loss_fn.classification:
            result["accuracy"] = accuracy(
                out,
                y,
                logits=logits,
                per_label=loss_fn.independent_outputs,
                sample_weight=sample_weight,
            )
        else:
            result["r2"] = r2_score(out, y, sample_weight)
        return result

    # -- checks shared by fit and evaluate --------------------------------------------------------
    def check_loss(self, loss_fn) -> None:
        """Raise if ``loss_fn`` does not fit the output layer (e.g. cross-entropy without softmax)."""
        check_output_layer(loss_fn, self.layers[-1])

    def check_target(self, y, loss_fn, n_samples: int, name: str = "y") -> np.ndarray:
        """``y`` shaped for ``loss_fn``: class indices for categorical cross-entropy, else 2-D
        floats (see `leannet.targets.check_target`)."""
        return check_target(y, loss_fn, self.n_outputs, self.dtype, n_samples, name)

    # -- training and persistence live in their own modules -----------------------------------------
    #: ``net.fit(X, y, *, loss, ...)``: [`leannet.training.fit`][leannet.training.fit] with this network first
    fit = training.fit

    def save(self, path) -> None:
        """Save architecture and weights to one ``.npz`` file (written atomically)."""
        serialization.save(self, path)

    def summary(self) -> str:
        """A text table of the layers, output widths, parameter counts and regularizers."""
        lines = [f"{'#':>2}  {'layer':<44} {'out':>6} {'params':>9}"]
        width = None
        for i, layer in enumerate(self.layers):
            width = layer.output_size(width)
            count = layer.W.size + layer.b.size if isinstance(layer, Dense) else 0
            lines.append(f"{i:>2}  {layer!r:<44} {width if width else '':>6} {count:>9,}")
        lines.append(f"total parameters: {self.n_params:,} ({self.dtype.name})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from .display import network_html

        return network_html(self)

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], seed={self.seed}, dtype={self.dtype.name!r})"


serialization.register_network_class(Sequential)


def _row_batches(X, size: int):
    """``(start, rows)`` blocks of ``X``; memory-mapped rows are read into memory, sparse
    rows stay sparse."""
    for start in range(0, X.shape[0], size):
        rows = X[start : start + size]
        yield start, rows if is_sparse(rows) else np.asarray(rows)
