import { registry } from "@web/core/registry";

/** "Mark Done" on a collection call in the invoice's chatter opens the call log
 * instead of Odoo's feedback box; "No Answer" plans the next call.
 * tests/test_tours.py checks it on the server. */
registry.category("web_tour.tours").add("account_collection_call_from_chatter", {
    steps: () => [
        {
            content: "mark the planned call done",
            trigger: ".o-mail-Activity .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "the call log asks for the outcome: no answer",
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=no_answer]",
            run: "click",
        },
        {
            content: "log it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        { trigger: "body:not(:has(.modal))" },
        {
            content: "the call's outcome is in the chatter",
            trigger: ".o-mail-Message:contains(No Answer)",
        },
    ],
});
