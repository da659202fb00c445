"""Model files: exact round trips, and clear errors (never code execution) for bad files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leannet as ln
from leannet.errors import FileWriteError, ModelFileError
from leannet.serialization import FORMAT, FORMAT_VERSION, META_KEY


def small_net(dtype="float32", seed=0):
    return ln.Sequential(
        [ln.Dense(3, 5), ln.ReLU(), ln.Dropout(0.2), ln.Dense(5, 2), ln.Softmax()],
        seed=seed,
        dtype=dtype,
    )


def write_npz(path: Path, meta, arrays: dict, *, compressed: bool = False) -> Path:
    """Write an archive by hand, the way a forger (or an old/new leannet) would."""
    members = dict(arrays)
    if meta is not None:
        members[META_KEY] = np.array(meta if isinstance(meta, str) else json.dumps(meta))
    saver = np.savez_compressed if compressed else np.savez
    with open(path, "wb") as handle:
        saver(handle, **members)
    return path


def valid_parts(net):
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "network": net.get_config()}
    arrays = {name: np.array(value) for name, value in net.parameters()}
    return meta, arrays


def same_weights(a, b) -> bool:
    pa, pb = a.parameters(), b.parameters()
    return [n for n, _ in pa] == [n for n, _ in pb] and all(
        x.dtype == y.dtype and np.array_equal(x, y) for (_, x), (_, y) in zip(pa, pb, strict=True)
    )


# ----------------------------------------------------------------------------
# Round trips
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_trip_keeps_config_weights_and_predictions(tmp_path, dtype):
    net = small_net(dtype)
    net.params[:] = np.random.default_rng(1).normal(size=net.n_params)
    path = tmp_path / "model.npz"
    net.save(path)
    loaded = ln.load(path)
    assert loaded.get_config() == net.get_config()
    assert loaded.dtype == np.dtype(dtype)
    assert same_weights(net, loaded)
    X = np.random.default_rng(2).normal(size=(7, 3))
    np.testing.assert_array_equal(loaded.predict(X), net.predict(X))


def test_file_layout_is_the_documented_contract(tmp_path):
    net = small_net()
    path = ln.serialization.save(net, tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == sorted([META_KEY] + [n for n, _ in net.parameters()])
        meta = json.loads(str(data[META_KEY][()]))
        for name, value in net.parameters():
            np.testing.assert_array_equal(data[name], value)
    assert meta == {"format": "leannet-model", "format_version": 1, "network": net.get_config()}


ACTIVATIONS = [ln.ReLU, ln.Tanh, ln.Sigmoid, ln.Identity, ln.LeakyReLU, ln.Softmax]


@st.composite
def architectures(draw):
    widths = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    layers = []
    for n_in, n_out in zip(widths, widths[1:], strict=False):
        layers.append(
            ln.Dense(n_in, n_out, init=draw(st.sampled_from(["glorot_uniform", "he_normal"])))
        )
        layers.append(draw(st.sampled_from(ACTIVATIONS))())
        if draw(st.booleans()):
            layers.append(ln.Dropout(draw(st.sampled_from([0.1, 0.5]))))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    return ln.Sequential(layers, seed=draw(st.integers(0, 2**31 - 1)), dtype=dtype)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(net=architectures(), data=st.data())
def test_property_random_architectures_round_trip(tmp_path, net, data):
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net.params[:] = rng.normal(
        scale=data.draw(st.sampled_from([1e-3, 1.0, 1e3])), size=net.n_params
    )
    X = rng.normal(size=(data.draw(st.integers(1, 9)), net.layers[0].n_in))
    path = tmp_path / "model.npz"
    net.save(path)
    loaded = ln.load(path)
    assert same_weights(net, loaded)
    np.testing.assert_array_equal(loaded.predict(X), net.predict(X))


def test_save_replaces_atomically_and_reports_write_errors(tmp_path):
    first, second = small_net(seed=1), small_net(seed=2)
    path = tmp_path / "m.npz"
    first.save(path)
    second.save(path)
    assert same_weights(ln.load(path), second)
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]
    with pytest.raises(FileWriteError, match="does not exist"):
        first.save(tmp_path / "missing_dir" / "m.npz")


# ----------------------------------------------------------------------------
# Hostile and broken files
# ----------------------------------------------------------------------------


class Payload:
    """Unpickling this calls open(marker, "w"): the file appears if a loader unpickles."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def pickled_array(marker: Path, shape=(3, 5)) -> np.ndarray:
    arr = np.empty(shape, dtype=object)
    arr.flat[0] = Payload(marker)
    return arr


