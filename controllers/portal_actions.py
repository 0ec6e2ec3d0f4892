from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import CollectionPortal


class CollectionPortalActions(CollectionPortal):
    """What the customer does on its collection page besides paying (issue #15):
    promise to pay. Every route checks the token first; all data is read and
    written as superuser within the access's customer, company and currency."""

    def _collection_portal_render(self, access, **values):
        """The page again, with the action's message or error."""
        return request.render(
            "account_collection.collection_portal_page",
            {**self._collection_portal_values(access), **values},
        )

    @http.route(
        "/collection/portal/<int:access_id>/promise",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def collection_portal_promise(
        self, access_id, access_token=None, date=None, amount=None, **kwargs
    ):
        access = self._collection_portal_access(access_id, access_token)
        try:
            try:
                promise_date = fields.Date.to_date(date) if date else False
                promise_amount = float(amount or 0.0)
            except ValueError as error:
                raise UserError(_("Enter a valid date and amount.")) from error
            access._collection_portal_record_promise(promise_date, promise_amount)
        except UserError as error:
            return self._collection_portal_render(
                access, collection_portal_error=error.args[0]
            )
        return self._collection_portal_render(
            access,
            collection_portal_message=_("Thank you: your promise to pay is recorded."),
        )

    @http.route(
        "/collection/portal/<int:access_id>/dispute/<int:move_id>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def collection_portal_dispute(
        self,
        access_id,
        move_id,
        access_token=None,
        reason=None,
        message=None,
        attachment=None,
        **kwargs,
    ):
        access = self._collection_portal_access(access_id, access_token)
        move = access._collection_portal_move(move_id)
        if not move:
            raise NotFound()
        upload = None
        if attachment and getattr(attachment, "filename", None):
            upload = (attachment.filename, attachment.read())
        try:
            access._collection_portal_dispute(move, reason, message, upload)
        except UserError as error:
            return self._collection_portal_render(
                access, collection_portal_error=error.args[0]
            )
        return self._collection_portal_render(
            access,
            collection_portal_message=_(
                "Thank you: your dispute is sent to our team, reminders of this "
                "invoice stop meanwhile."
            ),
        )

    @http.route(
        "/collection/portal/<int:access_id>/plan",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def collection_portal_plan(
        self, access_id, access_token=None, installment_count=None, **kwargs
    ):
        access = self._collection_portal_access(access_id, access_token)
        try:
            try:
                count = int(installment_count or 0)
            except ValueError as error:
                raise UserError(_("Enter a number of installments.")) from error
            access._collection_portal_plan_request(count)
        except UserError as error:
            return self._collection_portal_render(
                access, collection_portal_error=error.args[0]
            )
        return self._collection_portal_render(
            access,
            collection_portal_message=_(
                "Thank you: your request for a payment plan is sent to our team."
            ),
        )

    def _collection_portal_plan(self, access, plan_id):
        """The plan ``plan_id`` of the access's customer and company, or 404."""
        plan = access._collection_portal_plans().filtered(lambda p: p.id == plan_id)
        if not plan:
            raise NotFound()
        return plan

    @http.route(
        "/collection/portal/<int:access_id>/plan/<int:plan_id>/agreement",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def collection_portal_plan_agreement(self, access_id, plan_id, access_token=None):
        access = self._collection_portal_access(access_id, access_token)
        plan = self._collection_portal_plan(access, plan_id)
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "account_collection.action_report_account_collection_plan", plan.ids
            )[0]
        )
        return request.make_response(
            pdf,
            headers=[("Content-Type", "application/pdf"), ("Content-Length", len(pdf))],
        )

    @http.route(
        "/collection/portal/<int:access_id>/plan/<int:plan_id>/accept",
        type="json",
        auth="public",
        website=True,
    )
    def collection_portal_plan_accept(
        self, access_id, plan_id, access_token=None, name=None, signature=None
    ):
        access_token = access_token or request.httprequest.args.get("access_token")
        access = self._collection_portal_access(access_id, access_token)
        plan = self._collection_portal_plan(access, plan_id)
        try:
            plan._collection_portal_sign(name, signature)
        except UserError as error:
            return {"error": error.args[0]}
        return {"force_refresh": True, "redirect_url": access._get_share_url()}
