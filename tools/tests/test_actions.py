import unittest

from tools.actions import RELOAD, notification


class TestNotification(unittest.TestCase):
    def test_reloads_the_view_by_default(self):
        action = notification("2 reminders sent.")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["message"], "2 reminders sent.")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["next"], RELOAD)

    def test_opens_the_next_action(self):
        opened = {"type": "ir.actions.act_window", "res_model": "res.partner"}
        action = notification("Done", title="T", kind="warning", next_action=opened)
        self.assertIs(action["params"]["next"], opened)
        self.assertEqual(action["params"]["title"], "T")
        self.assertEqual(action["params"]["type"], "warning")
