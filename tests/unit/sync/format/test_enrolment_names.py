"""Names in enrolment requests: control and format characters are refused when a request is
read, dropped into visible escapes when one is made, and escaped wherever one is shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_app.sync.centre.devices import list_devices, read_requests
from intake_app.sync.errors import EnrolmentInvalid
from intake_app.sync.format.enrolment import (
    EnrolmentRequest,
    enrolment_comment,
    escape_hidden,
    has_hidden_characters,
    parse_enrolment,
    read_enrolment,
)
from tests.helpers.bundles import CREATED, Laptop
from tests.helpers.centre import make_centre

# What a crafted name could use to fool the administrator's terminal or window.
HIDDEN = {
    "escape sequence": "\x1b[8m",
    "newline": "\n",
    "carriage return": "\r",
    "tab": "\t",
    "delete": "\x7f",
    "C1 control sequence introducer": "\x9b",
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "pop directional isolate": "\u2069",
    "right-to-left mark": "\u200f",
    "zero width space": "\u200b",
    "byte order mark": "\ufeff",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "lone surrogate": "\ud800",
    "tag character": "\U000e0041",
}
# Ordinary names that must still work, including a Persian one with a zero width non-joiner.
ORDINARY = ["Laptop 7", "Kannettava Ääkkönen", "لپ‌تاپ ۷", "ноутбук", "W-12 / Tampere",
            "👩‍💻 laptop"]


def _signed(laptop: Laptop, data: bytes) -> bytes:
    signature = laptop.keypair.secret_key.sign(
        data, prehash=True, trusted_comment=enrolment_comment(laptop.device_id))
    return bytes(signature) + b"\n"


def _crafted(laptop: Laptop, **fields: str) -> bytes:
    """A request as a hostile laptop could write it: any JSON, correctly signed."""
    obj = laptop.request().to_json()
    obj.update(fields)
    return json.dumps(obj, ensure_ascii=True).encode()  # a lone surrogate needs the escape


@pytest.mark.parametrize("field", ["device_name", "worker"])
@pytest.mark.parametrize("hidden", list(HIDDEN.values()), ids=list(HIDDEN))
def test_names_with_hidden_characters_are_refused(field: str, hidden: str, laptop: Laptop) -> None:
    data = _crafted(laptop, **{field: f"Laptop 7{hidden}Key fingerprint: 0000 1111"})
    with pytest.raises(EnrolmentInvalid):
        parse_enrolment(data, _signed(laptop, data))


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_in_any_script_are_accepted(name: str, laptop: Laptop) -> None:
    data = _crafted(laptop, device_name=name, worker=name)
    request = parse_enrolment(data, _signed(laptop, data))
    assert (request.device_name, request.worker) == (name, name)
    assert not has_hidden_characters(name)


def test_a_refused_request_registers_nothing_at_the_centre(tmp_path: Path) -> None:
    centre = make_centre(tmp_path)
    try:
        folder = centre.share / "enrol"
        folder.mkdir(exist_ok=True)
        crafted, good = Laptop(), Laptop()
        data = _crafted(crafted, device_name="Laptop 7\nKey fingerprint: 0000\x1b[8m")
        path = folder / f"{crafted.device_id}.json"
        path.write_bytes(data)
        path.with_name(path.name + ".minisig").write_bytes(_signed(crafted, data))
        good_path = folder / f"{good.device_id}.json"
        good_data = good.request().to_bytes()
        good_path.write_bytes(good_data)
        good_path.with_name(good_path.name + ".minisig").write_bytes(_signed(good, good_data))
        reads = read_requests(centre.vault, [path, good_path])
        assert isinstance(reads[0].error, EnrolmentInvalid) and reads[0].device is None
        assert reads[1].error is None
        assert [d.device_id for d in list_devices(centre.vault)] == [good.device_id]
    finally:
        centre.close()


def test_making_a_request_turns_hidden_characters_into_visible_escapes(laptop: Laptop) -> None:
    request = EnrolmentRequest.make(
        device_id=laptop.device_id, device_name="Laptop 7\u202e\x1b[8m",
        worker="W-1\u200b", public_key=laptop.keypair.public_key, created=CREATED)
    assert request.device_name == "Laptop 7\\u202e\\x1b[8m"
    assert request.worker == "W-1\\u200b"
    long = EnrolmentRequest.make(
        device_id=laptop.device_id, device_name="\x1b" * 100, worker="W-1",
        public_key=laptop.keypair.public_key, created=CREATED)
    assert len(long.device_name) == 100 and not has_hidden_characters(long.device_name)
    # What the laptop writes, the centre reads back unchanged.
    data = request.to_bytes()
    assert parse_enrolment(data, _signed(laptop, data)) == request


def test_escape_hidden_shows_every_hidden_character_and_keeps_the_rest() -> None:
    for hidden in HIDDEN.values():
        shown = escape_hidden(f"a{hidden}b")
        assert shown.startswith("a\\") and shown.endswith("b")
        assert not has_hidden_characters(shown) and shown.isprintable()
    assert escape_hidden("x\x1b[8m\n") == "x\\x1b[8m\\x0a"
    assert escape_hidden("\u202e") == "\\u202e"
    assert escape_hidden("\U000e0041") == "\\U000e0041"
    for name in ORDINARY:
        assert escape_hidden(name) == name


def test_a_written_request_with_an_ordinary_name_round_trips(
        tmp_path: Path, laptop: Laptop) -> None:
    from intake_app.sync.device.enrol import write_enrolment

    request = EnrolmentRequest.make(device_id=laptop.device_id, device_name="لپ‌تاپ ۷",
                                    worker="W-12", public_key=laptop.keypair.public_key,
                                    created=CREATED)
    path = write_enrolment(tmp_path, request, laptop.keypair.secret_key)
    assert read_enrolment(path) == request
