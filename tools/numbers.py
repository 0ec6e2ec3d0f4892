"""Number conversion shared by the pure helpers."""

from decimal import Decimal, InvalidOperation


def as_decimal(value, name):
    """Return ``value`` as a finite Decimal, reading floats as written (0.1 is 0.1).

    :param name: what the value is, for the error message.
    :raise ValueError: when ``value`` is not a number or not finite.
    """
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return result
