import { registry } from "@web/core/registry";

/** The late-payment rates list warns when a half-year begun has no rate entered
 * (tests/test_rate_banner.py sets the rates up and runs these tours). */
function currentHalfYear() {
    const today = new Date();
    const half = today.getMonth() < 6 ? "first" : "second";
    return `${half} half of ${today.getFullYear()}`;
}

registry.category("web_tour.tours").add("account_collection_rate_banner_missing", {
    steps: () => [
        {
            content: "the banner names the missing rate, its half-year and the rate used",
            trigger: `.o_collection_rate_banner div:contains(professional creditor):contains(not entered for the ${currentHalfYear()}):contains(is used meanwhile)`,
        },
        {
            content: "above the rates list",
            trigger: ".o_list_view .o_collection_rate_banner ~ .o_list_renderer",
        },
    ],
});

registry.category("web_tour.tours").add("account_collection_rate_banner_none", {
    steps: () => [
        {
            content: "the rates list is shown",
            trigger: ".o_list_view .o_list_renderer .o_list_table",
        },
        {
            content: "without a banner: every rate is entered",
            trigger: ".o_list_view:not(:has(.o_collection_rate_banner))",
        },
    ],
});
