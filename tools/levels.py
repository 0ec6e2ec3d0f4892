"""Dunning levels: which level of a policy an open invoice has reached."""


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