def test_pickle_payload_is_live_with_a_careless_loader(tmp_path):
    """Control: the payload really runs code when something unpickles it."""
    marker = tmp_path / "pwned"
    path = write_npz(tmp_path / "evil.npz", None, {"x": pickled_array(marker)})
    with np.load(path, allow_pickle=True) as data:
        data["x"]
    assert marker.exists()


@pytest.mark.parametrize("where", ["layers.0.W", META_KEY])
def test_pickle_payload_is_never_run(tmp_path, where):
    marker = tmp_path / "pwned"
    meta, arrays = valid_parts(small_net())
    if where == META_KEY:
        arrays[META_KEY] = pickled_array(marker, shape=())
        meta = None
    else:
        arrays[where] = pickled_array(marker)
    path = write_npz(tmp_path / "evil.npz", meta, arrays)
    with pytest.raises(ModelFileError, match="pickled Python objects") as info:
        ln.load(path)
    assert str(path) in str(info.value)
    assert not marker.exists()


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ModelFileError, match="does not exist"):
        ln.load(tmp_path / "nope.npz")
    with pytest.raises(ModelFileError, match="is a directory"):
        ln.load(tmp_path)


def test_not_an_archive(tmp_path):
    (tmp_path / "m.npz").write_text("layer,weights\n1,2\n")
    with pytest.raises(ModelFileError, match="not a valid .npz archive"):
        ln.load(tmp_path / "m.npz")
    np.save(tmp_path / "plain.npy", np.zeros(3))
    with pytest.raises(ModelFileError, match="not a valid .npz archive"):
        ln.load(tmp_path / "plain.npy")


def test_foreign_npz_without_description(tmp_path):
    path = write_npz(tmp_path / "m.npz", None, {"W": np.zeros((2, 2))})
    with pytest.raises(ModelFileError, match="not written by leannet"):
        ln.load(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, "format is 'something-else'"),
        ({"format": "leannet-checkpoint"}, "resume_from"),
        ({"format_version": 2}, "newer leannet"),
        ({"format_version": 0}, "unsupported format_version 0"),
        ({"format_version": "1"}, "format_version is missing"),
        ({"format_version": None}, "format_version is missing"),
        ({"network": None}, "network description is missing"),
    ],
)
def test_bad_description_fields(tmp_path, change, message):
    meta, arrays = valid_parts(small_net())
    meta.update(change)
    with pytest.raises(ModelFileError, match=message):
        ln.load(write_npz(tmp_path / "m.npz", meta, arrays))


def test_description_not_json_or_not_a_string(tmp_path):
    _, arrays = valid_parts(small_net())
    with pytest.raises(ModelFileError, match="not valid JSON"):
        ln.load(write_npz(tmp_path / "a.npz", "{not json", arrays))
    arrays[META_KEY] = np.array(["a", "b"])
    with pytest.raises(ModelFileError, match="single string"):
        ln.load(write_npz(tmp_path / "b.npz", None, arrays))
    arrays[META_KEY] = np.zeros(3)
    with pytest.raises(ModelFileError, match="text dtype"):
        ln.load(write_npz(tmp_path / "c.npz", None, arrays))


def test_unknown_layer_name(tmp_path):
    meta, arrays = valid_parts(small_net())
    meta["network"]["layers"][1]["class"] = "Swish"
    with pytest.raises(ModelFileError, match="network description is invalid.*Swish"):
        ln.load(write_npz(tmp_path / "m.npz", meta, arrays))


def test_shape_mismatch_names_array_and_shapes(tmp_path):
    meta, arrays = valid_parts(small_net())
    arrays["layers.3.W"] = np.zeros((5, 3), np.float32)
    with pytest.raises(ModelFileError, match=r"'layers.3.W' has shape \(5, 3\).*needs \(5, 2\)"):
        ln.load(write_npz(tmp_path / "m.npz", meta, arrays))


def test_missing_and_extra_arrays(tmp_path):
    meta, arrays = valid_parts(small_net())
    del arrays["layers.0.b"]
    with pytest.raises(ModelFileError, match=r"missing arrays \['layers.0.b'\]"):
        ln.load(write_npz(tmp_path / "a.npz", meta, arrays))
    meta, arrays = valid_parts(small_net())
    arrays["layers.9.W"] = np.zeros(2, np.float32)
    with pytest.raises(ModelFileError, match=r"unknown arrays \['layers.9.W'\]"):
        ln.load(write_npz(tmp_path / "b.npz", meta, arrays))


