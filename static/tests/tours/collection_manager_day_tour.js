import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

import { collectionSteps as steps } from "./collection_tour_utils";

/** A collection manager's day: edit a level of a policy, override a credit block,
 * run the receivables audit and open a finding. tests/test_tours.py checks on the
 * server that each of them happened. */
registry.category("web_tour.tours").add("account_collection_manager_day", {
    url: "/odoo",
    steps: () => [
        ...steps.openInvoicing(),

        // A level of the policy: the "Friendly" reminder moves from 7 to 12 days.
        ...steps.openMenu("account_collection_menu_policy", "open Collection Policies"),
        {
            content: "open the policy",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains(Test policy)",
            run: "click",
        },
        {
            content: "open the level Friendly",
            trigger:
                ".o_field_widget[name=level_ids] .o_data_row td.o_data_cell:contains(Friendly)",
            run: "click",
        },
        {
            content: "remind 12 days after the due date",
            trigger: ".modal .o_field_widget[name=days] input",
            run: "edit 12",
        },
        {
            content: "save the level",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=level_ids] .o_data_row:contains(Friendly):contains(12)",
        },
        ...stepUtils.saveForm(),

        // A customer over its credit limit: its draft invoice is posted on override.
        {
            content: "open the customer invoices",
            trigger: 'button[data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            trigger:
                '.dropdown-menu a[data-menu-xmlid="account.menu_action_move_out_invoice_type"]',
            run: "click",
        },
        {
            content: "open the draft invoice of the blocked customer",
            trigger:
                ".o_list_view .o_data_row:contains(Blocked Customer):contains(Draft) td.o_data_cell[name=invoice_partner_display_name]",
            run: "click",
        },
        {
            content: "the invoice says the customer is over its limit",
            trigger: ".o_form_view .alert-warning:contains(credit limit)",
        },
        {
            content: "post it anyway",
            trigger: ".o_form_view button[name=action_post_collection_override]",
            run: "click",
        },
        ...steps.confirm(),
        {
            content: "the invoice is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Posted)",
        },

        // The receivables audit, run now, and one of its findings.
        ...steps.openMenu("account_collection_menu_audit", "open Receivables Audits"),
        {
            content: "run an audit now",
            trigger: ".o_list_view button:contains(Run Audit Now), .o_control_panel button:contains(Run Audit Now)",
            run: "click",
        },
        {
            content: "open the findings of the audit",
            trigger: ".o_form_view button[name=action_view_findings]",
            run: "click",
        },
        {
            content: "open the duplicate invoice",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains(Same customer and amount)",
            run: "click",
        },
        {
            content: "the finding opens",
            trigger: ".o_form_view button[name=action_open_record]",
        },
    ],
});
