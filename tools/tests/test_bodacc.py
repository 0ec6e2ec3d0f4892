import json
import unittest
from datetime import date

from tools.bodacc import parse_export, sirens_of

JUDGMENT = json.dumps(
    {
        "type": "initial",
        "famille": "Jugement d'ouverture",
        "nature": "Jugement d'ouverture d'une procédure de redressement judiciaire",
        "date": "2026-03-10",
        "complementJugement": "Mandataire judiciaire : SELARL MJ",
    }
)


class TestBodacc(unittest.TestCase):
    def test_json_export_of_a_collective_procedure(self):
        content = json.dumps(
            [
                {
                    "registre": ["552 100 554", "552100554"],
                    "familleavis": "collective",
                    "typeavis": "annonce",
                    "dateparution": "2026-03-20",
                    "tribunal": "TRIBUNAL DE COMMERCE DE LYON",
                    "commercant": "ACME",
                    "jugement": JUDGMENT,
                },
                {"registre": "999999999", "familleavis": "vente", "jugement": ""},
            ]
        )
        announcements, unreadable = parse_export(content)
        self.assertEqual(unreadable, [])
        self.assertEqual(len(announcements), 1)
        announcement = announcements[0]
        self.assertEqual(announcement.siren, "552100554")
        self.assertEqual(announcement.kind, "receivership")
        self.assertEqual(announcement.judgment_date, date(2026, 3, 10))
        self.assertEqual(announcement.publication_date, date(2026, 3, 20))
        self.assertEqual(announcement.court, "TRIBUNAL DE COMMERCE DE LYON")

    def test_csv_export_semicolon_separated_and_unreadable_lines(self):
        judgment = JUDGMENT.replace('"', '""')
        content = (
            "\ufeffregistre;familleavis;dateparution;tribunal;commercant;jugement\n"
            f'552 100 554,552100554;collective;2026-03-20;TC LYON;ACME;"{judgment}"\n'
            ";collective;2026-03-20;TC LYON;NOBODY;\n"
            f'123456789;collective;2026-03-20;TC;X;"{{broken"\n'
        )
        announcements, unreadable = parse_export(content.encode())
        self.assertEqual([a.siren for a in announcements], ["552100554"])
        self.assertEqual(unreadable, [(2, "no SIREN"), (3, "unreadable judgment")])

    def test_sirens_of_a_registre_value(self):
        self.assertEqual(sirens_of("552 100 554,552100554, 12"), ["552100554"])
        self.assertEqual(sirens_of(None), [])
