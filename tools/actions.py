"""Client actions returned by the buttons: what an action did, told to the user."""

RELOAD = {"type": "ir.actions.client", "tag": "soft_reload"}


def notification(message, title=False, kind="success", next_action=None, sticky=False):
    """A ``display_notification`` client action saying ``message`` (already
    translated), then running ``next_action``: by default the current view is
    reloaded, so that the records show their new state."""
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {
            "title": title,
            "message": message,
            "type": kind,
            "sticky": sticky,
            "next": RELOAD if next_action is None else next_action,
        },
    }
