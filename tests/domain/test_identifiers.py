"""VINs and phone numbers as the desk types them."""

import pytest

from baton.domain.phone import InvalidPhone, normalise_phone, reversed_digits
from baton.domain.vin import InvalidVin, check_digit, normalise_vin


def test_vin_with_correct_check_digit_is_accepted_and_upper_cased() -> None:
    assert normalise_vin(" 1m8gdm9axkp042788 ") == "1M8GDM9AXKP042788"


def test_vin_check_digit_can_be_x() -> None:
    vin = "1M8GDM9AXKP042788"
    body = vin[:8] + "0" + vin[9:]
    for candidate in ("1HGCM82633A004352", "JHMCM56557C404453", "11111111111111111"):
        assert check_digit(candidate) == candidate[8]
    assert check_digit(body) in "0123456789X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1M8GDM9AXKP04278", "vin_length"),
        ("1M8GDM9AXKP0427888", "vin_length"),
        ("1M8GDM9AXKP04278O", "vin_alphabet"),
        ("1M8GDM9AIKP042788", "vin_alphabet"),
        ("1M8GDM9A1KP042788", "vin_check_digit"),
    ],
)
def test_invalid_vin_is_refused_with_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidVin) as refused:
        normalise_vin(raw)
    assert refused.value.says == reason
    if reason == "vin_check_digit":
        assert refused.value.params == {"expected": "X"}


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("+1 415 555 2671", "+14155552671"),
    ],
)
def test_phone_is_normalised_to_e164_with_china_default(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "call me", "+86 138"])
def test_invalid_phone_is_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_reversed_digits_make_suffix_a_prefix() -> None:
    assert reversed_digits("+8613812345678").startswith("8765")
