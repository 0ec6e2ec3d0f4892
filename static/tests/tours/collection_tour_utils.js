import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** Steps shared by the collection tours: the Collection menu of Invoicing, reached
 * through the menus a user clicks. */
export const collectionSteps = {
    /** Open Invoicing from the home menu, then the Collection menu and one of its
     * entries, by the menu's XML id (account_collection.<menuXmlid>). */
    openMenu(menuXmlid, description) {
        return [
            {
                content: "open the Collection menu",
                trigger:
                    'button[data-menu-xmlid="account_collection.account_collection_menu_root"]',
                run: "click",
            },
            {
                content: description,
                trigger: `.dropdown-menu a[data-menu-xmlid="account_collection.${menuXmlid}"]`,
                run: "click",
            },
        ];
    },
    openInvoicing() {
        return stepUtils.goToAppSteps("account.menu_finance", "open Invoicing");
    },
    /** Tick the row of a list showing ``text`` (a regexp source). */
    selectRow(text) {
        return [
            {
                content: `select the row of ${text}`,
                trigger: `.o_list_view .o_data_row:contains(/${text}/) .o_list_record_selector input`,
                run: "click",
            },
            {
                trigger: `.o_list_view .o_data_row:contains(/${text}/) .o_list_record_selector input:checked`,
            },
        ];
    },
    /** Run an entry of the list's Actions menu (the cog) named exactly ``name``. */
    listAction(name) {
        return [
            {
                content: "open the Actions menu",
                trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
                run: "click",
            },
            {
                content: `run ${name}`,
                trigger: `.o-dropdown--menu .o_menu_item:contains(/^\\s*${name}\\s*$/)`,
                run: "click",
            },
        ];
    },
    /** Confirm the confirmation dialog a button opened. */
    confirm() {
        return [
            {
                content: "confirm",
                trigger: ".modal .modal-footer button.btn-primary",
                run: "click",
            },
            { trigger: "body:not(:has(.modal))" },
        ];
    },
};
