import { registry } from "@web/core/registry";

/** From its collection page, without an account, a customer promises to pay part
 * of what is due, disputes its second invoice, then signs the payment plan the
 * collector sent for signature. tests/test_portal.py checks each on the server. */
registry.category("web_tour.tours").add("account_collection_portal_actions", {
    steps: () => [
        {
            content: "open the promise form",
            trigger: ".o_collection_portal_promise summary",
            run: "click",
        },
        {
            content: "promise to pay in a week",
            trigger: "input#o_collection_promise_date",
            run() {
                const date = new Date();
                date.setDate(date.getDate() + 7);
                this.anchor.value = date.toISOString().slice(0, 10);
            },
        },
        {
            content: "promise 400",
            trigger: "input#o_collection_promise_amount",
            run: "edit 400",
        },
        {
            content: "send the promise",
            trigger: ".o_collection_portal_promise_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the promise is shown on the page",
            trigger: ".o_collection_portal_promise_current:contains(400.00)",
        },
        {
            content: "open the dispute form of the second invoice",
            trigger: ".o_collection_portal_move:eq(1) .o_collection_portal_dispute summary",
            run: "click",
        },
        {
            content: "the goods were damaged",
            trigger: ".o_collection_portal_move:eq(1) select[name=reason]",
            run: "select quality",
        },
        {
            content: "say what is wrong",
            trigger: ".o_collection_portal_move:eq(1) textarea[name=message]",
            run: "edit Two crates arrived broken",
        },
        {
            content: "send the dispute",
            trigger: ".o_collection_portal_move:eq(1) .o_collection_portal_dispute_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the second invoice is in dispute",
            trigger: ".o_collection_portal_move:eq(1) .o_collection_portal_in_dispute",
        },
        {
            content: "open the plan's signature",
            trigger: ".o_collection_portal_plan_sign",
            run: "click",
        },
        {
            content: "the signature is ready, signed with the customer's name",
            trigger: ".modal .o_web_sign_name_and_signature input:value(partner_a)",
        },
        {
            content: "wait until the signature is drawn from the name (drawn once its font is loaded)",
            trigger: ".modal canvas.o_web_sign_signature",
            async run() {
                const canvas = this.anchor;
                const blank = document.createElement("canvas");
                blank.width = canvas.width;
                blank.height = canvas.height;
                for (let tries = 0; tries < 100; tries++) {
                    if (canvas.toDataURL() !== blank.toDataURL()) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
        {
            content: "sign the payment plan",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the plan is signed: nothing left to sign",
            trigger: "#o_collection_portal_actions:not(:has(.o_collection_portal_plan_to_sign))",
        },
    ],
});
