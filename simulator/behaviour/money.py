"""Money, one meaning everywhere: a provider declares the unit it stores amounts in (`cents`: integer minor units;
`major`: a decimal in the currency's unit) and how it prints them (behaviour.yaml `money:`).

`minor(value)` is always an integer number of minor units (centavos); `major(value)` a Decimal in the currency's
unit; `printed(value)` the text a person reads ("R$ 10,00", "300,00 MZN").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
CENT = Decimal("0.01")


def decimal_of(value: object) -> Decimal | None:
    """A finite number given as a number or numeric text, as a Decimal; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def rounded(value: Decimal) -> Decimal:
    """To the cent, half up (how the providers round money)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def two_decimals(minor: int) -> str:
    """Minor units as a decimal text with two places ("50.00"), as several providers print amounts."""
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    return f"{sign}{minor // 100}.{minor % 100:02d}"


@dataclass(frozen=True)
class Money:
    currency: str = ""
    unit: str = "major"  # cents | major
    format: str = "{amount} {currency}"
    decimal_mark: str = ","
    thousands_mark: str = "."

    def major(self, value: object, unit: str | None = None) -> Decimal:
        """The amount in the currency's unit; ValueError when the value is no number."""
        number = decimal_of(value)
        if number is None:
            raise ValueError(f"not an amount: {value!r}")
        return number / 100 if (unit or self.unit) == "cents" else number

    def minor(self, value: object, unit: str | None = None) -> int:
        """The amount in minor units (centavos), rounded half up; ValueError when the value is no number."""
        return int(rounded(self.major(value, unit)) * 100)

    def printed(self, value: object, unit: str | None = None) -> str | None:
        """The amount as a person reads it; the value as text when it is no number; None for None."""
        if value is None:
            return None
        try:
            amount = self.major(value, unit)
        except ValueError:
            return str(value)
        text = f"{amount:,.2f}".replace(",", "\0").replace(".", self.decimal_mark).replace("\0", self.thousands_mark)
        return self.format.format(amount=text, currency=self.currency).strip()
