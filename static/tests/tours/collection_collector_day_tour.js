import { registry } from "@web/core/registry";

import { collectionSteps as steps } from "./collection_tour_utils";

/** A collector's day: run the collection in review mode, cancel one draft reminder,
 * send the others, log a call with a promise to pay, print the letters and
 * propose a payment plan. tests/test_tours.py
 * checks on the server that each of them happened. */
registry.category("web_tour.tours").add("account_collection_collector_day", {
    url: "/odoo",
    steps: () => [
        ...steps.openInvoicing(),

        // The dashboard: the overdue card opens the records behind its figure.
        ...steps.openMenu("account_collection_menu_dashboard", "open the dashboard"),
        {
            content: "the cards are drawn",
            trigger: '.o_collection_dashboard .o_collection_kpi_card[data-kpi="overdue"]',
            run: "click",
        },
        {
            content: "the card opened the overdue items",
            trigger: ".o_breadcrumb .active:contains(Overdue)",
        },
        { trigger: ".o_list_view .o_data_row:contains(partner_a)" },

        // Review mode: the run prepares the reminders of today as drafts.
        ...steps.openMenu("account_collection_menu_run", "open Run Collection"),
        {
            content: "prepare the reminders of today",
            trigger: ".modal button[name=action_preview]",
            run: "click",
        },
        {
            content: "the drafts are listed",
            trigger: ".o_list_view .o_data_row:contains(Skipped Customer):contains(Draft)",
        },

        // One customer is not to be reminded: cancel its draft.
        {
            content: "open the draft of Skipped Customer",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains(Skipped Customer)",
            run: "click",
        },
        {
            content: "cancel it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_cancel]",
            run: "click",
        },
        ...steps.confirm(),
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Cancelled)",
        },
        {
            content: "back to the drafts",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Reminders)",
            run: "click",
        },

        // Send the other drafts: emails are queued, letters wait to be printed.
        ...steps.selectRow("partner_a"),
        ...steps.selectRow("partner_b"),
        ...steps.listAction("Send"),
        {
            content: "the letter of partner_a waits to be printed",
            trigger: ".o_list_view .o_data_row:contains(partner_a):contains(To Print)",
        },
        {
            content: "the email of partner_b is queued",
            trigger: ".o_list_view .o_data_row:contains(partner_b):not(:contains(Draft))",
        },

        // My collection day: the call planned on partner_b's invoice is logged in one
        // click, with the customer's promise to pay.
        ...steps.openMenu("account_collection_menu_worklist", "open My Collection Day"),
        {
            content: "log the call of partner_b",
            trigger: ".o_list_view .o_data_row:contains(partner_b) button[name=action_log_call]",
            run: "click",
        },
        {
            content: "the customer promised to pay",
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=promise]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=promise_date] input",
            run: "edit 12/31/2030",
        },
        {
            trigger: ".modal .o_field_widget[name=promise_amount] input",
            run: "edit 200",
        },
        {
            content: "log it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { trigger: "body:not(:has(.modal))" },
        ...steps.openMenu("account_collection_menu_communication", "back to the reminders"),
        { trigger: ".o_list_view .o_data_row:contains(partner_a)" },

        // Print the letter waiting in the queue (the form's button: the list's
        // Print Letters gives the tour nothing to wait for, the PDF opens in a new tab).
        {
            content: "open the letter of partner_a",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains(partner_a)",
            run: "click",
        },
        {
            content: "print it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_letters]",
            run: "click",
        },
        {
            content: "the PDF is made (the form's buttons are enabled again)",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_letters]:enabled",
        },
        {
            content: "back to the reminders",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Reminders)",
            run: "click",
        },
        {
            content: "the printed letter left the print queue",
            trigger: ".o_list_view .o_data_row:contains(partner_a):not(:contains(To Print))",
        },

        // A payment plan for partner_b, from its overdue invoice.
        ...steps.openMenu("account_collection_menu_overdue_invoices", "open Overdue Invoices"),
        {
            content: "the Overdue Invoices list replaced the reminders",
            trigger: ".o_breadcrumb .active:contains(Overdue Invoices)",
        },
        ...steps.selectRow("partner_b"),
        ...steps.listAction("Propose a Payment Plan"),
        {
            content: "two installments",
            trigger: ".modal .o_field_widget[name=installment_count] input",
            run: "edit 2",
        },
        {
            content: "create the draft plan",
            trigger: ".modal button[name=action_create_plan]",
            run: "click",
        },
        {
            content: "the plan opens",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=partner_id] input:value(partner_b)",
        },
    ],
});
