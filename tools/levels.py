"""Dunning levels: which level of a policy an open invoice has reached, once the
customer's open credits are set off against its invoices."""


def reached_level(ladder, days_overdue, amount):
    """Return the level reached by an invoice ``days_overdue`` days past its due date
    (negative before it) with ``amount`` still due, or ``None``.

    :param ladder: the levels of a policy as ``(days, min_amount, level)`` tuples sorted
        from the lowest level to the highest; a level is reached ``days`` days after the
        due date when at least ``min_amount`` is due. The highest level reached wins.
    """
    reached = None
    for days, min_amount, level in ladder:
        if days <= days_overdue and amount >= min_amount:
            reached = level
    return reached


def next_level(ladder, days=None):
    """Return the level that follows the level at ``days`` days from the due date
    (the first level when ``days`` is ``None``), or ``None`` after the last one.

    :param ladder: the levels of a policy, as for :func:`reached_level`.
    """
    for level_days, _min_amount, level in ladder:
        if days is None or level_days > days:
            return level
    return None


def allocate_credits(amounts, digits=2):
    """Set the open credits off against the amounts due, in the order given.

    Open credit notes and unallocated payments pay the debts already due first, the
    oldest first (Code civil 1342-10): give the open items sorted by due date.

    :param amounts: the signed amounts of a customer's open items in one currency,
        positive for the amounts due, negative for the credits.
    :param digits: the decimals of the currency; the amounts left are rounded to them.
    :return: a list of the same length: for an amount due, what is left of it once
        the credits are allocated (0 when they cover it, the amount itself when no
        credit is left for it); for a credit, 0.
    """
    credit = -sum(amount for amount in amounts if amount < 0)
    left = []
    for amount in amounts:
        if amount <= 0:
            left.append(0)
            continue
        covered = min(amount, credit)
        credit -= covered
        left.append(round(amount - covered, digits) if covered else amount)
    return left
