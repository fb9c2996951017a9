"""Vehicle identification numbers: 17 characters, no I/O/Q, ISO 3779 check digit at position 9."""

TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_ALPHABET = frozenset(TRANSLITERATION)


class InvalidVin(ValueError):
    """`says` names the text of the problem (`problem.<says>`), `params` its parameters."""

    def __init__(self, says: str, **params: str) -> None:
        super().__init__(says)
        self.says = says
        self.params = params


def check_digit(vin: str) -> str:
    total = sum(TRANSLITERATION[ch] * weight for ch, weight in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalise_vin(raw: str) -> str:
    vin = raw.strip().upper()
    if len(vin) != 17:
        raise InvalidVin("vin_length")
    if not set(vin) <= VIN_ALPHABET:
        raise InvalidVin("vin_alphabet")
    if vin[8] != check_digit(vin):
        raise InvalidVin("vin_check_digit", expected=check_digit(vin))
    return vin


def looks_like_vin_fragment(text: str) -> bool:
    return len(text) >= 6 and set(text) <= VIN_ALPHABET
