import unittest

from tools.xlsx import excel_date_format, name_sort_key, sheet_name


class TestExcelDateFormat(unittest.TestCase):
    def test_language_formats(self):
        self.assertEqual(excel_date_format("%d/%m/%Y"), "dd/mm/yyyy")
        self.assertEqual(excel_date_format("%m/%d/%Y"), "mm/dd/yyyy")
        self.assertEqual(excel_date_format("%d.%m.%y"), "dd.mm.yy")

    def test_literal_text_is_quoted(self):
        self.assertEqual(excel_date_format("%d de %B"), 'dd" de "mmmm')

    def test_empty_format_falls_back_to_iso(self):
        self.assertEqual(excel_date_format(""), "yyyy-mm-dd")
        self.assertEqual(excel_date_format(None), "yyyy-mm-dd")


class TestNameSortKey(unittest.TestCase):
    def test_accents_and_case_are_ignored_first(self):
        names = ["Transports Lefèvre", "Électricité Bernard", "zinc", "Alpha"]
        self.assertEqual(
            sorted(names, key=name_sort_key),
            ["Alpha", "Électricité Bernard", "Transports Lefèvre", "zinc"],
        )

    def test_empty_name(self):
        self.assertEqual(name_sort_key(None), ("", "", ""))


class TestSheetName(unittest.TestCase):
    def test_invalid_characters_and_length(self):
        used = set()
        self.assertEqual(
            sheet_name("Audit 2026/11: [draft]?", used), "Audit 2026 11   draft"
        )
        self.assertLessEqual(len(sheet_name("x" * 50, used)), 31)

    def test_unique_whatever_the_case(self):
        used = set()
        self.assertEqual(sheet_name("Société A", used), "Société A")
        self.assertEqual(sheet_name("société a", used), "société a (2)")
        self.assertEqual(sheet_name("", used), "Sheet")
