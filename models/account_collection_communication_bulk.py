from odoo import models
from odoo.exceptions import UserError

from ..tools.actions import notification


class AccountCollectionCommunication(models.Model):
    """The actions of the reminders list on a selection: each reminder is
    processed on its own, and the user is told what was done and what could not
    be, and why."""

    _inherit = "account.collection.communication"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_bulk_retry(self):
        return self._bulk_run(
            "action_retry",
            self.env._("Reminders sent again: %s."),
            lambda communication: communication.state == "error",
        )

    def action_bulk_cancel(self):
        return self._bulk_run("action_cancel", self.env._("Reminders cancelled: %s."))

    def action_bulk_print(self):
        letters = self.filtered(
            lambda c: c.send_letter and c.state in ("to_print", "queued", "sent")
        )
        skipped = [
            (communication, self.env._("no letter to print"))
            for communication in self - letters
        ]
        download = letters.action_print_letters() if letters else None
        return self._bulk_notification(
            self.env._("Letters printed: %s.", len(letters)), skipped, download
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _bulk_run(self, method, message, still_failing=None):
        """Run ``method`` on each reminder in its own savepoint: a reminder that
        cannot be processed is left as it was and listed with its reason."""
        done = self.browse()
        skipped = []
        for communication in self:
            try:
                with self.env.cr.savepoint():
                    getattr(communication, method)()
            except UserError as error:
                skipped.append((communication, error.args[0]))
                continue
            if still_failing and still_failing(communication):
                skipped.append((communication, communication.error_message))
            else:
                done |= communication
        return self._bulk_notification(message % len(done), skipped)

    def _bulk_notification(self, message, skipped, next_action=None):
        if skipped:
            message = "\n".join(
                [
                    message,
                    self.env._("Not processed: %s.", len(skipped)),
                    *(
                        f"{communication.display_name}: {reason}"
                        for communication, reason in skipped
                    ),
                ]
            )
        return notification(
            message,
            kind="warning" if skipped else "success",
            sticky=bool(skipped),
            next_action=next_action,
        )
