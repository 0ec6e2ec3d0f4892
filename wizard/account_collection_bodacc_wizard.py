import base64
import re

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import bodacc


class AccountCollectionBodaccWizard(models.TransientModel):
    """Imports the collective-procedure announcements of a BODACC open-data export
    (JSON or CSV, dataset "annonces-commerciales"), matches them to the customers by
    SIREN and records their insolvency procedures in the current company."""

    _name = "account.collection.bodacc.wizard"
    _description = "Import BODACC Announcements"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(string="BODACC Export", required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)
    insolvency_ids = fields.Many2many(
        "account.collection.insolvency",
        "account_collection_bodacc_wizard_insolvency_rel",
        "wizard_id",
        "insolvency_id",
        string="Procedures Created",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_import(self):
        self.ensure_one()
        try:
            content = base64.b64decode(self.file or b"")
            announcements, unreadable = bodacc.parse_export(content)
        except (ValueError, UnicodeDecodeError) as error:
            raise UserError(
                _("This file is not a BODACC export in JSON or CSV: %s", error)
            ) from error
        partners = self._partners_by_siren({a.siren for a in announcements})
        Procedure = self.env["account.collection.insolvency"]
        existing = Procedure.search(
            [
                ("partner_id", "in", [p.id for p in partners.values()]),
                ("company_id", "=", self.company_id.id),
            ]
        )
        known = {(p.partner_id.id, p.kind, p.judgment_date): p for p in existing}
        to_create, unmatched, already = [], set(), 0
        for announcement in announcements:
            partner = partners.get(announcement.siren)
            if not partner:
                unmatched.add(announcement.siren)
                continue
            key = (partner.id, announcement.kind, announcement.judgment_date)
            if key in known:
                procedure = known[key]
                if procedure and not procedure.publication_date:
                    procedure.publication_date = announcement.publication_date
                already += 1
                continue
            known[key] = Procedure
            to_create.append(
                {
                    "partner_id": partner.id,
                    "company_id": self.company_id.id,
                    "kind": announcement.kind,
                    "judgment_date": announcement.judgment_date,
                    "publication_date": announcement.publication_date,
                    "court": announcement.court,
                }
            )
        created = Procedure.create(to_create)
        for procedure in created:
            procedure.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("New insolvency procedure (BODACC)"),
                note=_(
                    "The BODACC announces an insolvency procedure of %s: check the "
                    "claim and declare it to the mandataire judiciaire.",
                    procedure.partner_id.display_name,
                ),
                user_id=procedure.user_id.id or self.env.user.id,
            )
        lines = [
            _("Procedures created: %s", len(created)),
            _("Already known: %s", already),
            _("Unmatched SIREN: %s", len(unmatched)),
            _("Unreadable announcements: %s", len(unreadable)),
        ]
        if unmatched:
            lines.append(
                _(
                    "SIREN not found among the customers: %s",
                    ", ".join(sorted(unmatched)),
                )
            )
        for number, reason in unreadable:
            lines.append(
                _("Announcement %(number)s: %(reason)s", number=number, reason=reason)
            )
        self.write(
            {
                "result": "\n".join(lines),
                "insolvency_ids": [fields.Command.set(created.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Import BODACC Announcements"),
        }

    def action_open_procedures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_collection.action_account_collection_insolvency"
        )
        action["domain"] = [("id", "in", self.insolvency_ids.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _partners_by_siren(self, sirens):
        """``{siren: commercial partner}`` of the customers of the company whose
        company registry (SIREN or SIRET) or SIRET (l10n_fr) starts with a SIREN."""
        if not sirens:
            return {}
        Partner = self.env["res.partner"]
        registry_fields = [
            name for name in ("company_registry", "siret") if name in Partner._fields
        ]
        domain = [
            ("parent_id", "=", False),
            ("company_id", "in", [False, self.company_id.id]),
        ]
        domain += ["|"] * (len(registry_fields) - 1) + [
            (name, "!=", False) for name in registry_fields
        ]
        found = {}
        for partner in Partner.search(domain, order="id"):
            for name in registry_fields:
                siren = re.sub(r"\D", "", partner[name] or "")[:9]
                if siren in sirens:
                    found.setdefault(siren, partner)
        return found
