import { registry } from "@web/core/registry";

/** A customer opens the collection page from a reminder's link, keeps one of the
 * two overdue invoices, pays it with Odoo's demo provider and lands back on the
 * page, thanked. tests/test_portal.py checks the payment on the server. */
registry.category("web_tour.tours").add("account_collection_portal_pay", {
    steps: () => [
        {
            content: "both overdue invoices are proposed for payment",
            trigger: ".o_collection_portal_move:eq(1) .o_collection_portal_pay_check:checked",
        },
        {
            content: "keep only the first invoice",
            trigger: ".o_collection_portal_move:eq(1) .o_collection_portal_pay_check",
            run: "click",
        },
        {
            content: "update the payment",
            trigger: "button.o_collection_portal_select",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the payment is for the first invoice only",
            trigger: ".o_collection_portal_payment h2:contains(1,000.00)",
        },
        {
            content: "enter test card details",
            trigger: "input[name=customer_input]",
            run: "edit 4242424242424242",
        },
        {
            content: "pay",
            trigger: "button[name=o_payment_submit_button]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "back on the page, thanked for the payment",
            trigger: ".o_collection_portal_paid:contains(1,000.00)",
            timeout: 20000,
        },
    ],
});
