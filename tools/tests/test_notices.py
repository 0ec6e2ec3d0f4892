import base64
import unittest

from tools.notices import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PRINT_DELAY,
    batch_size,
    print_delay,
    qr_code_data_uri,
    with_print_delay,
    wkhtmltopdf_is_patched,
)


class TestWkhtmltopdfIsPatched(unittest.TestCase):
    def test_patched_build_from_pypi(self):
        self.assertTrue(
            wkhtmltopdf_is_patched("wkhtmltopdf 0.12.4 (with patched qt)\n")
        )
        self.assertTrue(
            wkhtmltopdf_is_patched("wkhtmltopdf 0.12.6.1 (with patched Qt)")
        )

    def test_debian_build_is_not_patched(self):
        self.assertFalse(wkhtmltopdf_is_patched("wkhtmltopdf 0.12.6\n"))
        self.assertFalse(wkhtmltopdf_is_patched(""))
        self.assertFalse(wkhtmltopdf_is_patched(None))


class TestBatchSize(unittest.TestCase):
    def test_parameter_value(self):
        self.assertEqual(batch_size("20"), 20)
        self.assertEqual(batch_size(" 7 "), 7)

    def test_bad_value_keeps_the_default(self):
        for value in (None, "", "abc", "0", "-3", False):
            self.assertEqual(batch_size(value), DEFAULT_BATCH_SIZE)


class TestPrintDelay(unittest.TestCase):
    def test_parameter_value(self):
        self.assertEqual(print_delay("300"), 300)
        self.assertEqual(print_delay(" 0 "), 0)

    def test_bad_value_keeps_the_default(self):
        for value in (None, False, "", "fast", "-5"):
            self.assertEqual(print_delay(value), DEFAULT_PRINT_DELAY)

    def test_replaces_odoo_delay(self):
        args = ["--quiet", "--javascript-delay", "1000", "--page-size", "A4"]
        self.assertEqual(
            with_print_delay(args, 200),
            ["--quiet", "--javascript-delay", "200", "--page-size", "A4"],
        )
        # The arguments given are left as they were.
        self.assertEqual(args[2], "1000")

    def test_added_when_absent(self):
        self.assertEqual(
            with_print_delay(["--quiet"], 0), ["--quiet", "--javascript-delay", "0"]
        )


class TestQrCode(unittest.TestCase):
    def test_png_data_uri(self):
        uri = qr_code_data_uri("https://example.com/collection/portal/7?access_token=x")
        prefix = "data:image/png;base64,"
        self.assertTrue(uri.startswith(prefix))
        self.assertEqual(base64.b64decode(uri[len(prefix) :])[:8], b"\x89PNG\r\n\x1a\n")

    def test_longer_value_gives_a_larger_code(self):
        self.assertLess(len(qr_code_data_uri("a")), len(qr_code_data_uri("a" * 200)))
