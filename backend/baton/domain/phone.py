"""Phone numbers, normalised to E.164 (+86 when no country code is given)."""

import phonenumbers


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str, default_region: str = "CN") -> str:
    try:
        parsed = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(f"not a phone number: {error}") from error
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone("not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def reversed_digits(e164: str) -> str:
    return "".join(ch for ch in reversed(e164) if ch.isdigit())