def test_non_float_and_non_finite_weights(tmp_path):
    meta, arrays = valid_parts(small_net())
    arrays["layers.0.W"] = np.zeros((3, 5), np.int64)
    with pytest.raises(ModelFileError, match="dtype int64, expected a float dtype"):
        ln.load(write_npz(tmp_path / "a.npz", meta, arrays))
    meta, arrays = valid_parts(small_net())
    arrays["layers.0.b"][2] = np.nan
    with pytest.raises(ModelFileError, match="'layers.0.b' contains NaN or inf"):
        ln.load(write_npz(tmp_path / "b.npz", meta, arrays))


def test_float64_weights_are_cast_to_the_network_dtype(tmp_path):
    net = small_net("float32")
    meta, arrays = valid_parts(net)
    arrays = {name: value.astype(np.float64) for name, value in arrays.items()}
    loaded = ln.load(write_npz(tmp_path / "m.npz", meta, arrays))
    assert loaded.dtype == np.float32
    assert same_weights(net, loaded)


def test_compressed_archive_is_refused(tmp_path):
    meta, arrays = valid_parts(small_net())
    with pytest.raises(ModelFileError, match="compressed"):
        ln.load(write_npz(tmp_path / "m.npz", meta, arrays, compressed=True))


def test_small_file_describing_a_huge_network_is_refused_before_allocating(tmp_path):
    meta, arrays = valid_parts(small_net())
    meta["network"]["layers"][0]["config"]["n_in"] = 10**9
    meta["network"]["layers"][0]["config"]["n_out"] = 10**9
    with pytest.raises(ModelFileError, match="truncated or forged"):
        ln.load(write_npz(tmp_path / "m.npz", meta, arrays))


def test_header_announcing_more_data_than_stored(tmp_path):
    """A forged .npy header inside a valid zip must not make us allocate or misread."""
    net = small_net()
    meta, arrays = valid_parts(net)
    path = write_npz(tmp_path / "m.npz", meta, arrays)
    forged = tmp_path / "forged.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "layers.3.b.npy":
                data = data[: len(data) - 4]  # header still says (2,), data has 1 float
            dst.writestr(info.filename, data)
    with pytest.raises(ModelFileError, match="'layers.3.b'.*does not match the stored size"):
        ln.load(forged)


def valid_bytes(tmp_path_factory) -> bytes:
    path = ln.serialization.save(small_net(), tmp_path_factory.mktemp("valid") / "m.npz")
    return path.read_bytes()


@settings(max_examples=150, deadline=2000)
@given(blob=st.binary(max_size=3000))
def test_property_garbage_bytes_raise_model_file_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("garbage") / "m.npz"
    path.write_bytes(blob)
    with pytest.raises(ModelFileError):
        ln.load(path)


@settings(max_examples=100, deadline=2000)
@given(data=st.data())
def test_property_truncated_file_raises_model_file_error(tmp_path_factory, data):
    good = valid_bytes(tmp_path_factory)
    cut = data.draw(st.integers(0, len(good) - 1))
    path = tmp_path_factory.mktemp("cut") / "m.npz"
    path.write_bytes(good[:cut])
    with pytest.raises(ModelFileError):
        ln.load(path)


@settings(max_examples=150, deadline=2000)
@given(data=st.data())
def test_property_bit_flips_fail_cleanly_or_change_nothing(tmp_path_factory, data):
    """A flipped bit is caught (checksums, headers, checks) or lands where it cannot matter
    (e.g. a ZIP timestamp): the result is never a model with different numbers."""
    original = small_net()
    good = valid_bytes(tmp_path_factory)
    corrupted = bytearray(good)
    for position in data.draw(st.lists(st.integers(0, len(good) - 1), min_size=1, max_size=4)):
        corrupted[position] ^= 1 << data.draw(st.integers(0, 7))
    path = tmp_path_factory.mktemp("flip") / "m.npz"
    path.write_bytes(bytes(corrupted))
    try:
        loaded = ln.load(path)
    except ModelFileError:
        return
    assert loaded.get_config() == original.get_config()
    assert same_weights(loaded, original)
