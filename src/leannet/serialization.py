"""Model files: one ``.npz`` with the weights and a JSON description (minimal version;
hardened in the reliability work)."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile

import numpy as np

from .errors import ModelFileError

FORMAT = "leannet-model"
FORMAT_VERSION = 1
META_KEY = "__leannet__"


def save(net, path) -> None:
    """Write ``net`` to ``path`` atomically (temporary file, fsync, rename)."""
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "network": net.get_config()}
    arrays = {name: array for name, array in net.parameters()}
    arrays[META_KEY] = np.array(json.dumps(meta))
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path):
    """Read a model written by :func:`save` (never unpickles anything)."""
    from .network import Sequential

    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data[META_KEY]))
            if meta.get("format") != FORMAT:
                raise ModelFileError(f"{path}: not a leannet model file")
            net = Sequential.from_config(meta["network"])
            for name, array in net.parameters():
                stored = data[name]
                if stored.shape != array.shape:
                    raise ModelFileError(
                        f"{path}: array {name} has shape {stored.shape}, expected {array.shape}"
                    )
                array[...] = stored
            return net
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelFileError(f"{path}: cannot read model file ({exc})") from None
