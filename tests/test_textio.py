import codecs

import pytest

from slr.errors import InputError
from slr.textio import decode_bytes, read_text

TEXT = "Ferrão, P.\nCosta, I.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decodes_every_encoding_exports_arrive_in(data, encoding):
    decoded = decode_bytes(data, "x.txt")
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_cp1252_is_not_mangled():
    assert "Ferrão" in decode_bytes("Ferrão".encode("cp1252"), "x").text
    assert "FerrÃ£o" not in decode_bytes("Ferrão".encode("cp1252"), "x").text


def test_mixed_encoding_names_the_line():
    data = "line one é\n".encode() + "line two ã\n".encode("cp1252")
    with pytest.raises(InputError) as info:
        decode_bytes(data, "mixed.csv")
    assert "mixed.csv:2:" in str(info.value)
    assert "mixes UTF-8" in str(info.value)


def test_binary_file_is_refused_with_line():
    with pytest.raises(InputError) as info:
        decode_bytes(b"PK\x03\x04\x00\x00binary", "export.xlsx")
    assert "export.xlsx:1:" in str(info.value)
    assert "binary" in str(info.value)


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_file_is_refused(data):
    with pytest.raises(InputError, match="empty"):
        decode_bytes(data, "empty.txt")


def test_control_character_is_refused():
    with pytest.raises(InputError, match=r"bad\.txt:2: .*U\+0007"):
        decode_bytes(b"ok\nbell \x07 here\n", "bad.txt")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.csv")
