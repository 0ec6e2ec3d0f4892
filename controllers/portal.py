from werkzeug.exceptions import NotFound

from odoo import Command, _, fields, http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import float_compare

from odoo.addons.account_payment.controllers.payment import PaymentPortal


class CollectionPortal(http.Controller):
    """The customer's collection page: every open item of one customer in one
    company and currency, reached from a reminder's link without an account, where
    the customer downloads the documents and pays. Access is the token of an
    ``account.collection.portal.access`` only: another customer's id, a tampered or
    revoked token all answer 404, and every document or amount the browser sends is
    checked against that customer's open items."""

    def _collection_portal_access(self, access_id, access_token):
        """The access record (sudo) of ``access_id`` when ``access_token`` is its
        valid token; 404 otherwise."""
        access = request.env["account.collection.portal.access"].sudo()
        access = access._collection_portal_access_from_token(access_id, access_token)
        if not access:
            raise NotFound()
        return access

    def _collection_portal_values(self, access, **kwargs):
        """Values of the page template, extended by the page's actions."""
        moves = access._collection_portal_open_moves()
        payable = access._collection_portal_payable_moves(moves)
        selected = access._collection_portal_selected_moves(
            payable, request.httprequest.args.getlist("pay")
        )
        values = {
            "access": access,
            "access_token": access.access_token,
            "partner": access.partner_id,
            "company": access.company_id,
            "res_company": access.company_id,
            "currency": access.currency_id,
            "moves": moves,
            "payable_moves": payable,
            "selected_moves": selected,
            "today": fields.Date.context_today(access),
            "page_name": "collection_portal",
            "payment_done": access._collection_portal_recent_transactions()
            if kwargs.get("paid")
            else request.env["payment.transaction"].sudo(),
        }
        if selected:
            values.update(self._collection_portal_payment_values(access, selected))
        return values

    def _collection_portal_payment_values(self, access, moves):
        """Values of Odoo's payment form (``payment.form``) for paying ``moves``."""
        amount = access._collection_portal_amount_due(moves)
        partner = self._collection_portal_payer(access)
        company = access.company_id
        currency = access.currency_id
        report = {}
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, partner.id, amount, currency_id=currency.id, report=report
            )
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers.ids, partner.id, currency_id=currency.id, report=report
            )
        )
        tokens = (
            request.env["payment.token"]
            .sudo()
            ._get_available_tokens(providers.ids, partner.id)
        )
        move_ids = "-".join(str(move_id) for move_id in moves.ids)
        return {
            "amount": amount,
            "partner_id": partner.id,
            "providers_sudo": providers,
            "payment_methods_sudo": methods,
            "tokens_sudo": tokens,
            "availability_report": report,
            "show_tokenize_input_mapping": PaymentPortal._compute_show_tokenize_input_mapping(
                providers
            ),
            "transaction_route": f"/collection/portal/{access.id}/transaction/{move_ids}",
            "landing_route": f"{access._get_share_url()}&paid=1",
            "company_mismatch": not PaymentPortal._can_partner_pay_in_company(
                partner, company
            ),
            "expected_company": company,
        }

    def _collection_portal_payer(self, access):
        """The partner paying: the logged-in customer contact, else the customer."""
        user = request.env.user
        if not user._is_public() and user.partner_id.commercial_partner_id == (
            access.partner_id
        ):
            return user.partner_id
        return access.partner_id

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route(
        "/collection/portal/<int:access_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def collection_portal_page(self, access_id, access_token=None, **kwargs):
        access = self._collection_portal_access(access_id, access_token)
        return request.render(
            "account_collection.collection_portal_page",
            self._collection_portal_values(access, **kwargs),
        )

    @http.route(
        "/collection/portal/<int:access_id>/document/<int:move_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def collection_portal_document(self, access_id, move_id, access_token=None, **kw):
        """The PDF of one invoice or credit note of the page."""
        access = self._collection_portal_access(access_id, access_token)
        move = access._collection_portal_move(move_id)
        if not move:
            raise NotFound()
        pdf, filename = access._collection_portal_move_pdf(move)
        return self._collection_portal_pdf_response(pdf, filename)

    @http.route(
        "/collection/portal/<int:access_id>/notice/<int:communication_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def collection_portal_notice(
        self, access_id, communication_id, access_token=None, **kw
    ):
        """The PDF of one reminder sent to the customer."""
        access = self._collection_portal_access(access_id, access_token)
        notice = access._collection_portal_notices().filtered(
            lambda communication: communication.id == communication_id
        )
        if not notice:
            raise NotFound()
        pdf, filename = access._collection_portal_notice_pdf(notice)
        return self._collection_portal_pdf_response(pdf, filename)

    @http.route(
        "/collection/portal/<int:access_id>/transaction/<string:move_ids>",
        type="json",
        auth="public",
    )
    def collection_portal_transaction(
        self, access_id, move_ids, access_token, **kwargs
    ):
        """Create the payment transaction of the selected invoices and return its
        processing values (the route of Odoo's payment form). The invoices and the
        amount are checked against the customer's open invoices."""
        access = self._collection_portal_access(access_id, access_token)
        payable = access._collection_portal_payable_moves(
            access._collection_portal_open_moves()
        )
        moves = access._collection_portal_selected_moves(payable, move_ids.split("-"))
        requested = {
            int(move_id) for move_id in move_ids.split("-") if move_id.isdigit()
        }
        if not moves or set(moves.ids) != requested:
            raise ValidationError(_("These invoices can no longer be paid here."))
        amount = access._collection_portal_amount_due(moves)
        currency = access.currency_id
        if float_compare(
            kwargs.get("amount") or 0.0, amount, precision_rounding=currency.rounding
        ):
            raise ValidationError(
                _("The amount to pay changed: reload the page and try again.")
            )
        PaymentPortal._validate_transaction_kwargs(kwargs)
        kwargs.update(
            {
                "amount": amount,
                "currency_id": currency.id,
                "partner_id": self._collection_portal_payer(access).id,
            }
        )
        transaction = PaymentPortal()._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(moves.ids)]},
            **kwargs,
        )
        return transaction._get_processing_values()

    @staticmethod
    def _collection_portal_pdf_response(pdf, filename):
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
